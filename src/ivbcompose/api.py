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

import functools
import importlib
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import lock
from .build import (
    FORMATS,
    BuildOptions,
    BuildResult,
    Loaded,
    build,
    build_all,
    build_many,
    document_for,
    each_loaded,
    errors_only,
    house_style_problems,
    load_all,
    new_problems,
    output_stem,
    project_problems,
)
from .compose import Composition, compose, compose_kind, load_members, load_shared
from .errors import IvbError, Problem
from .figures.store import ImportSummary
from .files import write_all_atomically
from .i18n import tr
from .kinds import kind_infos
from .processes import in_processes, worker_count
from .project import Project, find_project
from .provenance import Origin
from .sources import MapNode, ScalarNode, load_yaml

if TYPE_CHECKING:
    from .compare import Comparison
    from .explain import Explanation
    from .figures.exports import Export
    from .renvooi import AgainstError, accept_all, reject_all
    from .scaffold import InvalidNewMunicipality, NewMunicipality
    from .schema import SchemaUpdate

# Names of the API from modules that `check` and `build` never use (the renvooi, a new
# member's file, the editor schemas): loaded when first asked for (PEP 562), so those
# commands do not load them, nor the web client and archive reader they bring.
_ELSEWHERE = {
    "AgainstError": "renvooi", "accept_all": "renvooi", "reject_all": "renvooi",
    "InvalidNewMunicipality": "scaffold", "NewMunicipality": "scaffold",
    "SchemaUpdate": "schema",
}


def __getattr__(name: str) -> Any:
    if name not in _ELSEWHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_ELSEWHERE[name]}", __package__), name)


__all__ = [
    "FORMATS",
    "AgainstError",
    "BuildOptions",
    "BuildResult",
    "DocumentKind",
    "FigureImportError",
    "InvalidNewMunicipality",
    "NewMunicipality",
    "SchemaUpdate",
    "Summary",
    "UnknownDocument",
    "accept",
    "accept_all",
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
    "municipality_names",
    "new_municipality",
    "open_project",
    "output_stem",
    "project_problems",
    "reject_all",
    "summaries",
    "update_schemas",
]

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


def compose_municipality(project: Project, municipality_id: str,
                         internal: bool = False) -> Composition:
    """The validated, rendered content of one municipality (shared part + its changes);
    with `internal`, its confidential items kept in."""
    return compose(project, municipality_id, internal=internal)


def check(project: Project, municipality_ids: Iterable[str] | None = None) -> list[Problem]:
    """Every problem in the shared part and the given (default: all) municipalities.

    Errors come first; warnings (`severity == "warning"`: drift against the
    lock file) follow for the municipalities that compose.
    """
    ids = project.known_ids(municipality_ids or project.municipality_ids())
    loaded, problems = load_all(project)
    if loaded is None:
        return problems
    jobs = worker_count(None, len(ids))
    found = _checked_each(project, ids, loaded) if jobs == 1 else \
        in_processes(functools.partial(_checked_each, project), ids, jobs, loaded)
    checked = dict(found)
    warnings: list[Problem] = []
    for municipality_id in ids:  # in order, however the processes took them
        result = checked[municipality_id]
        if not result.composed:
            problems.extend(new_problems(problems, result.problems))
            continue
        problems.extend(result.problems)
        problems.extend(new_problems(problems, result.other_kinds))
        warnings.extend(result.warnings)
    return ([p for p in problems if p.severity == "error"]
            + [p for p in problems if p.severity != "error"] + warnings)


@dataclass(frozen=True)
class _Checked:
    """What `check` found in one municipality: the mistakes that stop it composing, or
    (when it composed) its house style, its other kinds of document and its warnings."""

    composed: bool
    problems: list[Problem]
    other_kinds: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def _checked_each(project: Project, ids: Iterable[str], loaded: Loaded | None
                  ) -> Iterator[tuple[str, _Checked]]:
    """Each municipality checked, in the order of `ids` (see `build.each_loaded`)."""
    return each_loaded(project, ids, loaded, functools.partial(_checked_one, project),
                       lambda problems: _Checked(False, problems))


def _checked_one(project: Project, municipality_id: str, loaded: Loaded) -> _Checked:
    try:
        composition = compose(project, municipality_id, loaded.shared, loaded.members,
                              figures=loaded.figures, texts=loaded.texts,
                              local=loaded.files.get(municipality_id))
    except IvbError as error:
        return _Checked(False, list(error.problems))
    return _Checked(True, house_style_problems(project, composition), _other_kinds(composition),
                    [*composition.warnings, *lock.drift(project, composition, loaded.lock)])


def _other_kinds(composition: Composition) -> list[Problem]:
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
                compose_kind(composition, kind.id, year, account=False)
            except IvbError as error:
                problems.extend(new_problems(problems, error.problems))
    return problems


def _years_with_metadata(composition: Composition, kind_id: str) -> list[int]:
    documents = composition.local.get("documents") if composition.local else None
    own = documents.get(kind_id) if isinstance(documents, MapNode) else None
    return [y for y in own.values if isinstance(y, int)] if isinstance(own, MapNode) else []


def explain(project: Project, municipality_id: str,
            address: str | None = None) -> list[Explanation]:
    """Each value of one item, field or the whole document with its origin (see explain.py)."""
    from .explain import explain as explain_values

    return explain_values(compose(project, municipality_id), address)


def accept(project: Project, municipality_ids: Iterable[str]) -> Path:
    """Record in the lock file that these municipalities' changes were reviewed against the
    current shared part; returns the lock file's path."""
    return lock.accept(project, [compose(project, m) for m in municipality_ids])


def update_schemas(project: Project, check_only: bool = False) -> SchemaUpdate:
    """Write the editor schemas into `schema/` and point every YAML file at its schema
    (see `schema.update_project`); with `check_only`, only say what is stale."""
    from .schema import update_project

    return update_project(project.root, check_only)


def new_municipality(project: Project, new: NewMunicipality) -> Path:
    """Add a municipality to the basisteam: its folder and file, its changes accepted.

    Raises `InvalidNewMunicipality` (nothing is created) for an id that exists
    or is no valid folder name, a bad CBS code or one another member has, or
    a count of inhabitants that is not positive; `IvbError` (and removes what
    it made) when the project with the new municipality does not compose.
    """
    from .scaffold import InvalidNewMunicipality, joined, municipality_yaml, problems_of
    from .schema import SCHEMA_DIR, schema_files, schema_line

    problems = problems_of(project, new)
    taken = {code: m for m in project.municipality_ids()
             if (code := _identity(project, m)[0])}
    if new.cbs_code in taken:
        problems.append(tr("CBS code {code} is already used by '{id}'", code=new.cbs_code,
                           id=taken[new.cbs_code]))
    if problems:
        raise InvalidNewMunicipality(joined(problems))
    folder = project.municipalities_dir / new.id
    path = folder / "municipality.yaml"
    lock_path = project.root / lock.LOCK_FILE
    lock_before = lock_path.read_bytes() if lock_path.is_file() else None
    text = municipality_yaml(new)
    schema = next(s for s in schema_files() if s.name == "municipality.schema.json")
    if (project.root / SCHEMA_DIR / schema.name).is_file():  # the project uses editor help
        text = f"{schema_line(path, project.root, schema)}\n{text}"
    write_all_atomically([(path, text.encode("utf-8"))])
    try:
        accept(project, [new.id])
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        if lock_before is not None:
            write_all_atomically([(lock_path, lock_before)])
        raise
    return path


def municipality_names(project: Project) -> dict[str, str]:
    """Every municipality's name as its file gives it (its id when the file cannot be read),
    by id, without composing anything."""
    return {m: _identity(project, m)[1] for m in project.municipality_ids()}


def _identity(project: Project, municipality_id: str) -> tuple[str | None, str]:
    """The CBS code (None if it cannot be read) and name a municipality's file gives."""
    path = project.municipality_file(municipality_id)
    try:
        node = load_yaml(path, project.display(path))
    except IvbError:
        return None, municipality_id
    identity = node.get("municipality") if isinstance(node, MapNode) else None
    fields = {key: value.value for key, value in identity.values.items()
              if isinstance(value, ScalarNode) and isinstance(value.value, str)} \
        if isinstance(identity, MapNode) else {}
    return fields.get("cbs_code"), fields.get("name", municipality_id)


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
    from .figures.exports import ExportError, read_export

    try:
        if fetch is not None:
            codes = [c for m in project.municipality_ids() if (c := _identity(project, m)[0])]
            from .figures.fetch import fetch_table

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
        raise FigureImportError(Problem("figures-table", tr("the export does not say which "
                                                            "table it is"), Origin(source),
                                        tr("give --table, e.g. --table 83648NED")))
    members = {m: ((identity := _identity(project, m))[0] or "", identity[1])
               for m in project.municipality_ids()}
    from .figures.store import plan_import

    files, summary = plan_import(project, export, members, source)
    write_all_atomically(files)
    return summary


def compare(project: Project) -> Comparison:
    """Items that differ between the municipalities, by municipality."""
    from .compare import compare as compare_compositions

    shared, members = load_shared(project), load_members(project)
    return compare_compositions([compose(project, m, shared, members)
                                 for m in project.municipality_ids()])


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
            raise UnknownDocument(tr("the project defines no kinds of document (kinds: in "
                                     "the shared part)"))
        return
    chosen = next((k for k in kinds if k.id == kind), None) if kind else kinds[0]
    if chosen is None:
        raise UnknownDocument(tr("unknown document '{id}'; known: {names}", id=kind,
                                 names=", ".join(k.id for k in kinds)))
    if chosen.per_year and year is None:
        raise UnknownDocument(tr("'{id}' is written per year: give --year (one of {years})",
                                 id=chosen.id, years=", ".join(map(str, chosen.years))))
    if not chosen.per_year and year is not None:
        raise UnknownDocument(tr("'{id}' is not written per year: leave out --year",
                                 id=chosen.id))
    if year is not None and year not in chosen.years:
        raise UnknownDocument(tr("{year} is outside the period of {municipality}; its years: "
                                 "{years}", year=year, municipality=municipality_id,
                                 years=", ".join(map(str, chosen.years))))
