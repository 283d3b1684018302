"""Tests for ivbcompose.cli: the commands end to end, exit statuses and messages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ivbcompose.cli import main
from ivbcompose.project import Project

from .conftest import FIXTURE, documents, edit

ALL = ("dronten", "noordoostpolder", "urk")


def run(project: Project, *args: str) -> int:
    return main(["--project", str(project.root), *args])


def test_build_all_writes_three_documents(project: Project, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert run(project, "build", "--all", "-o", str(out)) == 0
    printed = capsys.readouterr().out.split()
    assert sorted(Path(p).parent.name for p in printed if p.endswith(".docx")) == list(ALL)
    assert sorted(Path(p).name for p in printed if not p.endswith(".docx")) == sorted(
        Path(p).name + ".diwoo.xml" for p in printed if p.endswith(".docx"))
    assert (out / "urk" / "lokaal-veiligheidsplan-2021-2022-urk.docx").is_file()
    assert (out / "dronten" / "integraal-veiligheidsbeleid-2020-2023-dronten.docx").is_file()


def test_build_one_defaults_to_build_folder(project: Project,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert run(project, "build", "noordoostpolder", "--format", "docx", "--format", "md") == 0
    folder = project.root / "build" / "noordoostpolder"
    assert sorted(p.suffix for p in documents(folder)) == [".docx", ".md"]
    assert str(folder) in capsys.readouterr().out


def test_unknown_municipality_is_a_usage_error(project: Project,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert run(project, "build", "lelystad") == 2
    err = capsys.readouterr().err
    assert "unknown municipality 'lelystad'" in err
    assert "dronten, noordoostpolder, urk" in err


def test_check_ok_and_list(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(project, "check") == 0
    assert run(project, "list") == 0
    out = capsys.readouterr().out
    assert "Lokaal Veiligheidsplan" in out and "2021-2024" in out and "vastgesteld" in out


def test_check_json(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    edit(project.root / "municipalities/urk/municipality.yaml", "remove: buurtbemiddeling",
         "remove: buurtbemidelling")
    assert run(project, "check", "--format", "json") == 1
    [problem] = json.loads(capsys.readouterr().out)
    assert problem["file"] == "municipalities/urk/municipality.yaml"
    assert problem["hint"] == "did you mean 'buurtbemiddeling'?"


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("  name: Urk\n", "  name: Urk\n\tcbs: 1\n", "tab"),
    ("  name: Urk\n", "  name: Urk\n  name: Urk\n", "duplicate key 'name'"),
    ("  kernen: [Urk]\n", "  kernen: [Urk\n", "YAML syntax error"),
    ("  cbs_code: GM0184", "  cbs_kode: GM0184", "unknown field 'cbs_kode'"),
    ("  inhabitants: 21929", "  inhabitants: veel", "must be a whole number"),
    ("  name: Urk\n", "", "required field 'name' is missing"),
    ("      id: jeugd-urk", "      id: haven-en-visserij", "already exists"),
    ("  - remove: verkeersoverlast", "  - remove: verkeersoverlst", "did you mean"),
    ("    reason: Urk behandelt verkeersveiligheid in de eigen couleur locale.\n", "",
     "remove needs 'reason'"),
    ("een veiligheidsthema", "een {{ haven }}", "undefined variable"),
    ("een veiligheidsthema", "een {% if %}", "template error"),
    ("een veiligheidsthema", "een {{ ''.__class__.__subclasses__() }}", "not allowed in a text"),
])
def test_bad_input_exits_1_with_position_and_keeps_the_old_output(
        project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        old: str, new: str, expected: str) -> None:
    out = tmp_path / "out"
    assert run(project, "build", "urk", "-o", str(out)) == 0
    [document] = documents(out / "urk")
    good, written = document.read_bytes(), sorted((out / "urk").iterdir())
    capsys.readouterr()
    edit(project.root / "municipalities/urk/municipality.yaml", old, new)
    assert run(project, "build", "urk", "-o", str(out)) == 1
    err = capsys.readouterr().err
    first = err.splitlines()[0]
    assert first.startswith("municipalities/urk/municipality.yaml:"), first
    line, column = first.split(":")[1:3]
    assert line.isdigit() and column.isdigit()
    assert expected in err
    assert "Traceback" not in err
    assert document.read_bytes() == good
    assert sorted((out / "urk").iterdir()) == written


def test_python_dash_m_runs_the_same_cli(project: Project) -> None:
    env = {**os.environ, "PYTHONWARNINGS": "error"}
    result = subprocess.run([sys.executable, "-m", "ivbcompose", "--project", str(project.root),
                             "list"], capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 0, result.stderr
    assert "noordoostpolder" in result.stdout


def test_no_project_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["list"]) == 2
    assert "no ivbcompose project" in capsys.readouterr().err


def test_unwritable_output_is_a_clear_error(project: Project, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    assert run(project, "build", "urk", "-o", str(blocker)) == 1
    err = capsys.readouterr().err
    assert err.startswith("ivbcompose: error: cannot access") and "Traceback" not in err


def test_a_document_breaking_an_accessibility_rule_is_not_written(
        project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from ivbcompose.writers.docx import audit as auditing
    from ivbcompose.writers.docx.audit import AuditFinding, audit_docx

    out = tmp_path / "out"
    assert run(project, "build", "urk", "-o", str(out)) == 0
    [document] = documents(out / "urk")
    good = document.read_bytes()
    # The real audit passes every example; break a rule the way a writer bug would.
    assert audit_docx(good) == []
    finding = AuditFinding("table-header", 'table 1 ("Tabel 1: …") has no header row',
                           "mark the first row as header")
    monkeypatch.setattr(auditing, "audit_docx", lambda data: [finding])
    assert run(project, "build", "urk", "-o", str(out)) == 1
    err = capsys.readouterr().err
    assert "lokaal-veiligheidsplan-2021-2022-urk.docx:?: error: the document would break an " \
           "accessibility rule: table 1" in err
    assert document.read_bytes() == good


def test_unknown_municipality_suggests_the_closest(project: Project,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert run(project, "build", "utk") == 2
    assert "did you mean 'urk'?" in capsys.readouterr().err


def test_several_municipalities_are_built_all_or_nothing(
        project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(project.root / "municipalities/urk/municipality.yaml", "remove: buurtbemiddeling",
         "remove: buurtbemidelling")
    assert run(project, "build", "dronten", "urk", "-o", str(tmp_path)) == 1
    assert not (tmp_path / "dronten").exists()
    assert "no document was written" in capsys.readouterr().err
    assert run(project, "build", "--all", "urk") == 2


def test_version_and_bad_source_date_epoch(project: Project, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0 and capsys.readouterr().out.startswith("ivbcompose ")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "5000000000")
    assert run(project, "build", "urk") == 2
    assert "SOURCE_DATE_EPOCH must be seconds since 1970" in capsys.readouterr().err


def test_source_date_epoch_gives_reproducible_bytes(project: Project, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600000000")
    assert run(project, "build", "urk", "-o", str(tmp_path / "a")) == 0
    assert run(project, "build", "urk", "-o", str(tmp_path / "b")) == 0
    [first], [second] = (documents(tmp_path / x / "urk") for x in "ab")
    assert first.read_bytes() == second.read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert run(project, "build", "urk", "-o", str(tmp_path / "c")) == 0
    [third] = documents(tmp_path / "c" / "urk")
    assert third.read_bytes() != first.read_bytes()


def test_only_build_says_nothing_was_written(project: Project,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    edit(project.root / "municipalities/urk/municipality.yaml", "remove: buurtbemiddeling",
         "remove: buurtbemidelling")
    assert run(project, "compare") == 1
    err = capsys.readouterr().err
    assert err.rstrip().endswith("1 error.") and "no document was written" not in err


def test_a_failed_write_leaves_every_earlier_output(project: Project, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run(project, "build", "--all", "-o", str(out)) == 0
    [dronten] = documents(out / "dronten")
    good = dronten.read_bytes()
    [urk] = documents(out / "urk")
    urk.unlink()
    (urk / "in-the-way").mkdir(parents=True)  # a folder where Urk's file should go
    edit(project.root / "municipalities/dronten/municipality.yaml", 'version: "0.9"',
         'version: "0.10"')
    assert run(project, "build", "--all", "-o", str(out)) == 1
    assert dronten.read_bytes() == good
    assert not [p for p in (out / "dronten").iterdir() if p.name.endswith(".tmp")]


def test_naming_every_municipality_checks_as_much_as_all(project: Project, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture) -> None:
    edit(project.root / "shared/00-document.yaml", '  version: "0.1"', "  version: 0.1")
    assert run(project, "build", "--all", "-o", str(tmp_path)) == 1
    assert run(project, "build", "dronten", "noordoostpolder", "urk", "-o", str(tmp_path)) == 1
    assert "'document.version' must be a text" in capsys.readouterr().err


def test_a_closed_pipe_ends_quietly_with_exit_0(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "ivbcompose", "--project", str(FIXTURE), "explain",
               "dronten"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.read(100)
        process.stdout.close()  # like `| head`
        errors = process.stderr.read()
        assert process.wait(timeout=60) == 0
    assert b"Broken pipe" not in errors and b"Traceback" not in errors


def test_source_date_epoch_with_unicode_digits_is_a_usage_error(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "²")
    assert main(["--project", str(FIXTURE), "build", "urk", "-o", "/nonexistent"]) == 2
    assert "SOURCE_DATE_EPOCH must be seconds since 1970" in capsys.readouterr().err


def test_sigterm_during_a_write_leaves_no_temporary_files(project: Project, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]
                                                          ) -> None:
    import os
    import signal

    from ivbcompose import files

    out = tmp_path / "out"
    assert main(["--project", str(project.root), "build", "urk", "--format", "md",
                 "--format", "docx", "-o", str(out)]) == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    staged = files._stage

    def stage_then_stop(path: Path, data: bytes, *noted: list[Any]) -> None:
        staged(path, data, *noted)
        os.kill(os.getpid(), signal.SIGTERM)  # as `kill` or a closing terminal would

    monkeypatch.setattr(files, "_stage", stage_then_stop)
    edit(project.root / "municipalities/urk/municipality.yaml", "inhabitants: 21929",
         "inhabitants: 21930")
    code = main(["--project", str(project.root), "build", "urk", "--format", "md",
                 "--format", "docx", "-o", str(out)])
    assert code == 128 + signal.SIGTERM
    assert "stopped" in capsys.readouterr().err
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before  # no hidden .tmp file, the good outputs untouched
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL or callable(
        signal.getsignal(signal.SIGTERM))


def test_jobs_give_the_same_files_as_one_process(project: Project, tmp_path: Path) -> None:
    assert run(project, "build", "--all", "-j", "1", "-o", str(tmp_path / "one")) == 0
    assert run(project, "build", "--all", "--jobs", "2", "-o", str(tmp_path / "two")) == 0
    one = {p.relative_to(tmp_path / "one"): p.read_bytes()
           for p in (tmp_path / "one").rglob("*") if p.is_file()}
    two = {p.relative_to(tmp_path / "two"): p.read_bytes()
           for p in (tmp_path / "two").rglob("*") if p.is_file()}
    assert len(one) == 2 * len(ALL) and one == two


def test_jobs_report_every_problem_in_order_and_write_nothing(
        project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(project.root / "municipalities/urk/municipality.yaml", "remove: buurtbemiddeling",
         "remove: buurtbemidelling")
    edit(project.root / "municipalities/dronten/municipality.yaml", 'version: "0.9"',
         "version: 0.9")
    assert run(project, "build", "--all", "-j", "1", "-o", str(tmp_path / "one")) == 1
    alone = capsys.readouterr().err
    assert run(project, "build", "--all", "-j", "3", "-o", str(tmp_path / "three")) == 1
    assert capsys.readouterr().err == alone
    assert alone.index("municipalities/dronten/") < alone.index("municipalities/urk/")
    assert not (tmp_path / "one").exists() and not (tmp_path / "three").exists()


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_failure_after_documents_were_staged_leaves_no_file_folder_or_process(
        project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int) -> None:
    import multiprocessing

    from ivbcompose import build

    made = build._prepare

    def broken_for_the_last(project: Project, municipality_id: str, *rest: Any) -> Any:
        if municipality_id == ALL[-1]:
            raise RuntimeError("the writer broke")
        return made(project, municipality_id, *rest)

    monkeypatch.setattr(build, "_prepare", broken_for_the_last)  # forked workers have it too
    out = tmp_path / "nieuw" / "uitvoer"
    with pytest.raises(RuntimeError, match="the writer broke"):
        build.build_many(project, ALL, build.BuildOptions(output_dir=out, jobs=jobs))
    assert not (tmp_path / "nieuw").exists()  # the folders staging made are gone too
    assert multiprocessing.active_children() == []


def test_a_process_that_dies_stops_the_build_which_writes_nothing(
        project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import multiprocessing

    from ivbcompose import build

    def dies(project: Project, municipality_id: str, *rest: Any) -> Any:
        os._exit(3)  # as a process killed by the system would, without a word

    monkeypatch.setattr(build, "_prepare", dies)
    with pytest.raises(RuntimeError, match="stopped unexpectedly"):
        build.build_many(project, ALL, build.BuildOptions(output_dir=tmp_path / "out", jobs=2))
    assert not (tmp_path / "out").exists()
    assert multiprocessing.active_children() == []


@pytest.mark.parametrize("jobs", ["0", "-1", "two", "1.5"])
def test_jobs_must_be_a_whole_number_of_at_least_one(project: Project, jobs: str,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    with pytest.raises(SystemExit) as stopped:
        run(project, "build", "--all", "--jobs", jobs)
    assert stopped.value.code == 2
    assert "--jobs: expected a whole number of at least 1" in capsys.readouterr().err


def test_the_number_of_processes_follows_the_documents() -> None:
    from ivbcompose.processes import worker_count

    assert worker_count(4, 3) == 3  # never more processes than documents
    assert worker_count(2, 300) == 2
    cores = os.cpu_count() or 1
    # A process started afresh loads the program: worth it only for a few documents each.
    assert worker_count(None, 3, "spawn") == 1
    assert worker_count(None, 8, "spawn") == min(cores, 2)
    assert worker_count(None, 400, "spawn") == cores
    # A forked one has it all already: one per core from two documents on.
    assert worker_count(None, 1, "fork") == 1
    assert worker_count(None, 2, "fork") == min(cores, 2)
    assert worker_count(None, 3, "fork") == min(cores, 3)


_MODULES = """
import sys
from ivbcompose.entry import main
sys.argv[0] = "ivbcompose"
code = main()
print("\\n".join(sys.modules))
"""


def _loaded_by(project: Project, *arguments: str) -> set[str]:
    """The modules a whole `ivbcompose …` process has loaded when it is done."""
    done = subprocess.run([sys.executable, "-c", _MODULES, *arguments], cwd=project.root,
                          capture_output=True, text=True, check=True)
    return set(done.stdout.split())


def _any(modules: set[str], *prefixes: str) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in prefixes or m.startswith(prefixes))


def test_a_command_loads_only_what_it_uses(project: Project, tmp_path: Path) -> None:
    version = _loaded_by(project, "--version")
    assert _any(version, "pydantic", "yaml", "ivbcompose.cli") == []
    check = _loaded_by(project, "check")
    assert "ivbcompose.compose" in check
    assert _any(check, "ivbcompose.writers", "ivbcompose.renvooi", "ivbcompose.scaffold",
                "ivbcompose.schema", "ivbcompose.figures.fetch", "urllib.request", "docx",
                "lxml", "matplotlib") == []
    build = _loaded_by(project, "build", "--all", "--format", "docx", "-o", str(tmp_path))
    assert "ivbcompose.writers.docx" in build
    assert _any(build, "matplotlib", "ivbcompose.renvooi", "ivbcompose.writers.libreoffice",
                "uno") == []
