"""The public Python API: compose, check and build municipalities' documents.

The command line only wraps these functions. Everything raises `IvbError` for
mistakes in the user's input (with every problem and its position), and
`UnknownMunicipality` / `ProjectNotFound` for a wrong name or folder.

    >>> from ivbcompose import api
    >>> project = api.open_project()
    >>> result = api.build(project, "mijn-gemeente")
    >>> result.outputs
    (PosixPath('.../build/mijn-gemeente/integraal-veiligheidsbeleid-...-mijn-gemeente.docx'),)
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import lock
from .compare import Comparison
from .compare import compare as compare_compositions
from .compose import Composition, compose, load_members, load_shared, shared_document_problems
from .document import Document
from .errors import IvbError, Problem
from .explain import Explanation
from .explain import explain as explain_values
from .figures.exports import Export, ExportError, read_export
from .figures.fetch import fetch_table
from .figures.store import ImportSummary, load_figures, plan_import
from .files import write_all_atomically
from .kinds import kind_infos
from .layout import LayoutOptions, lay_out
from .project import Project, find_project
from .provenance import Origin
from .registry import BLOCK_TYPES
from .scaffold import InvalidNewMunicipality, NewMunicipality, municipality_yaml, problems_of
from .sources import MapNode, ScalarNode, SeqNode, load_yaml
from .writers.docx import DocxOptions, image_problem, reference_problem, render_docx
from .writers.docx.audit import audit_docx
from .writers.markdown import render_markdown
from .writers.pdf import PdfError, convert_to_pdf, ensure_libreoffice

__all__ = [
    "FORMATS",
    "BuildOptions",
    "BuildResult",
    "DocumentKind",
    "FigureImportError",
    "InvalidNewMunicipality",
    "NewMunicipality",
    "Summary",
    "UnknownDocument",
    "accept",
    "build",
    "build_all",
    "build_many",
    "check",
    "check_document",
    "compare",
    "compose_municipality",
    "document_for",
    "document_kinds",
    "errors_only",
    "explain",
    "house_style_problems",
    "import_figures",
    "new_municipality",
    "open_project",
    "output_stem",
    "project_problems",
    "summaries",
]

FORMATS = ("docx", "md", "pdf")
REFERENCE_NAMES = ("reference.docx", "reference.dotx")


@dataclass(frozen=True)
class BuildOptions:
    """How to build: where to, which formats, and the timestamp written into files.

    `source_date_epoch` (seconds) fixes the document dates for reproducible
    builds; when None the document's own date is used, so a rebuild of the same
    input gives the same bytes either way. `review` marks local differences in
    the document for review (see `document_for`); `strict` fails the build on
    warnings (drift, policy checks) too. `kind` and `year` choose the document
    (default: the project's default kind; see `document_kinds`).
    """

    output_dir: Path | None = None
    formats: tuple[str, ...] = ("docx",)
    source_date_epoch: int | None = None
    review: bool = False
    strict: bool = False
    kind: str | None = None
    year: int | None = None


@dataclass(frozen=True)
class BuildResult:
    """The files written, and the warnings (drift) found on the way."""

    municipality_id: str
    outputs: tuple[Path, ...]
    warnings: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class Summary:
    """One line of `ivbcompose list`."""

    municipality_id: str
    name: str
    kind: str
    period: str
    status: str
    problems: tuple[Problem, ...] = field(default=())
    documents: tuple[str, ...] = ()


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
    problems = house_style_problems(project, composition)
    if problems:
        raise IvbError(problems)
    logo = _logo_path(project, composition)
    return lay_out(composition.ivb, BLOCK_TYPES,
                   LayoutOptions(municipality_id=composition.municipality_id,
                                 logo_path=str(logo) if logo else None,
                                 differences=composition.differences, review=review))


def house_style_problems(project: Project, composition: Composition) -> list[Problem]:
    """A logo or reference document of the municipality that the writer cannot use."""
    folder = project.municipality_dir(composition.municipality_id)
    problems = []
    logo = composition.ivb.municipality.logo
    if logo is not None:
        origin = composition.sources.origin(("municipality", "logo"))
        path = _logo_path(project, composition)
        if path is None:
            shown = logo if len(logo) <= 80 else logo[:77] + "..."
            problems.append(Problem("logo-missing", f"logo file '{shown}' not found in "
                                    f"{project.display(folder)}", origin,
                                    "give a path relative to the municipality's folder"))
        elif (problem := image_problem(path)) is not None:
            problems.append(Problem("logo-unusable", problem, origin))
    reference = _reference_path(folder)
    if reference is not None and (problem := reference_problem(reference)) is not None:
        problems.append(Problem("reference-unusable", problem,
                                Origin(project.display(reference)),
                                "or remove it to use the built-in house style"))
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
class _Loaded:
    """What every municipality's composition shares, read once per command: the shared
    part, the members, their imported figures and the lock file."""

    shared: MapNode
    members: SeqNode
    figures: SeqNode
    lock: dict[str, Any]


def _load_shared_checked(project: Project) -> tuple[_Loaded | None, list[Problem]]:
    """The shared part and members (None when they cannot be loaded), and the project's
    problems so far."""
    try:
        shared = load_shared(project)
        members = load_members(project)
        figures = load_figures(project)
        recorded = lock.read_lock(project)
    except IvbError as error:
        return None, project_problems(project) + list(error.problems)
    return _Loaded(shared, members, figures, recorded), project_problems(project, shared)


def _new(problems: list[Problem], found: Iterable[Problem]) -> Iterator[Problem]:
    """The problems of `found` not reported yet: one per position and kind, since composing
    several municipalities meets a mistake in one file (a member's identity) more than once."""
    seen = {(p.origin.location(), p.code) for p in problems}
    for problem in found:
        key = (problem.origin.location(), problem.code)
        if key not in seen:
            seen.add(key)
            yield problem


def check(project: Project, municipality_ids: Iterable[str] | None = None) -> list[Problem]:
    """Every problem in the shared part and the given (default: all) municipalities.

    Errors come first; warnings (`severity == "warning"`: drift against the
    lock file) follow for the municipalities that compose.
    """
    loaded, problems = _load_shared_checked(project)
    if loaded is None:
        return problems
    warnings: list[Problem] = []
    for municipality_id in municipality_ids or project.municipality_ids():
        try:
            composition = compose(project, municipality_id, loaded.shared, loaded.members,
                                  figures=loaded.figures)
        except IvbError as error:
            problems.extend(_new(problems, error.problems))
            continue
        problems.extend(house_style_problems(project, composition))
        problems.extend(_new(problems, _other_kinds(project, composition, loaded)))
        warnings.extend(composition.warnings)
        warnings.extend(lock.drift(project, composition, loaded.lock))
    return ([p for p in problems if p.severity == "error"]
            + [p for p in problems if p.severity != "error"] + warnings)


def _other_kinds(project: Project, composition: Composition, loaded: _Loaded) -> list[Problem]:
    """What building the municipality's other kinds of document would refuse: each kind
    once, a per-year kind for every year the municipality gave metadata for (else its
    first year)."""
    ivb = composition.ivb
    years = ivb.document.years
    problems: list[Problem] = []
    for kind in ivb.kinds[1:]:
        chosen = [None] if not kind.per_year else sorted(
            {*_years_with_metadata(composition, kind.id), *[p.year for p in ivb.progress]}
            & set(years)) or years[:1]
        for year in chosen:
            try:
                compose(project, composition.municipality_id, loaded.shared, loaded.members,
                        kind.id, year, loaded.figures)
            except IvbError as error:
                problems.extend(_new(problems, error.problems))
    return problems


def _years_with_metadata(composition: Composition, kind_id: str) -> list[int]:
    documents = composition.local.get("documents") if composition.local else None
    own = documents.get(kind_id) if isinstance(documents, MapNode) else None
    return [y for y in own.values if isinstance(y, int)] if isinstance(own, MapNode) else []


def errors_only(problems: Iterable[Problem], strict: bool = False) -> list[Problem]:
    """The problems that fail a command: errors, and warnings too when `strict`."""
    return [p for p in problems if strict or p.severity == "error"]


def explain(project: Project, municipality_id: str,
            address: str | None = None) -> list[Explanation]:
    """Each value of one item, field or the whole document with its origin (see explain.py)."""
    return explain_values(compose(project, municipality_id), address)


def accept(project: Project, municipality_ids: Iterable[str]) -> Path:
    """Record in the lock file that these municipalities' changes were reviewed against the
    current shared part; returns the lock file's path."""
    return lock.accept(project, [compose(project, m) for m in municipality_ids])


def new_municipality(project: Project, new: NewMunicipality) -> Path:
    """Add a municipality to the basisteam: its folder and file, its changes accepted.

    Raises `InvalidNewMunicipality` (nothing is created) for an id that exists
    or is no valid folder name, a bad CBS code or one another member has, or
    a count of inhabitants that is not positive; `IvbError` (and removes what
    it made) when the project with the new municipality does not compose.
    """
    problems = problems_of(project, new)
    taken = {code: m for m in project.municipality_ids() if (code := _cbs_code(project, m))}
    if new.cbs_code in taken:
        problems.append(f"CBS code {new.cbs_code} is already used by '{taken[new.cbs_code]}'")
    if problems:
        raise InvalidNewMunicipality("; ".join(problems))
    folder = project.municipalities_dir / new.id
    path = folder / "municipality.yaml"
    lock_path = project.root / lock.LOCK_FILE
    lock_before = lock_path.read_bytes() if lock_path.is_file() else None
    write_all_atomically([(path, municipality_yaml(new).encode("utf-8"))])
    try:
        accept(project, [new.id])
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        if lock_before is not None:
            write_all_atomically([(lock_path, lock_before)])
        raise
    return path


def _cbs_code(project: Project, municipality_id: str) -> str | None:
    """The CBS code a municipality's file gives, if it can be read."""
    try:
        node = load_yaml(project.municipality_file(municipality_id),
                         project.display(project.municipality_file(municipality_id)))
    except IvbError:
        return None
    identity = node.get("municipality") if isinstance(node, MapNode) else None
    code = identity.get("cbs_code") if isinstance(identity, MapNode) else None
    return code.value if isinstance(code, ScalarNode) and isinstance(code.value, str) else None


class FigureImportError(Exception):
    """An export that cannot be imported; `problem` says where and why."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem


def import_figures(project: Project, path: Path | None, metadata: Path | None = None,
                   table: str | None = None, fetch: str | None = None) -> ImportSummary:
    """Read an open-data export and write each member's figures (and Nederland's) as YAML.

    With `fetch` (a table id) the export is read from the CBS OData API instead
    of `path`. Nothing is written when the export cannot be read
    (`FigureImportError`); a newer export replaces what an earlier import
    wrote, never hand-written YAML. The summary says what was written, what
    changed and what was ignored.
    """
    try:
        if fetch is not None:
            codes = [c for m in project.municipality_ids() if (c := _cbs_code(project, m))]
            with tempfile.TemporaryDirectory(prefix="ivbcompose-fetch-") as work:
                fetched = fetch_table(fetch, [*codes, "NL01"], Path(work))
                return _import(project, read_export(fetched, None, fetch), fetched.name)
        assert path is not None
        export = read_export(path, metadata, table)
    except ExportError as error:
        where = Origin(error.file, error.row or 0, 1 if error.row else 0)
        raise FigureImportError(Problem("figures-export", error.message, where,
                                        error.hint)) from None
    return _import(project, export, path.name)


def _import(project: Project, export: Export, source: str) -> ImportSummary:
    if not export.table:
        raise FigureImportError(Problem("figures-table", "the export does not say which table "
                                        "it is", Origin(source),
                                        "give --table, e.g. --table 83648NED"))
    members = {m: (_cbs_code(project, m) or "", _name(project, m))
               for m in project.municipality_ids()}
    files, summary = plan_import(project, export, members, source)
    write_all_atomically(files)
    return summary


def _name(project: Project, municipality_id: str) -> str:
    node = load_yaml(project.municipality_file(municipality_id),
                     project.display(project.municipality_file(municipality_id)))
    identity = node.get("municipality") if isinstance(node, MapNode) else None
    name = identity.get("name") if isinstance(identity, MapNode) else None
    return str(name.value) if isinstance(name, ScalarNode) else municipality_id


def compare(project: Project) -> Comparison:
    """Items that differ between the municipalities, by municipality."""
    shared, members = load_shared(project), load_members(project)
    return compare_compositions([compose(project, m, shared, members)
                                 for m in project.municipality_ids()])


def build(project: Project, municipality_id: str,
          options: BuildOptions | None = None) -> BuildResult:
    """Compose, lay out and write one municipality's document(s).

    Everything is made in memory first: the .docx is checked against the
    accessibility rules (see `writers.docx.audit`) and the PDF is made by
    LibreOffice from it. Only when all of that succeeded are the files
    written, each atomically: a failed build never touches a good output.
    """
    return build_many(project, [municipality_id], options)[0]


def build_many(project: Project, municipality_ids: Iterable[str],
               options: BuildOptions | None = None) -> list[BuildResult]:
    """Build several municipalities, all or nothing: with any problem, none is written."""
    options = options or BuildOptions()
    unknown = [fmt for fmt in options.formats if fmt not in FORMATS]
    if unknown:
        raise ValueError(f"unknown format {unknown[0]!r}; known: {', '.join(FORMATS)}")
    if "pdf" in options.formats:  # before minutes of work, not after
        _pdf_step(ensure_libreoffice, options.output_dir or project.root / "build", project)
    loaded, problems = _load_shared_checked(project)
    if loaded is None:
        raise IvbError(problems)
    problems = errors_only(problems, options.strict)
    prepared: list[_Prepared] = []
    for municipality_id in dict.fromkeys(municipality_ids):
        try:
            prepared.append(_prepare(project, municipality_id, options, loaded))
        except IvbError as error:
            problems.extend(_new(problems, error.problems))
    if problems:
        raise IvbError(problems)
    write_all_atomically(file for item in prepared for file in item.files)
    return [BuildResult(item.municipality_id, tuple(path for path, _ in item.files),
                        item.warnings) for item in prepared]


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
             loaded: _Loaded) -> _Prepared:
    composition = compose(project, municipality_id, loaded.shared, loaded.members,
                          options.kind, options.year, loaded.figures)
    warnings = [*composition.warnings, *lock.drift(project, composition, loaded.lock)]
    if options.strict and warnings:
        raise IvbError(warnings)
    out_dir = (options.output_dir or project.root / "build") / municipality_id
    stem = output_stem(composition)
    document = document_for(project, composition, options.review)
    docx_data = render_docx(document, _docx_options(project, composition, options))
    _audit(docx_data, out_dir / f"{stem}.docx", project)
    makers: dict[str, Callable[[], bytes]] = {
        "docx": lambda: docx_data,
        "md": lambda: render_markdown(document).encode("utf-8"),
        "pdf": lambda: _pdf_bytes(docx_data, out_dir / f"{stem}.pdf", project),
    }
    files = tuple((out_dir / f"{stem}.{fmt}", makers[fmt]())
                  for fmt in dict.fromkeys(options.formats))
    return _Prepared(municipality_id, files, tuple(warnings))


def _audit(data: bytes, path: Path, project: Project) -> None:
    """Fail the build when what would be written breaks an accessibility rule."""
    findings = audit_docx(data)
    if findings:
        origin = Origin(project.display(path))
        raise IvbError([Problem(f"a11y-{f.code}", f"the document would break an "
                                f"accessibility rule: {f.message}", origin, f.hint)
                        for f in findings])


def _pdf_bytes(docx_data: bytes, target: Path, project: Project) -> bytes:
    """The PDF of a .docx, made by LibreOffice in a scratch folder."""
    with tempfile.TemporaryDirectory(prefix="ivbcompose-") as work:
        source, pdf = Path(work) / (target.stem + ".docx"), Path(work) / "out" / target.name
        source.write_bytes(docx_data)
        _pdf_step(lambda: convert_to_pdf(source, pdf), target, project)
        return pdf.read_bytes()


def _pdf_step(step: Callable[[], None], target: Path, project: Project) -> None:
    """Run a LibreOffice step; its failure is a problem with the PDF, not a traceback."""
    try:
        step()
    except PdfError as error:
        raise IvbError([Problem("pdf", f"no PDF: {error.message}",
                                Origin(project.display(target)), error.hint)]) from None


def summaries(project: Project) -> list[Summary]:
    """Name, document kind, period and status of every municipality (problems where it fails)."""
    result = []
    try:
        shared, members = load_shared(project), load_members(project)
    except IvbError as error:
        return [Summary(m, "?", "?", "?", "?", error.problems) for m in project.municipality_ids()]
    for municipality_id in project.municipality_ids():
        try:
            ivb = compose(project, municipality_id, shared, members).ivb
        except IvbError as error:
            result.append(Summary(municipality_id, "?", "?", "?", "?", error.problems))
            continue
        meta = ivb.document
        years = f"{meta.period.start}-{meta.period.end}"
        documents = tuple(f"{k.id} ({years})" if k.per_year else k.id for k in ivb.kinds)
        result.append(Summary(municipality_id, ivb.municipality.name, meta.kind,
                              years, meta.status, documents=documents))
    return result


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


@dataclass(frozen=True)
class DocumentKind:
    """A kind of document a municipality can build, and the years it has."""

    id: str
    per_year: bool
    default: bool
    years: tuple[int, ...]


class UnknownDocument(ValueError):
    """A `--document` or `--year` the project does not have (a usage error)."""


def document_kinds(project: Project, municipality_id: str) -> list[DocumentKind]:
    """The kinds of document this municipality can build; a per-year kind has every year
    of its period."""
    composition = compose(project, municipality_id)
    years = tuple(composition.ivb.document.years)
    return [DocumentKind(k.id, k.per_year, k.default, years if k.per_year else ())
            for k in kind_infos(composition.overlay.tree) if k.id]


def check_document(kinds: list[DocumentKind], kind: str | None, year: int | None,
                   municipality_id: str) -> None:
    """Raise `UnknownDocument` for a kind or year the municipality cannot build."""
    if not kinds:
        if kind is not None or year is not None:
            raise UnknownDocument("the project defines no kinds of document (kinds: in the "
                                  "shared part)")
        return
    chosen = next((k for k in kinds if k.id == kind), None) if kind else kinds[0]
    if chosen is None:
        raise UnknownDocument(f"unknown document '{kind}'; known: "
                              f"{', '.join(k.id for k in kinds)}")
    if chosen.per_year and year is None:
        raise UnknownDocument(f"'{chosen.id}' is written per year: give --year (one of "
                              f"{', '.join(map(str, chosen.years))})")
    if not chosen.per_year and year is not None:
        raise UnknownDocument(f"'{chosen.id}' is not written per year: leave out --year")
    if year is not None and year not in chosen.years:
        raise UnknownDocument(f"{year} is outside the period of {municipality_id}; its years: "
                              f"{', '.join(map(str, chosen.years))}")


def _docx_options(project: Project, composition: Composition,
                  options: BuildOptions) -> DocxOptions:
    reference = _reference_path(project.municipality_dir(composition.municipality_id))
    epoch = options.source_date_epoch
    if epoch is None:
        day = composition.ivb.document.date
        epoch = int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())
    return DocxOptions(reference_doc=reference, source_date_epoch=epoch)


