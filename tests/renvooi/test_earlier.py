"""renvooi/earlier.py and `against_document`: the earlier version from git or a folder.

A revision is read from the project's own repository (also when the project is
a folder inside it) without touching the working tree; a folder is used as it
is. Every way of naming a version that is not there, or one that does not
compose, is a clear error that names it.
"""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest

from ivbcompose.document import Paragraph
from ivbcompose.errors import IvbError
from ivbcompose.i18n import tr
from ivbcompose.renvooi import (
    AgainstError,
    accept_all,
    against_document,
    changed,
    check_against,
    normalised,
)
from ivbcompose.renvooi.appendix import APPENDIX_ANCHOR

from ..conftest import edit
from .versions import NEW_PARAGRAPH, composed, git, git_project, two_folders


def _appendix_heading(document_blocks: tuple) -> str:  # type: ignore[type-arg]
    return next(b.text for b in document_blocks if getattr(b, "anchor", None) == APPENDIX_ANCHOR)


@pytest.mark.parametrize("subfolder", ["", "beleid/ivb"])
def test_a_git_revision_is_compared_with_the_working_tree(tmp_path: Path,
                                                          subfolder: str) -> None:
    project = git_project(tmp_path, subfolder)
    composition, document = composed(project)
    status = git(project.root, "status", "--porcelain")
    result = against_document(project, composition, document, "v0.9")
    assert changed(result)
    assert _appendix_heading(result.blocks) == \
        "Bijlage: Wijzigingen ten opzichte van versie 0.9"
    # The marks accepted are the new document, with the appendix after it.
    accepted = normalised(accept_all(result)).blocks
    assert accepted[:len(document.blocks)] == normalised(document).blocks
    assert git(project.root, "status", "--porcelain") == status  # the tree is untouched
    # Any revision git knows: the commit before HEAD is the same version.
    assert against_document(project, composition, document, "HEAD~1") == result


def test_a_folder_is_used_as_it_is(tmp_path: Path) -> None:
    old, new = two_folders(tmp_path)
    composition, document = composed(new)
    by_path = against_document(new, composition, document, str(old.root))
    relative = against_document(new, composition, document, "old", cwd=tmp_path)
    assert by_path == relative
    assert any(block.change == "inserted" and block.spans[0].text == NEW_PARAGRAPH
               for block in by_path.blocks if isinstance(block, Paragraph))


def test_a_revision_that_does_not_exist(tmp_path: Path) -> None:
    project = git_project(tmp_path)
    composition, document = composed(project)
    for revision in ("v0.8", "-h", "HEAD~5", ""):
        with pytest.raises(AgainstError) as raised:
            against_document(project, composition, document, revision, cwd=tmp_path)
        assert f"'{revision}'" in raised.value.message
        assert "git log" in raised.value.hint


def test_a_project_outside_git_names_the_folder_way(tmp_path: Path) -> None:
    _, new = two_folders(tmp_path)
    composition, document = composed(new)
    with pytest.raises(AgainstError, match="not in a git repository") as raised:
        against_document(new, composition, document, "v0.9", cwd=tmp_path)
    assert "folder" in raised.value.hint


def test_a_folder_that_is_not_a_project(tmp_path: Path) -> None:
    _, new = two_folders(tmp_path)
    composition, document = composed(new)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "a-file.txt").write_text("x", encoding="utf-8")
    for name in ("elsewhere", "a-file.txt"):
        with pytest.raises(AgainstError, match="is not an ivbcompose project"):
            against_document(new, composition, document, name, cwd=tmp_path)


def test_a_revision_before_the_project_existed(tmp_path: Path) -> None:
    project = git_project(tmp_path, "beleid")
    empty_tree = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"  # git's own empty tree
    commit = git(project.root, "commit-tree", empty_tree, "-m", "leeg").strip()
    git(project.root, "tag", "leeg", commit)
    composition, document = composed(project)
    with pytest.raises(AgainstError, match="holds no ivbcompose project in beleid/"):
        against_document(project, composition, document, "leeg")


def test_an_earlier_version_that_does_not_compose_names_the_revision(tmp_path: Path) -> None:
    project = git_project(tmp_path)
    dronten = project.municipality_file("dronten")
    edit(dronten, "  - replace: inleiding.body", "  - replace: inleiding.bodie")
    git(project.root, "commit", "-q", "-a", "-m", "kapot")
    git(project.root, "tag", "kapot")
    edit(dronten, "  - replace: inleiding.bodie", "  - replace: inleiding.body")
    composition, document = composed(project)
    with pytest.raises(IvbError) as raised:
        against_document(project, composition, document, "kapot")
    (problem, *_) = raised.value.problems
    assert problem.origin.file == "kapot:municipalities/dronten/municipality.yaml"
    assert problem.origin.line > 0 and problem.hint


def test_an_earlier_folder_that_does_not_compose_names_its_files(tmp_path: Path) -> None:
    old, new = two_folders(tmp_path)
    edit(old.municipality_file("dronten"), "  - replace: inleiding.body",
         "  - replace: inleiding.bodie")
    composition, document = composed(new)
    with pytest.raises(IvbError) as raised:
        against_document(new, composition, document, str(old.root))
    files = {problem.origin.file for problem in raised.value.problems}
    assert str(old.municipality_file("dronten").resolve()) in files


def test_a_municipality_the_earlier_version_does_not_have(tmp_path: Path) -> None:
    old, new = two_folders(tmp_path)
    shutil.rmtree(old.municipality_dir("dronten"))
    composition, document = composed(new)
    with pytest.raises(AgainstError, match="municipality 'dronten' does not exist in"):
        against_document(new, composition, document, str(old.root))


def test_a_wrong_version_is_found_before_any_work(tmp_path: Path) -> None:
    project = git_project(tmp_path)
    check_against(project, "v0.9")
    check_against(project, str(project.root))
    with pytest.raises(AgainstError, match=r"no revision or folder 'v0\.8'"):
        check_against(project, "v0.8")


def test_the_error_survives_a_build_process() -> None:
    error = AgainstError(tr("there is no revision or folder '{revision}' to compare with",
                            revision="v0.8"), tr("give a tag"))
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.message, copy.hint, str(copy)) == (error.message, error.hint, str(error))
    assert copy.message.template == error.message.template
