"""A renvooi: the document with every difference from an earlier version marked.

`build --against REVISION|FOLDER` composes the earlier version of the project
with this same code, lays both out, and marks in the new document what was
inserted and deleted (`diff.py`), word by word where a paragraph, heading,
list item or table cell changed, whole blocks where they were added or
removed. The Word writer shows the marks as tracked changes, the Markdown
writer as text marks; an appendix says every change in words (`appendix.py`).
`marks.accept_all` of a renvooi is the new document, `marks.reject_all` the
earlier one. Reading the earlier version is `earlier.py`.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..compose import Composition
from ..document import Document
from ..errors import IvbError
from ..layout import chapter_break
from ..model.meta import ChapterStart
from ..project import Project, UnknownMunicipality
from .appendix import appendix_title, change_rows, renvooi_appendix
from .diff import mark_changes, mark_words
from .earlier import (
    AgainstError,
    Earlier,
    check_against,
    earlier_project,
    relabelled,
    unknown_municipality,
)
from .marks import accept_all, changed, normalised, reject_all

__all__ = [
    "AgainstError",
    "Earlier",
    "accept_all",
    "against_document",
    "appendix_title",
    "change_rows",
    "changed",
    "check_against",
    "earlier_document",
    "mark_changes",
    "mark_words",
    "normalised",
    "reject_all",
    "renvooi",
]


def against_document(project: Project, composition: Composition, document: Document,
                     against: str, cwd: Path | None = None) -> Document:
    """`document` (the laid-out `composition`) as a renvooi against the earlier version
    `against`: a folder (relative to `cwd`), else a git revision of the project's
    repository. Raises AgainstError when that version cannot be found, IvbError with
    its problems (each naming the version) when it cannot be composed."""
    earlier = earlier_document(project, composition, against, cwd)
    return renvooi(earlier, document, composition.ivb.document.chapter_start)


def earlier_document(project: Project, composition: Composition, against: str,
                     cwd: Path | None = None) -> Document:
    """The earlier version's document of the same municipality, kind and year."""
    # Loaded here, not at the top: the build calls this module, and this uses the build's
    # own steps, so the earlier version is composed exactly as the new one.
    from ..build import document_for, errors_only, load_all
    from ..compose import compose

    ivb = composition.ivb
    year = ivb.document.year if ivb.kind_id is not None else None
    with earlier_project(project, against, cwd) as earlier:
        try:
            loaded, problems = load_all(earlier.project)
            problems = errors_only(problems)
            if loaded is None or problems:
                raise IvbError(problems)
            old = compose(earlier.project, composition.municipality_id, loaded.shared,
                          loaded.members, ivb.kind_id, year, loaded.figures, loaded.texts)
            return document_for(earlier.project, old)
        except IvbError as error:
            raise relabelled(error, earlier) from None
        except UnknownMunicipality as error:
            raise unknown_municipality(error, earlier) from None


def renvooi(earlier: Document, document: Document,
            chapter_start: ChapterStart = "auto") -> Document:
    """`document` with its differences from `earlier` marked, and the appendix that lists
    them; the title page carries the earlier one's, for the writer to track what changed
    on it; the document properties are the new document's."""
    blocks = mark_changes(earlier.blocks, document.blocks)
    appendix = renvooi_appendix(blocks, earlier.title_page.version, earlier.title_page.date,
                                document.title_page.version, document.title_page.date)
    cover = replace(document.title_page, earlier=replace(earlier.title_page, earlier=None))
    return replace(document, title_page=cover,
                   blocks=(*blocks, *chapter_break(chapter_start), *appendix))
