"""The speed goals of the project, measured side by side with pandoc, as one table.

    python benchmarks/run.py                   # sizes 3, 30, 100 and 342 (about 35 minutes)
    python benchmarks/run.py --sizes 3,30      # a quick look
    python benchmarks/run.py --runs 5          # more runs per measurement (medians)

Every measurement is a whole process (`ivbcompose …` started from the venv), timed from
start to exit; the table shows medians. pandoc, when it is installed, converts the tool's
own Markdown export of the same documents to .docx with a table of contents, one process
per document, as a user would; without pandoc that column stays empty. The projects are
synthetic copies of the example (see `synthetic.py`), each copy's changes accepted.

Goals (issue 13), in the last column:
- `build --all` of the three documents at most 0.7 times three pandoc runs;
- `check` at most 250 ms, `--version` at most 60 ms;
  both measured once as a process of its own and once run by a daemon
  (`ivbcompose daemon start`), which has the program loaded already;
- 342 municipalities: `build --all --jobs 2` at most 0.2 times 342 pandoc runs, at most
  0.35 times with one process, the time per document flat from 3 to 342, the peak memory
  of a process at most 200 MiB;
- `check` growing linearly; 2,000 changes in one municipality composed in under 1 s.

The script exits 0 whether the goals are met or not: it measures, it does not judge CI.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import ROOT, accepted_project, many_changes

IVBCOMPOSE = Path(sys.executable).with_name("ivbcompose")
MIB = 2**20


@dataclass(frozen=True)
class Timing:
    seconds: float
    peak_bytes: int  # the largest resident set of the process or one of its children


@dataclass(frozen=True)
class Row:
    measure: str
    size: int | str
    ours: Timing
    pandoc: float | None = None
    goal: str = ""
    met: bool | None = None

    def cells(self) -> list[str]:
        ratio = f"{self.ours.seconds / self.pandoc:.2f}×" if self.pandoc else ""
        per_document = (f"{self.ours.seconds / self.size * 1000:.0f} ms"
                        if isinstance(self.size, int) and self.size > 1 else "")
        verdict = "" if self.met is None else ("yes" if self.met else "no")
        return [self.measure, str(self.size), f"{self.ours.seconds:.3f} s", per_document,
                f"{self.pandoc:.3f} s" if self.pandoc else "", ratio,
                f"{self.ours.peak_bytes / MIB:.0f} MiB" if self.ours.peak_bytes else "",
                self.goal, verdict]


def timed(command: list[str], cwd: Path) -> Timing:
    """One run of `command`: wall time, and peak memory from the kernel's account."""
    with tempfile.TemporaryFile() as errors:  # a pipe could fill up and stop the process
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n"
                             + errors.read().decode("utf-8", "replace"))
    return Timing(seconds, usage.ru_maxrss * 1024)  # Linux counts ru_maxrss in KiB


def median(runs: int, command: list[str], cwd: Path) -> Timing:
    results = [timed(command, cwd) for _ in range(runs)]
    return Timing(statistics.median(r.seconds for r in results),
                  max(r.peak_bytes for r in results))


def pandoc_time(markdown: list[Path], runs: int, work: Path) -> float | None:
    """Median over `runs` of converting every Markdown file, one pandoc process each."""
    pandoc = shutil.which("pandoc")
    if pandoc is None:
        return None
    totals = []
    for _ in range(runs):
        start = time.perf_counter()
        for index, source in enumerate(markdown):
            subprocess.run([pandoc, str(source), "--toc", "-o", str(work / f"{index}.docx")],
                           check=True)
        totals.append(time.perf_counter() - start)
    return statistics.median(totals)


def markdown_of(project: Path, work: Path) -> list[Path]:
    out = work / "md"
    subprocess.run([str(IVBCOMPOSE), "--project", str(project), "build", "--all", "--format",
                    "md", "-j", "2", "-o", str(out)], check=True, stdout=subprocess.DEVNULL)
    return sorted(out.rglob("*.md"))


class _Rows(list[Row]):
    """The table so far: each row is printed as soon as it is measured, so a run that is
    stopped early still shows what it measured."""

    def append(self, row: Row) -> None:
        if not self:
            print(table([]), flush=True)
        super().append(row)
        print(_line(row.cells()), flush=True)


def run(sizes: list[int], runs: int, work: Path) -> tuple[list[Row], list[str]]:
    rows: list[Row] = _Rows()
    cli = [str(IVBCOMPOSE)]
    version = median(max(runs, 10), [*cli, "--version"], work)
    rows.append(Row("--version", "-", version, goal="≤ 60 ms",
                    met=version.seconds <= 0.060))
    example = ROOT
    check_example = [*cli, "--project", str(example), "check"]
    build_example = [*cli, "--project", str(example), "build", "--all", "-o",
                     str(work / "out-example")]
    check = median(max(runs, 5), check_example, work)
    rows.append(Row("check (example)", 3, check, goal="≤ 250 ms", met=check.seconds <= 0.250))
    build = median(runs, build_example, work)
    pandoc = pandoc_time(markdown_of(example, work / "example"), runs, work)
    rows.append(Row("build --all (example)", 3, build, pandoc, "≤ 0.7× pandoc",
                    None if pandoc is None else build.seconds <= 0.7 * pandoc))
    with _daemon(work):
        # The memory of a command run by the daemon is its child's, not the client's:
        # left out rather than shown too small.
        check = Timing(median(max(runs, 5), check_example, work).seconds, 0)
        rows.append(Row("check (example), daemon", 3, check, goal="≤ 250 ms",
                        met=check.seconds <= 0.250))
        build = Timing(median(max(runs, 5), build_example, work).seconds, 0)
        rows.append(Row("build --all (example), daemon", 3, build, pandoc, "≤ 0.7× pandoc",
                        None if pandoc is None else build.seconds <= 0.7 * pandoc))

    per_document: dict[int, float] = {}
    checks: dict[int, float] = {}
    for size in sizes:
        project = accepted_project(size, work / f"basisteam-{size}")
        repeat = runs if size <= 30 else 1
        check = median(repeat, [*cli, "--project", str(project), "check"], work)
        checks[size] = check.seconds
        rows.append(Row("check", size, check))
        one = median(repeat, [*cli, "--project", str(project), "build", "--all", "-j", "1",
                              "-o", str(work / f"out-{size}-1")], work)
        two = median(repeat, [*cli, "--project", str(project), "build", "--all", "-j", "2",
                              "-o", str(work / f"out-{size}-2")], work)
        pandoc = pandoc_time(markdown_of(project, work / f"md-{size}"), repeat, work)
        per_document[size] = one.seconds / size
        large = size >= 342
        rows.append(Row("build --all -j 1", size, one, pandoc,
                        "≤ 0.35× pandoc" if large else "",
                        (one.seconds <= 0.35 * pandoc) if large and pandoc else None))
        rows.append(Row("build --all -j 2", size, two, pandoc,
                        "≤ 0.2× pandoc, ≤ 200 MiB" if large else "",
                        (two.seconds <= 0.2 * pandoc and two.peak_bytes <= 200 * MIB)
                        if large and pandoc else None))

    changes = many_changes(2000, work / "many-changes")
    compose = statistics.median(float(subprocess.run(
        [sys.executable, "-c", _COMPOSE_ONE, str(changes), "veel-wijzigingen"], check=True,
        capture_output=True, text=True).stdout) for _ in range(runs))
    rows.append(Row("compose, 2,000 changes", 1, Timing(compose, 0), goal="< 1 s",
                    met=compose < 1.0))
    return rows, _flatness(per_document, checks)


@contextlib.contextmanager
def _daemon(work: Path) -> Iterator[None]:
    """`ivbcompose daemon start` for the rows measured inside, stopped after them."""
    subprocess.run([str(IVBCOMPOSE), "daemon", "start"], check=True, stdout=subprocess.DEVNULL)
    try:
        yield
    finally:
        subprocess.run([str(IVBCOMPOSE), "daemon", "stop"], check=True,
                       stdout=subprocess.DEVNULL)


# The compose of one municipality, timed inside the process (it prints the seconds):
# without the start-up and the loading of the other members, which `check` measures. The
# models build their validators when first used (start-up too): another member is
# composed first.
_COMPOSE_ONE = """
import sys, time
from ivbcompose import api
from ivbcompose.build import load_all
from ivbcompose.compose import compose
project = api.open_project(__import__("pathlib").Path(sys.argv[1]))
loaded, _ = load_all(project)
other = next(m for m in project.municipality_ids() if m != sys.argv[2])
compose(project, other, loaded.shared, loaded.members, figures=loaded.figures,
        texts=loaded.texts, local=loaded.files[other])
start = time.perf_counter()
compose(project, sys.argv[2], loaded.shared, loaded.members, figures=loaded.figures,
        local=loaded.files[sys.argv[2]])
print(time.perf_counter() - start)
"""


def _flatness(per_document: dict[int, float], checks: dict[int, float]) -> list[str]:
    """The growth from the smallest to the largest size, per document and for check."""
    if len(per_document) < 2:
        return []
    small, large = min(per_document), max(per_document)
    growth = per_document[large] / per_document[small]
    check_growth = (checks[large] / large) / (checks[small] / small)
    return [f"time per document, {small} → {large} municipalities: ×{growth:.2f} "
            f"(flat: ≤ ×1.25) {'yes' if growth <= 1.25 else 'no'}",
            f"check per municipality, {small} → {large}: ×{check_growth:.2f} "
            f"(linear: ≤ ×1.25) {'yes' if check_growth <= 1.25 else 'no'}"]


def table(rows: list[Row]) -> str:
    header = ["measure", "size", "ivbcompose", "per document", "pandoc", "ratio",
              "peak memory", "goal", "met"]
    lines = [header, ["---"] * len(header), *(row.cells() for row in rows)]
    return "\n".join(_line(cells) for cells in lines)


def _line(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in
                  Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor() or "unknown CPU") \
        if Path("/proc/cpuinfo").exists() else platform.processor()
    pandoc = shutil.which("pandoc")
    version = subprocess.run([pandoc, "--version"], capture_output=True, text=True
                             ).stdout.splitlines()[0] if pandoc else "no pandoc"
    return (f"{os.cpu_count()} cores ({model}), Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}, {version}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="3,30,100,342",
                        help="numbers of municipalities, comma-separated")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    # The bytecode a normal run leaves behind, written now: with PYTHONDONTWRITEBYTECODE
    # set (as on CI machines), every process would otherwise compile the package again.
    compileall.compile_dir(ROOT / "src", quiet=1)
    with tempfile.TemporaryDirectory(prefix="ivbcompose-bench-") as folder:
        # A folder of its own for the daemon's socket: a daemon started outside the
        # benchmark is not used by the rows measured without one.
        runtime = Path(folder) / "run"
        runtime.mkdir(mode=0o700)
        os.environ["XDG_RUNTIME_DIR"] = str(runtime)
        rows, notes = run(sizes, args.runs, Path(folder))
    print(f"\n{table(rows)}")
    for note in notes:
        print(f"\n{note}", end="")
    print(f"\n\nmachine: {machine()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
