"""Synthetic basisteams for the benchmarks: the example project with its municipalities
copied until there are as many as asked (342 is every Dutch municipality), every copy's
changes accepted, and one municipality with thousands of changes.

Used by `benchmarks/run.py`; also runnable on its own:
    python benchmarks/synthetic.py 342 /tmp/basisteam-342
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
LOCK_FILE = "ivbcompose.lock"
_CBS_CODE = re.compile(r"^(\s*cbs_code:\s*)GM\d{4}", re.MULTILINE)
_NAME = re.compile(r"^(\s*name:\s*)(.+)$", re.MULTILINE)


def make_project(size: int, target: Path, source: Path = ROOT) -> Path:
    """A project at `target` with `size` municipalities, copies of the example's in turn,
    each with its own id, name and CBS code. It has no lock file (see `accepted_project`)."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    shutil.copytree(source / "shared", target / "shared")
    if (source / "schema").is_dir():
        shutil.copytree(source / "schema", target / "schema")
    examples = sorted(p for p in (source / "municipalities").iterdir() if p.is_dir())
    for number in range(size):
        example = examples[number % len(examples)]
        name = example.name if number < len(examples) else f"{example.name}-{number:03d}"
        folder = target / "municipalities" / name
        shutil.copytree(example, folder)
        if number >= len(examples):
            yaml_file = folder / "municipality.yaml"
            text = yaml_file.read_text(encoding="utf-8")
            # Codes from GM9000 up are no real municipality's, so no copy passes for one.
            text = _CBS_CODE.sub(rf"\g<1>GM{9000 + number:04d}", text, count=1)
            text = _NAME.sub(rf"\g<1>\g<2> {number}", text, count=1)
            yaml_file.write_text(text, encoding="utf-8")
    return target


def accepted_project(size: int, target: Path, source: Path = ROOT) -> Path:
    """`make_project`, with every copy's changes accepted as its example's are: a copy has
    the example's changes against the same shared part, so it gets the example's entries
    in the lock file (accepting 342 municipalities one by one would take minutes)."""
    make_project(size, target, source)
    lock = yaml.safe_load((source / LOCK_FILE).read_text(encoding="utf-8"))
    header = "".join(line for line in (source / LOCK_FILE).read_text(encoding="utf-8")
                     .splitlines(keepends=True) if line.startswith("#"))
    accepted: dict[str, object] = {"version": lock["version"]}
    for folder in sorted((target / "municipalities").iterdir()):
        example = next(name for name in lock if isinstance(name, str) and name != "version"
                       and (folder.name == name or folder.name.startswith(name + "-")))
        accepted[folder.name] = lock[example]
    text = yaml.dump(accepted, Dumper=_WrittenOut, allow_unicode=True, sort_keys=False)
    (target / LOCK_FILE).write_text(header + text, encoding="utf-8")
    return target


class _WrittenOut(yaml.SafeDumper):
    """Every copy written out: the project refuses YAML aliases."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def many_changes(count: int, target: Path, source: Path = ROOT) -> Path:
    """The example project with one more municipality whose file holds `count` changes:
    sections added to a chapter of the shared part, each updated once."""
    make_project(3, target, source)
    first = sorted((target / "municipalities").iterdir())[0]
    folder = target / "municipalities" / "veel-wijzigingen"
    shutil.copytree(first, folder)
    yaml_file = folder / "municipality.yaml"
    text = yaml_file.read_text(encoding="utf-8")
    text = _CBS_CODE.sub(r"\g<1>GM8999", text, count=1)
    chapter = _first_chapter(target)
    lines = ["  - add:\n      id: wijziging-{n}\n      title: Onderwerp {n}\n"
             "      body: Een lokale aanvulling.\n    to: {chapter}\n"
             "    reason: Een lokaal onderwerp.\n",
             "  - update: wijziging-{n}\n    with:\n      title: Lokaal onderwerp {n}\n"
             "    reason: Een betere titel.\n"]
    added = "".join(lines[n % 2].format(n=n // 2, chapter=chapter) for n in range(count))
    text = text.replace("\nchanges:\n", "\nchanges:\n" + added, 1)
    yaml_file.write_text(text, encoding="utf-8")
    return target


def _first_chapter(project_root: Path) -> str:
    for path in sorted((project_root / "shared").glob("*.yaml")):
        found = re.search(r"^chapters:\n(?:\s*#.*\n)*\s*- id: ([a-z0-9-]+)",
                          path.read_text(encoding="utf-8"), re.MULTILINE)
        if found:
            return found.group(1)
    raise SystemExit("no chapter found in shared/")


if __name__ == "__main__":
    print(accepted_project(int(sys.argv[1]), Path(sys.argv[2])))
