"""Shared fixtures: a fresh copy of the fixture project for each test that changes files.

Tests that need exact wording, ids or figures use the frozen fixture project
under tests/fixtures/project, never the live example in the repository root
(see tests/test_example.py for what is checked of the live example).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ivbcompose.project import Project

REPO = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "project"


@pytest.fixture(autouse=True)
def english_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages in English whatever the machine's locale; tests of Dutch ask for it."""
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


@pytest.fixture(autouse=True)
def no_daemon_from_outside(tmp_path_factory: pytest.TempPathFactory,
                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A daemon someone started on this machine is not used: the tests that want one
    start their own (tests/test_daemon.py)."""
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path_factory.getbasetemp()))


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """A copy of the fixture project (shared part, three municipalities, lock file)."""
    return copy_project(FIXTURE, tmp_path / "project")


def copy_project(source: Path, root: Path) -> Project:
    """A copy of the project at `source` (shared part, municipalities, lock file) at `root`."""
    root.mkdir()
    shutil.copytree(source / "shared", root / "shared")
    shutil.copytree(source / "municipalities", root / "municipalities")
    if (source / "ivbcompose.lock").is_file():
        shutil.copy2(source / "ivbcompose.lock", root / "ivbcompose.lock")
    return Project(root)


def edit(path: Path, old: str, new: str) -> None:
    """Replace one exact occurrence of `old` in a file (fails loudly if it is not there)."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"expected exactly one {old!r} in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    """The 1-based line number of the first line containing `needle`."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def documents(folder: Path) -> list[Path]:
    """The documents a build wrote into `folder`, without their Woo metadata files."""
    return sorted(p for p in folder.iterdir() if not p.name.endswith(".diwoo.xml"))
