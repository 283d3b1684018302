"""The public Python API: compose, check and build municipalities' documents.

The command line only wraps these functions. Everything raises `IvbError` for
mistakes in the user's input (with every problem and its position), and
`UnknownMunicipality` / `ProjectNotFound` for a wrong name or folder.

    >>> from ivbcompose import api
    >>> project = api.open_project()
    >>> result = api.build(project, "dronten")
    >>> result.outputs
    (PosixPath('.../build/dronten/integraal-veiligheidsbeleid-2020-2023-dronten.docx'),)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from .compose import Composition, compose, load_shared
from .document import Document
from .errors import IvbError, Problem
from .layout import LayoutOptions, lay_out
from .project import Project, find_project
from .provenance import Origin
from .writers import write_atomically
from .writers.docx import DocxOptions, render_docx
from .writers.markdown import render_markdown

__all__ = [
    "BuildOptions",
    "BuildResult",
    "Summary",
    "build",
    "build_all",
    "check",
    "compose_municipality",
    "document_for",
    "open_project",
    "summaries",
]

FORMATS = ("docx", "md")
REFERENCE_NAMES = ("reference.docx", "reference.dotx")


@dataclass(frozen=True)
class BuildOptions:
    """How to build: where to, which formats, and the timestamp written into files.

    `source_date_epoch` (seconds) fixes the document dates for reproducible
    builds; when None the document's own date is used, so a rebuild of the same
    input gives the same bytes either way. `review` marks local differences in
    the document for review (see `document_for`).
    """

    output_dir: Path | None = None
    formats: tuple[str, ...] = ("docx",)
    source_date_epoch: int | None = None
    review: bool = False


@dataclass(frozen=True)
class BuildResult:
    municipality_id: str
    outputs: tuple[Path, ...]


@dataclass(frozen=True)
class Summary:
    """One line of `ivbcompose list`."""

    municipality_id: str
    name: str
    kind: str
    period: str
    status: str
    problems: tuple[Problem, ...] = field(default=())


def open_project(path: Path | None = None) -> Project:
    """The project at `path`, or found from the current directory upwards."""
    return find_project(explicit=path) if path is not None else find_project()


def compose_municipality(project: Project, municipality_id: str) -> Composition:
    """The validated, rendered content of one municipality (shared part + its changes)."""
    return compose(project, municipality_id)


def document_for(project: Project, composition: Composition, review: bool = False) -> Document:
    """The document IR of a composition, with the municipality's logo resolved.

    With `review`, every local difference is marked where it shows (as a Word
    comment), for the regional team's review; the normal build stays clean.
    """
    folder = project.municipality_dir(composition.municipality_id)
    logo = composition.ivb.municipality.logo
    logo_path = None
    if logo is not None:
        candidate = (folder / logo).resolve()
        if not candidate.is_file() or folder.resolve() not in candidate.parents:
            origin = composition.sources.origin(("municipality", "logo"))
            raise IvbError([Problem("logo-missing", f"logo file '{logo}' not found in "
                                    f"{project.display(folder)}", origin,
                                    "give a path relative to the municipality's folder")])
        logo_path = str(candidate)
    return lay_out(composition.ivb, LayoutOptions(logo_path=logo_path,
                                                  differences=composition.differences,
                                                  review=review))


def check(project: Project, municipality_ids: Iterable[str] | None = None) -> list[Problem]:
    """Every problem in the shared part and the given (default: all) municipalities."""
    try:
        shared = load_shared(project)
    except IvbError as error:
        return list(error.problems)
    problems: list[Problem] = []
    for municipality_id in municipality_ids or project.municipality_ids():
        try:
            compose(project, municipality_id, shared)
        except IvbError as error:
            problems.extend(p for p in error.problems if p not in problems)
    return problems


def build(project: Project, municipality_id: str,
          options: BuildOptions | None = None) -> BuildResult:
    """Compose, lay out and write one municipality's document(s).

    Files are written only after everything succeeded, each atomically: a
    failed build never touches an earlier good output.
    """
    options = options or BuildOptions()
    composition = compose(project, municipality_id)
    document = document_for(project, composition, options.review)
    out_dir = (options.output_dir or project.root / "build") / municipality_id
    stem = output_stem(composition)
    rendered: list[tuple[Path, bytes]] = []
    for fmt in options.formats:
        if fmt == "docx":
            data = render_docx(document, _docx_options(project, composition, options))
        elif fmt == "md":
            data = render_markdown(document).encode("utf-8")
        else:
            raise ValueError(f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")
        rendered.append((out_dir / f"{stem}.{fmt}", data))
    for path, data in rendered:
        write_atomically(path, data)
    return BuildResult(municipality_id, tuple(path for path, _ in rendered))


def build_all(project: Project, options: BuildOptions | None = None) -> list[BuildResult]:
    """Build every municipality; stops with all problems of all municipalities, writing none."""
    problems = check(project)
    if problems:
        raise IvbError(problems)
    return [build(project, municipality_id, options)
            for municipality_id in project.municipality_ids()]


def summaries(project: Project) -> list[Summary]:
    """Name, document kind, period and status of every municipality (problems where it fails)."""
    result = []
    for municipality_id in project.municipality_ids():
        try:
            ivb = compose(project, municipality_id).ivb
        except IvbError as error:
            result.append(Summary(municipality_id, "?", "?", "?", "?", error.problems))
            continue
        meta = ivb.document
        result.append(Summary(municipality_id, ivb.municipality.name, meta.kind,
                              f"{meta.period.start}-{meta.period.end}", meta.status))
    return result


def output_stem(composition: Composition) -> str:
    """'integraal-veiligheidsbeleid-2020-2023-dronten'."""
    meta = composition.ivb.document
    kind = re.sub(r"[^a-z0-9]+", "-", meta.kind.lower()).strip("-")
    return f"{kind}-{meta.period.start}-{meta.period.end}-{composition.municipality_id}"


def _docx_options(project: Project, composition: Composition,
                  options: BuildOptions) -> DocxOptions:
    folder = project.municipality_dir(composition.municipality_id)
    reference = next((folder / name for name in REFERENCE_NAMES if (folder / name).is_file()),
                     None)
    epoch = options.source_date_epoch
    if epoch is None:
        day = composition.ivb.document.date
        epoch = int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())
    return DocxOptions(reference_doc=reference, source_date_epoch=epoch)


def unknown_origin(project: Project) -> Origin:
    return Origin(project.display(project.root))
