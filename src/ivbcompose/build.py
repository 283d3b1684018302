"""Building documents: compose, lay out, write, audit, and write the files all or nothing.

`build_many` reads as the pipeline it is: load what every municipality shares
once, then per municipality compose (compose.py), lay out (layout/), render
each format (writers/), audit the Word file and stage its files (written
beside their targets under temporary names), and only when every municipality
succeeded put every file in place. `api.py` re-exports the public names.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

from . import lock
from .compose import (
    Composition,
    Texts,
    compose,
    load_members,
    load_shared,
    shared_document_problems,
)
from .document import Document
from .errors import IvbError, Problem
from .figures.store import ImportedFigures, load_figures
from .files import write_all_atomically
from .formats import FORMATS
from .i18n import tr
from .layout import LayoutOptions, lay_out
from .memory import kept_out_of_collection
from .processes import forks, in_processes, worker_count
from .project import Project
from .provenance import Origin
from .registry import BLOCK_TYPES
from .sources import MapNode, SeqNode
from .woo import FORMATS as WOO_FORMATS
from .woo import diwoo_metadata, metadata_file_name

if TYPE_CHECKING:
    from .writers.docx import DocxOptions

__all__ = [
    "FORMATS",
    "BuildOptions",
    "BuildResult",
    "Loaded",
    "build",
    "build_all",
    "build_many",
    "document_for",
    "errors_only",
    "house_style_problems",
    "load_all",
    "new_problems",
    "output_stem",
    "project_problems",
]


REFERENCE_NAMES = ("reference.docx", "reference.dotx")


@dataclass(frozen=True)
class BuildOptions:
    """How to build: where to, which formats, and the timestamp written into files.

    `source_date_epoch` (seconds) fixes the document dates for reproducible
    builds; when None the document's own date is used, so a rebuild of the same
    input gives the same bytes either way. `review` marks local differences in
    the document for review (see `document_for`); `strict` fails the build on
    warnings (drift, policy checks) too. `kind` and `year` choose the document
    (default: the project's default kind; see `document_kinds`). `jobs` is the
    number of processes that make the documents (None: one per core when there
    are many documents, see `worker_count`); the output is the same either way.
    `internal` keeps the confidential items, marked, in files ending in '-intern'
    (with no Woo metadata: they are not for publication). `against` makes the
    document a renvooi against that earlier version: a git revision of the
    project's repository or a folder (see renvooi/).
    """

    output_dir: Path | None = None
    formats: tuple[str, ...] = ("docx",)
    source_date_epoch: int | None = None
    review: bool = False
    strict: bool = False
    kind: str | None = None
    year: int | None = None
    jobs: int | None = None
    internal: bool = False
    against: str | None = None


@dataclass(frozen=True)
class BuildResult:
    """The files written, and the warnings (drift) found on the way."""

    municipality_id: str
    outputs: tuple[Path, ...]
    warnings: tuple[Problem, ...] = ()



def document_for(project: Project, composition: Composition, review: bool = False) -> Document:
    """The document IR of a composition, with the municipality's logo resolved.

    With `review`, every local difference is marked where it shows (as a Word
    comment), for the regional team's review; the normal build stays clean.
    """
    problems = house_style_problems(project, composition)
    if problems:
        raise IvbError(problems)
    logo = _logo_path(project, composition)
    return lay_out(composition.ivb, BLOCK_TYPES,
                   LayoutOptions(municipality_id=composition.municipality_id,
                                 logo_path=str(logo) if logo else None,
                                 differences=composition.differences, review=review,
                                 internal=composition.internal))


def house_style_problems(project: Project, composition: Composition) -> list[Problem]:
    """A logo or reference document of the municipality that the writer cannot use."""
    folder = project.municipality_dir(composition.municipality_id)
    problems = []
    logo = composition.ivb.municipality.logo
    reference = _reference_path(folder)
    if logo is None and reference is None:
        return problems
    # The Word writer is loaded only where it is needed, so `check` mostly does without it.
    from .writers.docx import image_problem, reference_problem

    if logo is not None:
        origin = composition.sources.origin(("municipality", "logo"))
        path = _logo_path(project, composition)
        if path is None:
            shown = logo if len(logo) <= 80 else logo[:77] + "..."
            problems.append(Problem("logo-missing", tr("logo file '{file}' not found in "
                                                       "{folder}", file=shown,
                                                       folder=project.display(folder)), origin,
                                    tr("give a path relative to the municipality's folder")))
        elif (problem := image_problem(path)) is not None:
            problems.append(Problem("logo-unusable", problem, origin,
                                    tr("save the logo again as a PNG file in the "
                                       "municipality's folder, or remove 'logo:' to build "
                                       "without it")))
    if reference is not None and (problem := reference_problem(reference)) is not None:
        problems.append(Problem("reference-unusable", problem,
                                Origin(project.display(reference)),
                                tr("or remove it to use the built-in house style")))
    return problems


def _logo_path(project: Project, composition: Composition) -> Path | None:
    """The logo file, only when it exists inside the municipality's own folder."""
    logo = composition.ivb.municipality.logo
    if logo is None:
        return None
    folder = project.municipality_dir(composition.municipality_id).resolve()
    try:
        candidate = (folder / logo).resolve()
        found = candidate.is_file() and folder in candidate.parents
    except (OSError, ValueError):  # a name too long for the file system, or with a NUL
        return None
    return candidate if found else None


def _reference_path(folder: Path) -> Path | None:
    return next((folder / name for name in REFERENCE_NAMES if (folder / name).is_file()), None)


def project_problems(project: Project, shared: MapNode | None = None) -> list[Problem]:
    """Problems of the project as a whole: municipality folders that would silently drop
    out, and mistakes in the shared metadata that every municipality happens to override."""
    # A folder that drops out is an error; a stray file beside municipality.yaml a warning.
    problems = [Problem("municipality-folder", message, Origin(project.display(path)), hint,
                        severity="warning" if path.is_file() else "error")
                for path, message, hint in project.folder_problems()]
    if shared is None:
        try:
            shared = load_shared(project)
        except IvbError:
            return problems  # composing reports these, with the rest
    return problems + shared_document_problems(shared)



@dataclass(frozen=True)
class Loaded:
    """What every municipality's composition shares, read once per command: the shared
    part, the members (and their files, by id), their imported figures, the lock file,
    and the texts (each compiled and checked once)."""

    shared: MapNode
    members: SeqNode
    figures: ImportedFigures
    lock: dict[str, Any]
    texts: Texts = field(default_factory=Texts)
    files: dict[str, MapNode] = field(default_factory=dict)


def load_all(project: Project) -> tuple[Loaded | None, list[Problem]]:
    """The shared part and members (None when they cannot be loaded), and the project's
    problems so far."""
    try:
        shared = load_shared(project)
        files: dict[str, MapNode] = {}
        members = load_members(project, files)
        figures = load_figures(project)
        recorded = lock.read_lock(project)
    except IvbError as error:
        return None, project_problems(project) + list(error.problems)
    return (Loaded(shared, members, figures, recorded, files=files),
            project_problems(project, shared))


_Each = TypeVar("_Each")


def each_loaded(project: Project, ids: Iterable[str], loaded: Loaded | None,
                one: Callable[[str, Loaded], _Each],
                unloaded: Callable[[list[Problem]], _Each]) -> Iterator[tuple[str, _Each]]:
    """`one(id, loaded)` for each municipality, in the order of `ids`: the work of a build
    or a check, in one process or in each of several (`processes.in_processes`).

    The project is loaded here when it is not given (in a process started afresh, on
    platforms that do not fork); when it cannot be loaded, each municipality gets
    `unloaded(problems)`. Each document makes hundreds of thousands of objects: what is
    loaded (at hundreds of members, millions of values with their positions) is kept out
    of the collector's passes that starts.
    """
    if loaded is None:
        loaded, problems = load_all(project)
        if loaded is None:
            for municipality_id in ids:
                yield municipality_id, unloaded(problems)
            return
    with kept_out_of_collection():
        for municipality_id in ids:
            yield municipality_id, one(municipality_id, loaded)



def build(project: Project, municipality_id: str,
          options: BuildOptions | None = None) -> BuildResult:
    """Compose, lay out and write one municipality's document(s).

    Everything is made in memory first: the .docx is checked against the
    accessibility rules (see `writers.docx.audit`) and the PDF is made by
    LibreOffice from it. Only when all of that succeeded are the files put in
    place, each atomically: a failed build never touches a good output.
    """
    return build_many(project, [municipality_id], options)[0]


def build_many(project: Project, municipality_ids: Iterable[str],
               options: BuildOptions | None = None) -> list[BuildResult]:
    """Build several municipalities, all or nothing: with any problem, none is written."""
    options = options or BuildOptions()
    unknown = [fmt for fmt in options.formats if fmt not in FORMATS]
    if unknown:
        raise ValueError(tr("unknown format {format}; known: {names}", format=repr(unknown[0]),
                            names=", ".join(FORMATS)))
    office = [fmt for fmt in options.formats if fmt in _OFFICE_FORMATS]
    if office:  # before minutes of work, not after
        from .writers.libreoffice import ensure_libreoffice

        _office_step(ensure_libreoffice, options.output_dir or project.root / "build", project,
                     office[0])
    if options.against is not None:  # a version that is not there, before the work
        from .renvooi import check_against

        check_against(project, options.against)
    ids = project.known_ids(municipality_ids)
    loaded, problems = load_all(project)
    if loaded is None:
        raise IvbError(problems)
    problems = errors_only(problems, options.strict)
    jobs = worker_count(options.jobs, len(ids))
    if jobs == 1:
        making = _prepare_all(project, options, ids, loaded)
    else:
        if forks():
            _load_writers()  # once here, not in every process
        making = in_processes(functools.partial(_prepare_all, project, options), ids, jobs,
                              loaded)
    # Closed on the way out: a failed write stops the processes now, not when collected.
    with contextlib.closing(making) as outcomes:
        made: dict[str, BuildResult] = {}
        failed: dict[str, list[Problem]] = {}

        def files() -> Iterator[tuple[Path, bytes]]:
            # Each document's files are staged as soon as they are made, so a build holds
            # one document in memory, not all of them; a problem anywhere (raised at the
            # end, with every problem of every municipality) removes what was staged.
            for municipality_id, outcome in outcomes:
                if isinstance(outcome, _Prepared):
                    made[municipality_id] = BuildResult(
                        municipality_id, tuple(path for path, _ in outcome.files),
                        outcome.warnings)
                    if not (problems or failed):  # else nothing will be written
                        yield from outcome.files
                else:
                    failed[municipality_id] = outcome
            for municipality_id in ids:  # in order, however the processes took them
                problems.extend(new_problems(problems, failed.get(municipality_id, ())))
            if problems:
                raise IvbError(problems)

        write_all_atomically(files())
    return [made[municipality_id] for municipality_id in ids]


_Outcome: TypeAlias = "_Prepared | list[Problem]"


def _prepare_all(project: Project, options: BuildOptions, ids: Iterable[str],
                 loaded: Loaded | None = None) -> Iterator[tuple[str, _Outcome]]:
    """Each municipality's files, or its problems, one by one in the order of `ids`."""
    return each_loaded(project, ids, loaded, functools.partial(_prepare_one, project, options),
                       list)


def _prepare_one(project: Project, options: BuildOptions, municipality_id: str,
                 loaded: Loaded) -> _Outcome:
    try:
        outcome: _Outcome = _prepare(project, municipality_id, options, loaded)
    except IvbError as error:
        outcome = list(error.problems)
    # A Word package is a few hundred objects in reference cycles holding a document's
    # worth of memory, which would otherwise wait for a rare full pass; with the project
    # frozen (each_loaded) the pass costs about 15 ms.
    gc.collect()
    return outcome


def _load_writers() -> None:
    """Import the writers `_prepare` uses (it imports them itself when it needs them)."""
    from .writers import html, markdown  # noqa: F401
    from .writers.docx import audit, render_docx  # noqa: F401


def build_all(project: Project, options: BuildOptions | None = None) -> list[BuildResult]:
    """Build every municipality; stops with all problems of all municipalities, writing none."""
    return build_many(project, project.municipality_ids(), options)


@dataclass(frozen=True)
class _Prepared:
    """A municipality's output files, made but not yet written."""

    municipality_id: str
    files: tuple[tuple[Path, bytes], ...]
    warnings: tuple[Problem, ...]


def _prepare(project: Project, municipality_id: str, options: BuildOptions,
             loaded: Loaded) -> _Prepared:
    composition = compose(project, municipality_id, loaded.shared, loaded.members,
                          options.kind, options.year, loaded.figures, loaded.texts,
                          internal=options.internal, local=loaded.files.get(municipality_id))
    warnings = [*composition.warnings, *lock.drift(project, composition, loaded.lock)]
    if options.strict and warnings:
        raise IvbError(warnings)
    out_dir = (options.output_dir or project.root / "build") / municipality_id
    # An internal file never overwrites, nor looks like, the public one.
    stem = output_stem(composition) + ("-intern" if options.internal else "")
    document = document_for(project, composition, options.review)
    if options.against is not None:
        from .renvooi import against_document

        document = against_document(project, composition, document, options.against)
    from .writers.docx import render_docx
    from .writers.html import render_html
    from .writers.markdown import render_markdown

    docx_data = render_docx(document, _docx_options(project, composition, options))
    _audit(docx_data, out_dir / f"{stem}.docx", project)
    makers: dict[str, Callable[[], bytes]] = {
        "docx": lambda: docx_data,
        "md": lambda: render_markdown(document).encode("utf-8"),
        # The web page draws no change marks: it shows the accepted text and the appendix.
        "html": lambda: render_html(_accepted(document) if options.against else document
                                    ).encode("utf-8"),
        **{fmt: functools.partial(_office_bytes, docx_data, out_dir / f"{stem}.{fmt}", project,
                                  fmt) for fmt in _OFFICE_FORMATS},
    }
    files = tuple((out_dir / f"{stem}.{fmt}", makers[fmt]())
                  for fmt in dict.fromkeys(options.formats))
    # Each published file gets its Woo metadata beside it, written with it, all or nothing.
    files += tuple((path.with_name(metadata_file_name(path.name)),
                    diwoo_metadata(document, composition.ivb, path.name, len(data)))
                   for path, data in files
                   if path.suffix in WOO_FORMATS and not options.internal)
    return _Prepared(municipality_id, files, tuple(warnings))


def _accepted(document: Document) -> Document:
    from .renvooi import accept_all

    return accept_all(document)


def _audit(data: bytes, path: Path, project: Project) -> None:
    """Fail the build when what would be written breaks an accessibility rule."""
    from .writers.docx.audit import audit_docx

    findings = audit_docx(data)
    if findings:
        origin = Origin(project.display(path))
        raise IvbError([Problem(f"a11y-{f.code}", tr("the document would break an "
                                                     "accessibility rule: {message}",
                                                     message=f.message), origin, f.hint)
                        for f in findings])


# The formats LibreOffice makes from the .docx (see `_office_bytes`).
_OFFICE_FORMATS = ("pdf", "odt")
_T = TypeVar("_T")


def _office_bytes(docx_data: bytes, target: Path, project: Project, fmt: str) -> bytes:
    """The PDF or ODT of a .docx, made by LibreOffice as the format's writer describes."""
    from .writers.libreoffice import convert
    from .writers.odt import ODT
    from .writers.pdf import PDF

    export = {"pdf": PDF, "odt": ODT}[fmt]
    return _office_step(lambda: convert(docx_data, target.with_suffix(".docx").name, export),
                        target, project, fmt)


def _office_step(step: Callable[[], _T], target: Path, project: Project, fmt: str) -> _T:
    """Run a LibreOffice step; its failure is a problem with that file, not a traceback."""
    from .writers.libreoffice import LibreOfficeError

    try:
        return step()
    except LibreOfficeError as error:
        raise IvbError([Problem(fmt, tr("no {format}: {message}", format=fmt.upper(),
                                        message=error.message),
                                Origin(project.display(target)), error.hint)]) from None



def output_stem(composition: Composition) -> str:
    """'integraal-veiligheidsbeleid-2020-2023-<id>' for the default kind, else the kind
    and the period or year: 'uitvoeringsprogramma-2021-<id>'."""
    ivb = composition.ivb
    meta = ivb.document
    default = not ivb.kinds or ivb.kind_id in (None, ivb.kinds[0].id)
    kind = re.sub(r"[^a-z0-9]+", "-", meta.kind.lower()).strip("-") if default \
        else str(ivb.kind_id)
    when = str(meta.year) if meta.year is not None else f"{meta.period.start}-{meta.period.end}"
    return f"{kind}-{when}-{composition.municipality_id}"




def _docx_options(project: Project, composition: Composition,
                  options: BuildOptions) -> DocxOptions:
    reference = _reference_path(project.municipality_dir(composition.municipality_id))
    epoch = options.source_date_epoch
    if epoch is None:
        day = composition.ivb.document.date
        epoch = int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())
    from .writers.docx import DocxOptions

    return DocxOptions(reference_doc=reference, source_date_epoch=epoch)


def errors_only(problems: Iterable[Problem], strict: bool = False) -> list[Problem]:
    """The problems that fail a command: errors, and warnings too when `strict`."""
    return [p for p in problems if strict or p.severity == "error"]


def new_problems(problems: list[Problem], found: Iterable[Problem]) -> Iterator[Problem]:
    """The problems of `found` not reported yet: one per position and kind, since composing
    several municipalities meets a mistake in one file (a member's identity) more than once."""
    seen = {(p.origin.location(), p.code) for p in problems}
    for problem in found:
        key = (problem.origin.location(), problem.code)
        if key not in seen:
            seen.add(key)
            yield problem
