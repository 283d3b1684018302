"""Tests for `ivbcompose new` (scaffold.py, api.new_municipality): a municipality joins."""

from __future__ import annotations

from pathlib import Path

import pytest

from ivbcompose import api
from ivbcompose.cli import main
from ivbcompose.lock import LOCK_FILE
from ivbcompose.project import Project

NEW = ["new", "lelystad", "--name", "Lelystad", "--cbs-code", "GM0995", "--inhabitants",
       "80000", "--inhabitants-year", "2024"]


def run(project: Project, *args: str) -> int:
    return main(["--project", str(project.root), *args])


def test_a_new_municipality_builds_at_once_and_joins_every_document(
        project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(project, *NEW) == 0
    assert capsys.readouterr().out.startswith("municipalities/lelystad/municipality.yaml\n")
    assert run(project, "check", "--strict") == 0
    assert run(project, "list") == 0
    [row] = [line for line in capsys.readouterr().out.splitlines() if line.startswith("lelystad")]
    assert row.split()[:4] == ["lelystad", "Lelystad", "Integraal", "Veiligheidsbeleid"]
    assert api.compare(project).municipalities == ("Dronten", "Lelystad", "Noordoostpolder",
                                                   "Urk")
    results = api.build_all(project, api.BuildOptions(output_dir=tmp_path, formats=("md",)))
    texts = {r.municipality_id: r.outputs[0].read_text(encoding="utf-8") for r in results}
    assert set(texts) == {"dronten", "lelystad", "noordoostpolder", "urk"}
    for municipality, text in texts.items():
        # The fixture's shared texts list and count the members through basisteam variables.
        assert "De gemeenten Dronten, Lelystad, Noordoostpolder en Urk vallen onder" in text
        assert "alle vier de gemeenten" in text
        assert ("- Gemeente Lelystad\n" in text) == (municipality != "lelystad")
    assert "Voor de gemeente Lelystad zijn (nog) geen eigen onderwerpen" in texts["lelystad"]
    assert "lelystad: []" in (project.root / LOCK_FILE).read_text(encoding="utf-8")


@pytest.mark.parametrize(("args", "message"), [
    (["new", "urk", "--name", "Urk", "--cbs-code", "GM0184", "--inhabitants", "1"],
     "municipality 'urk' already exists"),
    (["new", "lelystad", "--name", "Lelystad", "--cbs-code", "0995", "--inhabitants", "1"],
     "'0995' is not a CBS municipality code"),
    (["new", "lelystad", "--name", "Lelystad", "--cbs-code", "GM0184", "--inhabitants", "1"],
     "CBS code GM0184 is already used by 'urk'"),
    (["new", "Nieuw Lelystad", "--name", "Lelystad", "--cbs-code", "GM0995", "--inhabitants",
      "1"], "'Nieuw Lelystad' is not a valid folder name"),
    (["new", "../buiten", "--name", "X", "--cbs-code", "GM0995", "--inhabitants", "1"],
     "'../buiten' is not a valid folder name"),
    (["new", "lelystad", "--name", " ", "--cbs-code", "GM0995", "--inhabitants", "1"],
     "--name must not be empty"),
    (["new", "lelystad", "--name", "Lelystad", "--cbs-code", "GM0995", "--inhabitants", "0"],
     "--inhabitants must be a positive whole number"),
])
def test_wrong_values_are_a_usage_error_and_create_nothing(
        project: Project, capsys: pytest.CaptureFixture[str], args: list[str],
        message: str) -> None:
    before = sorted(p.name for p in project.municipalities_dir.iterdir())
    lock = (project.root / LOCK_FILE).read_bytes()
    assert run(project, *args) == 2
    err = capsys.readouterr().err
    assert message in err and err.rstrip().endswith("nothing was created")
    assert sorted(p.name for p in project.municipalities_dir.iterdir()) == before
    assert (project.root / LOCK_FILE).read_bytes() == lock
    assert not (project.root.parent / "buiten").exists()


def test_a_project_that_does_not_compose_gets_no_new_municipality(
        project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    (project.root / "shared/00-document.yaml").write_text("document: [\n", encoding="utf-8")
    lock = (project.root / LOCK_FILE).read_bytes()
    assert run(project, *NEW) == 1
    assert "YAML syntax error" in capsys.readouterr().err
    assert not (project.municipalities_dir / "lelystad").exists()
    assert (project.root / LOCK_FILE).read_bytes() == lock
