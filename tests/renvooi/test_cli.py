"""`ivbcompose build --against`: the renvooi on the command line, and its mistakes."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from ivbcompose.cli import main

from .versions import NEW_PARAGRAPH, git, git_project, two_folders


def build(project: Path, *arguments: str) -> int:
    return main(["--project", str(project), "build", *arguments])


def _document_xml(folder: Path) -> str:
    [docx] = folder.glob("*.docx")
    with zipfile.ZipFile(docx) as archive:
        return archive.read("word/document.xml").decode("utf-8")


def test_against_a_git_tag_marks_the_changes_and_lists_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    project = git_project(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600000000")
    out = tmp_path / "out"
    assert build(project.root, "dronten", "--against", "v0.9", "-o",
                 str(out), "--format", "docx", "--format", "md") == 0
    xml = _document_xml(out / "dronten")
    assert "<w:ins " in xml and "<w:del " in xml and 'w:author="Gemeente Dronten"' in xml
    assert "Wijzigingen ten opzichte van versie" in xml
    [markdown] = (out / "dronten").glob("*.md")
    assert "{++" in markdown.read_text(encoding="utf-8")
    first = {p.name: p.read_bytes() for p in (out / "dronten").iterdir()}
    assert build(project.root, "dronten", "--against", "v0.9", "-o",
                 str(out), "--format", "docx", "--format", "md") == 0
    assert {p.name: p.read_bytes() for p in (out / "dronten").iterdir()} == first
    capsys.readouterr()


def test_against_a_folder_with_the_earlier_version(tmp_path: Path) -> None:
    old, new = two_folders(tmp_path)
    out = tmp_path / "out"
    assert build(new.root, "dronten", "--against", str(old.root), "-o",
                 str(out)) == 0
    assert NEW_PARAGRAPH.split()[0] in _document_xml(out / "dronten")


@pytest.mark.parametrize(("against", "message"), [
    ("v9.9", "revision"),
    ("does-not-exist/", "revision or folder"),
])
def test_a_version_that_is_not_there_is_a_usage_error_and_writes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], against: str, message: str
        ) -> None:
    project = git_project(tmp_path)
    out = tmp_path / "out"
    assert build(project.root, "dronten", "--against", against, "-o",
                 str(out)) == 2
    err = capsys.readouterr().err
    assert err.startswith("ivbcompose: error: ") and message in err and "hint:" in err
    assert "Traceback" not in err and not out.exists()


def test_a_folder_that_is_no_project_is_a_usage_error(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    _, new = two_folders(tmp_path)
    empty = tmp_path / "empty"
    empty.mkdir()
    assert build(new.root, "dronten", "--against", str(empty), "-o",
                 str(tmp_path / "out")) == 2
    err = capsys.readouterr().err
    assert "ivbcompose: error: " in err and "hint:" in err and not (tmp_path / "out").exists()


def test_an_earlier_version_that_fails_names_its_problems_with_the_version(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = two_folders(tmp_path)
    broken = old.root / "municipalities/dronten/municipality.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace(
        "  name: Dronten", "  name: [Dronten", 1), encoding="utf-8")
    assert build(new.root, "dronten", "--against", str(old.root), "-o",
                 str(tmp_path / "out")) == 1
    first = capsys.readouterr().err.splitlines()[0]
    assert first.startswith(f"{old.root / 'municipalities/dronten/municipality.yaml'}:5:")
    assert not (tmp_path / "out").exists()


def test_a_revision_that_fails_names_its_problems_with_the_revision(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = git_project(tmp_path)
    path = project.root / "municipalities/dronten/municipality.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  name: Dronten", "  name: [Dronten", 1), encoding="utf-8")
    git(project.root, "commit", "-q", "-a", "-m", "kapot")
    git(project.root, "tag", "kapot")
    path.write_text(text, encoding="utf-8")
    assert build(project.root, "dronten", "--against", "kapot", "-o",
                 str(tmp_path / "out")) == 1
    first = capsys.readouterr().err.splitlines()[0]
    assert first.startswith("kapot:municipalities/dronten/municipality.yaml:5:"), first
    assert not (tmp_path / "out").exists()
