"""The command line: parse arguments, call the API, print, set the exit status.

Exit status 0 is success, 1 means problems in the YAML (each printed as
`file:line:column: message` with a hint), 2 means wrong command-line usage
(an unknown municipality, no project found).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__, api
from .compare import comparison_markdown, comparison_text
from .errors import IvbError, Problem, format_problem
from .explain import UnknownAddress, explanation_json, format_explanation
from .project import Project, ProjectNotFound, UnknownMunicipality

__all__ = ["main"]

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:
        # The reader went away (`ivbcompose explain urk | head`): not an error. Point
        # stdout at nothing, so Python's flush at exit does not complain either.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK


def _main(argv: Sequence[str] | None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    project: Project | None = None
    try:
        project = api.open_project(args.project)
        return int(args.run(args, project))
    except IvbError as error:
        _print_problems(error.problems, project, written=args.command == "build")
        return EXIT_PROBLEMS
    except UsageError as error:
        print(f"ivbcompose: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except UnknownMunicipality as error:
        print(f"ivbcompose: error: unknown municipality '{error.name}'"
              + (f"; did you mean '{error.suggestion}'?" if error.suggestion else ""),
              file=sys.stderr)
        print(f"  known municipalities: {', '.join(error.known) or 'none'}", file=sys.stderr)
        return EXIT_USAGE
    except ProjectNotFound as error:
        print(f"ivbcompose: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        raise  # handled by `main`: the reader of the output went away
    except OSError as error:
        # A file that cannot be read or written (permissions, a full disk): not a bug.
        where = f" {error.filename}" if error.filename else ""
        print(f"ivbcompose: error: cannot access{where}: {error.strerror or error}",
              file=sys.stderr)
        return EXIT_PROBLEMS


class UsageError(Exception):
    """Wrong use of the command line that argparse cannot see (exit status 2)."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ivbcompose",
        description="Compose each municipality's security policy (IVB) from the shared "
                    "basisteam part and its couleur locale, and write it as a Word document.",
        epilog="Exit status: 0 success, 1 problems in the YAML (nothing is written), "
               "2 wrong use of the command line.",
    )
    parser.add_argument("--version", action="version", version=f"ivbcompose {__version__}")
    parser.add_argument("--project", type=Path, metavar="DIR",
                        help="project folder (default: found from the current folder upwards)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser("build", help="write the document of one or more municipalities")
    build.add_argument("municipalities", nargs="*", metavar="MUNICIPALITY",
                       help="municipality ids (the folder names under municipalities/)")
    build.add_argument("--all", action="store_true", help="build every municipality")
    build.add_argument("-o", "--output", type=Path, metavar="DIR",
                       help="output folder (default: build/ in the project folder); each "
                            "municipality gets a subfolder")
    build.add_argument("--format", action="append", choices=api.FORMATS, dest="formats",
                       help="output format, may be repeated (default: docx)")
    build.add_argument("--pdf", action="store_true",
                       help="also write a tagged PDF, made by LibreOffice (same as --format pdf)")
    build.add_argument("--review", action="store_true",
                       help="mark every local difference in the document (as a Word comment) "
                            "for the regional team's review")
    build.add_argument("--strict", action="store_true",
                       help="fail on warnings (drift against the lock file, policy checks) too")
    build.add_argument("--document", metavar="KIND",
                       help="the kind of document, e.g. uitvoeringsprogramma (default: the "
                            "policy itself); 'ivbcompose list' shows the kinds")
    build.add_argument("--year", type=int, metavar="YEAR",
                       help="the year of a document written per year")
    build.set_defaults(run=_build)

    check = commands.add_parser("check", help="validate the shared part and every municipality")
    check.add_argument("municipalities", nargs="*", metavar="MUNICIPALITY",
                       help="only these municipalities (default: all)")
    check.add_argument("--format", choices=("text", "json"), default="text",
                       help="how to print problems")
    check.add_argument("--strict", action="store_true",
                       help="exit 1 on warnings (drift against the lock file) too; for CI")
    check.set_defaults(run=_check)

    explain = commands.add_parser("explain", help="show where each value of a municipality's "
                                  "document came from")
    explain.add_argument("municipality", metavar="MUNICIPALITY",
                         help="municipality id (its folder name)")
    explain.add_argument("address", nargs="?", metavar="ID[.FIELD]",
                         help="an item id, optionally with a field path (default: everything)")
    explain.add_argument("--format", choices=("text", "json"), default="text",
                         help="text for people, json for editors and scripts")
    explain.set_defaults(run=_explain)

    accept = commands.add_parser("accept", help="after review, record in the lock file that a "
                                 "municipality's changes fit the current shared part")
    accept.add_argument("municipalities", nargs="*", metavar="MUNICIPALITY",
                        help="municipality ids; their entries in ivbcompose.lock are rewritten")
    accept.add_argument("--all", action="store_true", help="accept every municipality")
    accept.set_defaults(run=_accept)

    compare = commands.add_parser("compare", help="matrix of the items that differ between "
                                  "municipalities")
    compare.add_argument("--format", choices=("text", "markdown", "json"), default="text",
                         help="an aligned table, a Markdown table, or JSON")
    compare.set_defaults(run=_compare)

    listing = commands.add_parser("list", help="list municipalities with kind, period and status")
    listing.set_defaults(run=_list)

    new = commands.add_parser("new", help="add a municipality to the basisteam: its folder "
                              "under municipalities/, ready to build")
    new.add_argument("id", metavar="ID", help="the municipality's id and folder name "
                     "(lower-case letters, digits and hyphens), e.g. lelystad")
    new.add_argument("--name", required=True, help="the municipality's name, e.g. Lelystad")
    new.add_argument("--cbs-code", required=True, metavar="GMNNNN",
                     help="the CBS municipality code, e.g. GM0995")
    new.add_argument("--inhabitants", required=True, type=int, metavar="N",
                     help="number of inhabitants (CBS, 1 January)")
    new.add_argument("--inhabitants-year", type=int, metavar="YEAR",
                     default=datetime.date.today().year,
                     help="the year the number of inhabitants is for (default: this year)")
    new.set_defaults(run=_new)

    figures = commands.add_parser("import-figures", help="read a CBS or police export and "
                                  "write each member's figures (municipalities/<id>/figures/)")
    figures.add_argument("file", type=Path, metavar="FILE", nargs="?",
                         help="the export: StatLine CSV, cbsodata CSV or OData JSON")
    figures.add_argument("--fetch", metavar="TABLE",
                         help="read the table from the CBS OData API instead of a file, "
                              "e.g. --fetch 83648NED (needs a network)")
    figures.add_argument("--metadata", type=Path, metavar="FILE",
                         help="StatLine's metadata CSV for a CSV with codes (labels, title, "
                              "export date, provisional years)")
    figures.add_argument("--table", metavar="ID",
                         help="the table id when the export does not say it, e.g. 83648NED")
    figures.set_defaults(run=_import_figures)
    return parser


def _build(args: argparse.Namespace, project: Project) -> int:
    if not args.all and not args.municipalities:
        print("ivbcompose build: error: name a municipality or use --all", file=sys.stderr)
        print(f"  known municipalities: {', '.join(project.municipality_ids())}", file=sys.stderr)
        return EXIT_USAGE
    formats = list(args.formats or ["docx"])
    if args.pdf and "pdf" not in formats:
        formats.append("pdf")
    options = api.BuildOptions(output_dir=args.output, formats=tuple(formats),
                               source_date_epoch=_source_date_epoch(), review=args.review,
                               strict=args.strict, kind=args.document, year=args.year)
    if args.all and args.municipalities:
        print("ivbcompose build: error: give municipalities or --all, not both",
              file=sys.stderr)
        return EXIT_USAGE
    names = project.municipality_ids() if args.all else args.municipalities
    for municipality_id in names:
        project.municipality_dir(municipality_id)  # unknown names fail before any work
    if args.document is not None or args.year is not None:
        for municipality_id in names:
            try:
                api.check_document(api.document_kinds(project, municipality_id), args.document,
                                   args.year, municipality_id)
            except api.UnknownDocument as error:
                raise UsageError(str(error)) from None
    results = api.build_all(project, options) if args.all else \
        api.build_many(project, args.municipalities, options)
    for result in results:
        for warning in result.warnings:
            print(format_problem(warning, project.root), file=sys.stderr)
        for path in result.outputs:
            print(path)
    return EXIT_OK


def _check(args: argparse.Namespace, project: Project) -> int:
    for municipality_id in args.municipalities:
        project.municipality_dir(municipality_id)
    problems = api.check(project, args.municipalities or None)
    failing = api.errors_only(problems, args.strict)
    if args.format == "json":
        print(json.dumps([_problem_json(p) for p in problems], indent=2, ensure_ascii=False))
    elif problems:
        _print_problems(problems, project, written=False)
    else:
        checked = args.municipalities or project.municipality_ids()
        print(f"ok: shared part and {', '.join(checked)}")
    return EXIT_PROBLEMS if failing else EXIT_OK


def _explain(args: argparse.Namespace, project: Project) -> int:
    project.municipality_dir(args.municipality)
    try:
        explanations = api.explain(project, args.municipality, args.address)
    except UnknownAddress as error:
        print(f"ivbcompose explain: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    if args.format == "json":
        print(json.dumps(explanation_json(explanations), indent=2, ensure_ascii=False))
    else:
        print(format_explanation(explanations))
    return EXIT_OK


def _accept(args: argparse.Namespace, project: Project) -> int:
    names = project.municipality_ids() if args.all else args.municipalities
    if not names:
        print("ivbcompose accept: error: name a municipality or use --all", file=sys.stderr)
        return EXIT_USAGE
    for name in names:
        project.municipality_dir(name)
    path = api.accept(project, names)
    print(f"{project.display(path)}: accepted the changes of {', '.join(names)}")
    return EXIT_OK


def _compare(args: argparse.Namespace, project: Project) -> int:
    comparison = api.compare(project)
    if args.format == "json":
        data = {"municipalities": list(comparison.municipalities),
                "rows": [{"id": r.item_id, "label": r.label, "states": list(r.states)}
                         for r in comparison.rows]}
        print(json.dumps(data, indent=2, ensure_ascii=False))
    elif args.format == "markdown":
        print(comparison_markdown(comparison))
    else:
        print(comparison_text(comparison))
    return EXIT_OK


def _new(args: argparse.Namespace, project: Project) -> int:
    new = api.NewMunicipality(args.id, args.name.strip(), args.cbs_code.strip(),
                              args.inhabitants, args.inhabitants_year)
    try:
        path = api.new_municipality(project, new)
    except api.InvalidNewMunicipality as error:
        raise UsageError(f"{error}; nothing was created") from None
    print(project.display(path))
    print(f"  '{new.id}' is a member of the basisteam now; its document builds with "
          f"'ivbcompose build {new.id}'")
    return EXIT_OK


def _import_figures(args: argparse.Namespace, project: Project) -> int:
    if (args.file is None) == (args.fetch is None):
        raise UsageError("give an export file or --fetch TABLE, not both or neither")
    try:
        summary = api.import_figures(project, args.file, args.metadata, args.table, args.fetch)
    except api.FigureImportError as error:
        print(format_problem(error.problem, None), file=sys.stderr)
        print("No figures were written.", file=sys.stderr)
        return EXIT_PROBLEMS
    for path in summary.written:
        print(project.display(path))
    for change in summary.changes or ["nothing changed"]:
        print(f"  {change}")
    for warning in summary.warnings:
        print(f"ivbcompose: warning: {warning}", file=sys.stderr)
    return EXIT_OK


def _list(args: argparse.Namespace, project: Project) -> int:
    rows = [("ID", "NAME", "DOCUMENT", "PERIOD", "STATUS", "DOCUMENTS")]
    failed = False
    for summary in api.summaries(project):
        status = summary.status if not summary.problems else \
            f"{len(summary.problems)} problem(s): run 'ivbcompose check'"
        failed = failed or bool(summary.problems)
        rows.append((summary.municipality_id, summary.name, summary.kind, summary.period, status,
                     ", ".join(summary.documents)))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        print("  ".join(cells).rstrip())
    return EXIT_PROBLEMS if failed else EXIT_OK


def _print_problems(problems: Sequence[Problem], project: Project | None,
                    written: bool = True) -> None:
    root = project.root if project is not None else None
    for problem in problems:
        print(format_problem(problem, root), file=sys.stderr)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    summary = ", ".join(part for part in (
        f"{errors} error{'s' if errors != 1 else ''}" if errors else "",
        f"{warnings} warning{'s' if warnings != 1 else ''}" if warnings else "") if part)
    suffix = "; no document was written." if written else "."
    print(f"{summary}{suffix}", file=sys.stderr)


def _problem_json(problem: Problem) -> dict[str, object]:
    origin = problem.origin
    return {
        "severity": problem.severity,
        "code": problem.code,
        "message": problem.message,
        "file": origin.file,
        "line": origin.line or None,
        "column": origin.column or None,
        "hint": problem.hint,
        "detail": problem.detail,
        "change": str(origin.via) if origin.via else None,
    }


# Zip files store dates from 1980 to 2107.
_EPOCH_RANGE = (315532800, 4354819199)


def _source_date_epoch() -> int | None:
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    if not (value.isascii() and value.isdigit()) \
            or not _EPOCH_RANGE[0] <= int(value) <= _EPOCH_RANGE[1]:
        raise UsageError(f"SOURCE_DATE_EPOCH must be seconds since 1970 between "
                         f"{_EPOCH_RANGE[0]} (1980) and {_EPOCH_RANGE[1]} (2107), not {value!r}")
    return int(value)
