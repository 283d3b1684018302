"""Shared fixtures: a fresh copy of the example project for each test that changes files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ivbcompose.project import Project

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """A copy of the example project (shared part, three municipalities, lock file)."""
    root = tmp_path / "project"
    root.mkdir()
    shutil.copytree(REPO / "shared", root / "shared")
    shutil.copytree(REPO / "municipalities", root / "municipalities")
    shutil.copy2(REPO / "ivbcompose.lock", root / "ivbcompose.lock")
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
