"""The command line: parse arguments, call the API, print, set the exit status.

Exit status 0 is success, 1 means problems in the YAML (each printed as
`file:line:column: message` with a hint), 2 means wrong command-line usage
(an unknown municipality, no project found).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

from . import __version__
from .errors import IvbError, Problem, WrongArgument, format_problem
from .formats import FORMATS
from .i18n import LANGUAGES, N_, Language, language_for, ntr, tr
from .project import Project, ProjectNotFound, UnknownMunicipality, find_project

__all__ = ["main"]

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    with _stopped_by_sigterm():
        try:
            return _main(argv)
        except (_Terminated, KeyboardInterrupt) as stopped:
            # Files being written were removed on the way out (files.write_all_atomically).
            print(language_for(None).text(tr("ivbcompose: stopped")), file=sys.stderr)
            return 128 + (signal.SIGTERM if isinstance(stopped, _Terminated) else signal.SIGINT)
        except BrokenPipeError:
            # The reader went away (`ivbcompose explain urk | head`): not an error. Point
            # stdout at nothing, so Python's flush at exit does not complain either.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            return EXIT_OK


class _Terminated(BaseException):
    """SIGTERM arrived: unwind like Ctrl+C, so half-written files are cleaned up."""


@contextlib.contextmanager
def _stopped_by_sigterm() -> Iterator[None]:
    # Python's default for SIGTERM ends the process at once, leaving the hidden temporary
    # files of a write behind; raising instead runs every cleanup on the way out.
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise _Terminated

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _main(argv: Sequence[str] | None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        language = _language(arguments)
    except ValueError:
        print(f"ivbcompose: error: --lang must be one of: {', '.join(LANGUAGES)}",
              file=sys.stderr)
        return EXIT_USAGE
    with _argparse_in(language):
        args = _parser(language).parse_args(arguments)
    args.language = language
    say = language.text
    project: Project | None = None
    try:
        if getattr(args, "needs_project", True):
            project = find_project(explicit=args.project) if args.project is not None \
                else find_project()
        return int(args.run(args, project))
    except IvbError as error:
        _print_problems(error.problems, project, language, written=args.command == "build")
        return EXIT_PROBLEMS
    except UsageError as error:
        _error(language, error.message)
        return EXIT_USAGE
    except UnknownMunicipality as error:
        _error(language, tr("unknown municipality '{name}'; did you mean '{suggestion}'?",
                            name=error.name, suggestion=error.suggestion)
               if error.suggestion else tr("unknown municipality '{name}'", name=error.name))
        print("  " + say(tr("known municipalities: {names}",
                            names=", ".join(error.known) or say(tr("none")))), file=sys.stderr)
        return EXIT_USAGE
    except (ProjectNotFound, WrongArgument) as error:
        _error(language, error.message, error.hint)
        return EXIT_USAGE
    except BrokenPipeError:
        raise  # handled by `main`: the reader of the output went away
    except OSError as error:
        # A file that cannot be read or written (permissions, a full disk): not a bug.
        reason = error.strerror or str(error)
        _error(language, tr("cannot access {file}: {reason}", file=error.filename, reason=reason)
               if error.filename else tr("cannot access a file: {reason}", reason=reason),
               tr("check that the file or folder exists and that you may read and write it; a "
                  "file that is open in Word or Excel may be locked: close it and try again"))
        return EXIT_PROBLEMS


def _error(language: Language, message: str, hint: str | None = None) -> None:
    """A usage error; `hint` when the message itself does not say what to do."""
    print(language.text(tr("ivbcompose: error: {message}", message=message)), file=sys.stderr)
    if hint:
        print("  " + language.text(tr("hint: {hint}", hint=hint)), file=sys.stderr)


class UsageError(Exception):
    """Wrong use of the command line that argparse cannot see (exit status 2)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message  # kept as given: a `Message` is shown in the user's language


def _language(arguments: list[str]) -> Language:
    """The language of this command: `--lang` (anywhere on the line), else the locale's."""
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--lang")
    known, _rest = early.parse_known_args(arguments)
    return language_for(known.lang)


# argparse translates its own texts ("usage:", "invalid choice") with gettext's functions;
# they are listed here so the catalog has them, and point at the command's language
# while the parser is made and used.
_ARGPARSE_TEXTS = (
    N_("usage: "), N_("positional arguments"), N_("options"),
    N_("show this help message and exit"), N_("show program's version number and exit"),
    N_("%(prog)s: error: %(message)s\n"), N_("argument %(argument_name)s: %(message)s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"), N_("unrecognized arguments: %s"),
    N_("the following arguments are required: %s"), N_("expected one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("not allowed with argument %s"), N_("one of the arguments %s is required"),
    N_("expected at least one argument"), N_("expected at most one argument"),
)


@contextlib.contextmanager
def _argparse_in(language: Language) -> Iterator[None]:
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = language.gettext, language.ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


def _parser(language: Language) -> argparse.ArgumentParser:
    t = language.text
    parser = argparse.ArgumentParser(
        prog="ivbcompose",
        description=t(tr("Compose each municipality's security policy (IVB) from the shared "
                         "basisteam part and its couleur locale, and write it as a Word "
                         "document.")),
        epilog=t(tr("Exit status: 0 success, 1 problems in the YAML (nothing is written), "
                    "2 wrong use of the command line.")),
    )
    # argparse fixes this help text when it is imported, before any language is chosen.
    parser.add_argument("--version", action="version", version=f"ivbcompose {__version__}",
                        help=language.gettext("show program's version number and exit"))
    parser.add_argument("--lang", choices=LANGUAGES, help=t(tr(
        "the language of messages and help (default: the locale's; Dutch when it is Dutch)")))
    parser.add_argument("--project", type=Path, metavar="DIR", help=t(tr(
        "project folder (default: found from the current folder upwards)")))
    commands = parser.add_subparsers(dest="command", required=True, metavar=t(tr("COMMAND")),
                                     title=t(tr("commands")))

    build = commands.add_parser("build", help=t(tr(
        "write the document of one or more municipalities")))
    build.add_argument("municipalities", nargs="*", metavar="MUNICIPALITY", help=t(tr(
        "municipality ids (the folder names under municipalities/)")))
    build.add_argument("--all", action="store_true", help=t(tr("build every municipality")))
    build.add_argument("-o", "--output", type=Path, metavar="DIR", help=t(tr(
        "output folder (default: build/ in the project folder); each municipality gets a "
        "subfolder")))
    build.add_argument("--format", action="append", choices=FORMATS, dest="formats",
                       help=t(tr("output format, may be repeated (default: docx)")))
    build.add_argument("--pdf", action="store_true", help=t(tr(
        "also write a tagged PDF, made by LibreOffice (same as --format pdf)")))
    build.add_argument("--review", action="store_true", help=t(tr(
        "mark every local difference in the document (as a Word comment) for the regional "
        "team's review")))
    build.add_argument("--strict", action="store_true", help=t(tr(
        "fail on warnings (drift against the lock file, policy checks) too")))
    build.add_argument("--against", metavar="REVISION", help=t(tr(
        "mark every change since an earlier version as tracked changes, with an appendix "
        "that lists them: a git tag, branch or commit of the project, or a folder")))
    build.add_argument("--internal", action="store_true", help=t(tr(
        "the internal version: include the confidential items, marked 'Vertrouwelijk', in "
        "files ending in '-intern'")))
    build.add_argument("-j", "--jobs", type=_positive, metavar="N", help=t(tr(
        "make the documents in N processes (default: one per core when there are many)")))
    build.add_argument("--document", metavar="KIND", help=t(tr(
        "the kind of document, e.g. uitvoeringsprogramma (default: the policy itself); "
        "'ivbcompose list' shows the kinds")))
    build.add_argument("--year", type=int, metavar="YEAR", help=t(tr(
        "the year of a document written per year")))
    build.set_defaults(run=_build)

    check = commands.add_parser("check", help=t(tr(
        "validate the shared part and every municipality")))
    check.add_argument("municipalities", nargs="*", metavar="MUNICIPALITY", help=t(tr(
        "only these municipalities (default: all)")))
    check.add_argument("--format", choices=("text", "json"), default="text",
                       help=t(tr("how to print problems")))
    check.add_argument("--strict", action="store_true", help=t(tr(
        "exit 1 on warnings (drift against the lock file) too; for CI")))
    check.set_defaults(run=_check)

    explain = commands.add_parser("explain", help=t(tr(
        "show where each value of a municipality's document came from")))
    explain.add_argument("municipality", metavar="MUNICIPALITY", help=t(tr(
        "municipality id (its folder name)")))
    explain.add_argument("address", nargs="?", metavar="ID[.FIELD]", help=t(tr(
        "an item id, optionally with a field path (default: everything)")))
    explain.add_argument("--format", choices=("text", "json"), default="text", help=t(tr(
        "text for people, json for editors and scripts")))
    explain.set_defaults(run=_explain)

    accept = commands.add_parser("accept", help=t(tr(
        "after review, record in the lock file that a municipality's changes fit the current "
        "shared part")))
    accept.add_argument("municipalities", nargs="*", metavar="MUNICIPALITY", help=t(tr(
        "municipality ids; their entries in ivbcompose.lock are rewritten")))
    accept.add_argument("--all", action="store_true", help=t(tr("accept every municipality")))
    accept.set_defaults(run=_accept)

    compare = commands.add_parser("compare", help=t(tr(
        "matrix of the items that differ between municipalities")))
    compare.add_argument("--format", choices=("text", "markdown", "json"), default="text",
                         help=t(tr("an aligned table, a Markdown table, or JSON")))
    compare.set_defaults(run=_compare)

    listing = commands.add_parser("list", help=t(tr(
        "list municipalities with kind, period and status")))
    listing.set_defaults(run=_list)

    new = commands.add_parser("new", help=t(tr(
        "add a municipality to the basisteam: its folder under municipalities/, ready to "
        "build")))
    new.add_argument("id", metavar="ID", help=t(tr(
        "the municipality's id and folder name (lower-case letters, digits and hyphens), "
        "e.g. lelystad")))
    new.add_argument("--name", required=True, help=t(tr(
        "the municipality's name, e.g. Lelystad")))
    new.add_argument("--cbs-code", required=True, metavar="GMNNNN", help=t(tr(
        "the CBS municipality code, e.g. GM0995")))
    new.add_argument("--inhabitants", required=True, type=int, metavar="N", help=t(tr(
        "number of inhabitants (CBS, 1 January)")))
    new.add_argument("--inhabitants-year", type=int, metavar="YEAR",
                     default=datetime.date.today().year, help=t(tr(
                         "the year the number of inhabitants is for (default: this year)")))
    new.set_defaults(run=_new)

    figures = commands.add_parser("import-figures", help=t(tr(
        "read a CBS or police export and write each member's figures "
        "(municipalities/<id>/figures/)")))
    figures.add_argument("file", type=Path, metavar="FILE", nargs="?", help=t(tr(
        "the export: StatLine CSV, cbsodata CSV or OData JSON")))
    figures.add_argument("--fetch", metavar="TABLE", help=t(tr(
        "read the table from the CBS OData API instead of a file, e.g. --fetch 83648NED "
        "(needs a network)")))
    figures.add_argument("--metadata", type=Path, metavar="FILE", help=t(tr(
        "StatLine's metadata CSV for a CSV with codes (labels, title, export date, "
        "provisional years)")))
    figures.add_argument("--table", metavar="ID", help=t(tr(
        "the table id when the export does not say it, e.g. 83648NED")))
    figures.set_defaults(run=_import_figures)

    serve = commands.add_parser("serve", help=t(tr(
        "a live preview in the browser that follows every saved YAML file")))
    serve.add_argument("municipality", nargs="?", metavar="MUNICIPALITY", help=t(tr(
        "the municipality to show first (default: the first)")))
    serve.add_argument("--document", metavar="KIND", help=t(tr(
        "the kind of document to show first")))
    serve.add_argument("--year", type=int, metavar="YEAR", help=t(tr(
        "its year, for a kind written per year")))
    serve.add_argument("--port", type=int, default=8000, help=t(tr(
        "the port (default 8000; 0 picks a free one)")))
    serve.add_argument("--host", default="127.0.0.1", help=t(tr(
        "the interface to listen on (default 127.0.0.1: only this computer)")))
    serve.add_argument("--no-browser", action="store_true", help=t(tr(
        "do not open a browser")))
    serve.set_defaults(run=_serve)

    daemon = commands.add_parser("daemon", help=t(tr(
        "keep the program loaded in the background, so each command starts at once")))
    actions = daemon.add_subparsers(dest="action", required=True, metavar=t(tr("ACTION")))
    daemon_start = actions.add_parser("start", help=t(tr(
        "start the daemon (nothing happens when it already runs)")))
    daemon_start.add_argument("--idle", type=_minutes, default=30.0, metavar="MINUTES",
                              help=t(tr("stop after this many minutes without a command "
                                        "(default 30)")))
    actions.add_parser("stop", help=t(tr("stop the daemon; commands it runs finish first")))
    actions.add_parser("status", help=t(tr("say whether the daemon runs")))
    daemon.set_defaults(run=_daemon, needs_project=False)

    schema = commands.add_parser("schema", help=t(tr(
        "write the JSON schemas for editors into schema/ and point every YAML file at its "
        "schema")))
    schema.add_argument("--check", action="store_true", help=t(tr(
        "write nothing; exit 1 when a schema or a schema line is stale")))
    schema.set_defaults(run=_schema)
    return parser


def _minutes(text: str) -> float:
    """A number of minutes above 0, for argparse (a decimal point or comma is fine)."""
    try:
        minutes = float(text.replace(",", "."))
    except ValueError:
        minutes = 0.0
    if not 0 < minutes < float("inf"):
        raise argparse.ArgumentTypeError(tr("expected a number of minutes above 0, not {value}",
                                            value=repr(text)))
    return minutes


def _positive(text: str) -> int:
    """A whole number of at least 1, for argparse (its message names the option)."""
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise argparse.ArgumentTypeError(tr("expected a whole number of at least 1, not {value}",
                                            value=repr(text)))
    return int(text)


def _build(args: argparse.Namespace, project: Project) -> int:
    from . import api  # loaded by the commands, so --version and --help stay quick

    if not args.all and not args.municipalities:
        raise UsageError(tr("name a municipality or use --all; known municipalities: {names}",
                            names=", ".join(project.municipality_ids())))
    formats = list(args.formats or ["docx"])
    if args.pdf and "pdf" not in formats:
        formats.append("pdf")
    options = api.BuildOptions(output_dir=args.output, formats=tuple(formats),
                               source_date_epoch=_source_date_epoch(), review=args.review,
                               strict=args.strict, kind=args.document, year=args.year,
                               jobs=args.jobs, internal=args.internal, against=args.against)
    if args.all and args.municipalities:
        raise UsageError(tr("give municipalities or --all, not both"))
    names = project.known_ids(project.municipality_ids() if args.all else args.municipalities)
    if args.document is not None or args.year is not None:
        for municipality_id in names:
            try:
                api.check_document(api.document_kinds(project, municipality_id), args.document,
                                   args.year, municipality_id)
            except api.UnknownDocument as error:
                raise UsageError(error.args[0]) from None
    results = api.build_all(project, options) if args.all else \
        api.build_many(project, args.municipalities, options)
    for result in results:
        for warning in result.warnings:
            print(format_problem(warning, project.root, args.language), file=sys.stderr)
        for path in result.outputs:
            print(path)
    return EXIT_OK


def _check(args: argparse.Namespace, project: Project) -> int:
    from . import api

    problems = api.check(project, args.municipalities or None)
    failing = api.errors_only(problems, args.strict)
    if args.format == "json":
        print(json.dumps([_problem_json(p, args.language) for p in problems], indent=2,
                         ensure_ascii=False))
    elif problems:
        _print_problems(problems, project, args.language, written=False)
    else:
        checked = args.municipalities or project.municipality_ids()
        print(args.language.text(tr("ok: shared part and {names}", names=", ".join(checked))))
    return EXIT_PROBLEMS if failing else EXIT_OK


def _explain(args: argparse.Namespace, project: Project) -> int:
    from . import api
    from .explain import UnknownAddress, explanation_json, format_explanation

    project.municipality_dir(args.municipality)
    try:
        explanations = api.explain(project, args.municipality, args.address)
    except UnknownAddress as error:
        raise UsageError(error.args[0]) from None
    if args.format == "json":
        print(json.dumps(explanation_json(explanations), indent=2, ensure_ascii=False))
    else:
        print(format_explanation(explanations, args.language))
    return EXIT_OK


def _accept(args: argparse.Namespace, project: Project) -> int:
    from . import api

    names = project.municipality_ids() if args.all else args.municipalities
    if not names:
        raise UsageError(tr("name a municipality or use --all"))
    for name in names:
        project.municipality_dir(name)
    path = api.accept(project, names)
    print(args.language.text(tr("{file}: accepted the changes of {names}",
                                file=project.display(path), names=", ".join(names))))
    return EXIT_OK


def _compare(args: argparse.Namespace, project: Project) -> int:
    from . import api
    from .compare import comparison_markdown, comparison_text

    comparison = api.compare(project)
    if args.format == "json":
        data = {"municipalities": list(comparison.municipalities),
                "rows": [{"id": r.item_id, "label": r.label, "states": list(r.states)}
                         for r in comparison.rows]}
        print(json.dumps(data, indent=2, ensure_ascii=False))
    elif args.format == "markdown":
        print(comparison_markdown(comparison, args.language))
    else:
        print(comparison_text(comparison, args.language))
    return EXIT_OK


def _new(args: argparse.Namespace, project: Project) -> int:
    from . import api

    new = api.NewMunicipality(args.id, args.name.strip(), args.cbs_code.strip(),
                              args.inhabitants, args.inhabitants_year)
    try:
        path = api.new_municipality(project, new)
    except api.InvalidNewMunicipality as error:
        raise UsageError(tr("{reason}; nothing was created", reason=error.args[0])) from None
    print(project.display(path))
    print("  " + args.language.text(tr("'{id}' is a member of the basisteam now; its document "
                                       "builds with 'ivbcompose build {id}'", id=new.id)))
    return EXIT_OK


def _import_figures(args: argparse.Namespace, project: Project) -> int:
    from . import api

    if (args.file is None) == (args.fetch is None):
        raise UsageError(tr("give an export file or --fetch TABLE, not both or neither"))
    try:
        summary = api.import_figures(project, args.file, args.metadata, args.table, args.fetch)
    except api.FigureImportError as error:
        print(format_problem(error.problem, None, args.language), file=sys.stderr)
        print(args.language.text(tr("No figures were written.")), file=sys.stderr)
        return EXIT_PROBLEMS
    say = args.language.text
    for path in summary.written:
        print(project.display(path))
    for change in summary.changes or [tr("nothing changed")]:
        print(f"  {say(change)}")
    for warning in summary.warnings:
        print(say(tr("ivbcompose: warning: {message}", message=warning)), file=sys.stderr)
    return EXIT_OK


def _serve(args: argparse.Namespace, project: Project) -> int:
    from .serve import PortInUse, PreviewServer, Selection  # only `serve` needs the server

    first = None
    if args.municipality is not None:
        project.municipality_dir(args.municipality)  # an unknown name is a usage error
        first = Selection(args.municipality, args.document, args.year)
    elif args.document is not None or args.year is not None:
        raise UsageError(tr("--document and --year need a municipality"))
    if not 0 <= args.port <= 65535:
        raise UsageError(tr("port {port} is not 0 to 65535", port=args.port))

    try:
        server = PreviewServer(project, args.host, args.port, sys.stdout, first, args.language)
    except PortInUse as error:
        raise UsageError(tr("{reason}; give another with --port", reason=error.args[0])) from None
    if not args.no_browser:
        import webbrowser

        webbrowser.open(server.start_page)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print(args.language.text(tr("preview stopped")), file=sys.stderr)
    return EXIT_OK


def _daemon(args: argparse.Namespace, project: Project | None) -> int:
    from . import daemon

    say = args.language.text
    if not daemon.supported():
        raise UsageError(tr("the daemon needs a system with fork and Unix sockets (Linux, "
                            "macOS); on this one every command runs on its own"))
    if args.action == "start":
        try:
            running = daemon.start(args.idle)
        except daemon.DaemonError as error:
            _error(args.language, error.message, error.hint)
            return EXIT_PROBLEMS
        minutes = f"{running.idle_minutes:g}"
        print(say(ntr("the daemon runs (process {pid}, {socket}); it stops after {minutes} "
                      "minute without a command",
                      "the daemon runs (process {pid}, {socket}); it stops after {minutes} "
                      "minutes without a command", 1 if running.idle_minutes == 1 else 2,
                      pid=running.pid, socket=running.socket, minutes=minutes)))
    elif args.action == "stop":
        stopped = daemon.stop()
        print(say(tr("the daemon stopped (process {pid})", pid=stopped.pid)
                  if stopped is not None else tr("no daemon runs")))
    else:
        running = daemon.status()
        print(say(ntr("the daemon runs (process {pid}, {socket}); it ran {count} command",
                      "the daemon runs (process {pid}, {socket}); it ran {count} commands",
                      running.commands, pid=running.pid, socket=running.socket,
                      count=running.commands)
                  if running is not None else tr("no daemon runs")))
    return EXIT_OK


def _schema(args: argparse.Namespace, project: Project) -> int:
    from . import api

    update = api.update_schemas(project, check_only=args.check)
    stale = [*update.schemas, *update.linked]
    if args.check:
        for path in stale:
            print(args.language.text(tr("{file}: stale; run 'ivbcompose schema'",
                                        file=project.display(path))), file=sys.stderr)
        return EXIT_PROBLEMS if stale else EXIT_OK
    for path in stale:
        print(project.display(path))
    if not stale:
        print("  " + args.language.text(tr("the schemas and schema lines are up to date")))
    return EXIT_OK


def _list(args: argparse.Namespace, project: Project) -> int:
    from . import api

    say = args.language.text
    rows = [tuple(say(h) for h in (tr("ID"), tr("NAME"), tr("DOCUMENT"), tr("PERIOD"),
                                    tr("STATUS"), tr("DOCUMENTS")))]
    failed = False
    for summary in api.summaries(project):
        status = summary.status if not summary.problems else \
            say(ntr("{n} problem: run 'ivbcompose check'",
                    "{n} problems: run 'ivbcompose check'", len(summary.problems)))
        failed = failed or bool(summary.problems)
        rows.append((summary.municipality_id, summary.name, summary.kind, summary.period, status,
                     ", ".join(summary.documents)))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        print("  ".join(cells).rstrip())
    return EXIT_PROBLEMS if failed else EXIT_OK


def _print_problems(problems: Sequence[Problem], project: Project | None, language: Language,
                    written: bool = True) -> None:
    root = project.root if project is not None else None
    for problem in problems:
        print(format_problem(problem, root, language), file=sys.stderr)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    parts = [ntr("{n} error", "{n} errors", errors) if errors else None,
             ntr("{n} warning", "{n} warnings", warnings) if warnings else None]
    summary = ", ".join(language.text(part) for part in parts if part)
    print(language.text(tr("{summary}; no document was written.", summary=summary) if written
                        else tr("{summary}.", summary=summary)), file=sys.stderr)


def _problem_json(problem: Problem, language: Language) -> dict[str, object]:
    origin = problem.origin
    return {
        "severity": problem.severity,
        "code": problem.code,
        "message": language.text(problem.message),
        "file": origin.file,
        "line": origin.line or None,
        "column": origin.column or None,
        "hint": language.text(problem.hint) if problem.hint else None,
        "detail": language.text(problem.detail) if problem.detail else None,
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
        raise UsageError(tr("SOURCE_DATE_EPOCH must be seconds since 1970 between {low} "
                            "(1980) and {high} (2107), not {value}", low=_EPOCH_RANGE[0],
                            high=_EPOCH_RANGE[1], value=repr(value)))
    return int(value)
