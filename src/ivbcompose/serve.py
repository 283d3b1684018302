"""A live preview in the browser: the document as HTML, rebuilt whenever a YAML file is saved.

`serve` listens on 127.0.0.1 (another interface only when asked) and answers
a handful of paths, none of them a file on disk:

- `/` the preview page: a picker (municipality, kind of document, year), the
  problems of the last build, and the document in a frame;
- `/document` the document itself, as the HTML writer writes it (the last good
  one when the latest build failed, so a mistake never blanks the preview);
- `/status` the state of a selection as JSON (the page asks after each event);
- `/events` a stream of server-sent events: one each time a build finished;
- `/compare` one item of the document in every municipality, side by side.

A watcher thread (watchfiles) sees saved files under `shared/` and
`municipalities/`, and rebuilds every selection a page has asked for; each
rebuild prints its result, problems in the terminal's form, to the terminal.
A half-written file is just a failed build: the next save wins.
"""

from __future__ import annotations

import html
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import parse_qs, urlencode, urlsplit

from pydantic import BaseModel

from . import api
from .build import document_for, errors_only, load_all
from .compare import compare as compare_compositions
from .compose import Composition, compose
from .document import Document, Heading, Table
from .errors import IvbError, format_problem
from .i18n import Language, language_for, ntr, tr
from .project import Project
from .writers.html import anchor_id, render_html

__all__ = ["PortInUse", "Preview", "PreviewServer", "Selection"]

_WATCHED = ("shared", "municipalities")
_YAML = (".yaml", ".yml")


@dataclass(frozen=True)
class Selection:
    """Which document a page shows: a municipality, a kind (None: the default), a year."""

    municipality: str
    kind: str | None = None
    year: int | None = None

    def query(self) -> str:
        pairs = {"m": self.municipality, "d": self.kind or "", "y": self.year or ""}
        return urlencode({k: v for k, v in pairs.items() if v != ""})


@dataclass
class _Result:
    """The latest build of a selection: its page (None when it failed) and its problems."""

    generation: int
    page: str | None
    problems: list[str]
    seconds: float


@dataclass
class Preview:
    """The state of one `serve`: the project, the builds, and who is waiting for news.

    Every build happens under `lock`; `changed` wakes the event streams.
    """

    project: Project
    out: TextIO
    language: Language = field(default_factory=lambda: language_for("en"))
    generation: int = 0
    results: dict[Selection, _Result] = field(default_factory=dict)
    good: dict[Selection, str] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock)
    changed: threading.Condition = field(default_factory=threading.Condition)
    closing: threading.Event = field(default_factory=threading.Event)

    def result(self, selection: Selection) -> _Result:
        """The selection's build of the current generation, built now if needed."""
        with self.lock:
            known = self.results.get(selection)
            if known is not None and known.generation == self.generation:
                return known
            result = self._build(selection)
            self.results[selection] = result
            if result.page is not None:
                self.good[selection] = result.page
            return result

    def page(self, selection: Selection) -> str | None:
        """The last good page of a selection (None: it never built)."""
        self.result(selection)
        return self.good.get(selection)

    def files_changed(self, paths: list[str]) -> None:
        """Rebuild every selection a page asked for, print what happened, tell the pages."""
        with self.lock:
            self.generation += 1
            shown = ", ".join(sorted({self.project.display(Path(p)) for p in paths}))
            self._say(tr("changed: {files}", files=shown))
            for selection in list(self.results):
                self.report(selection, self.result(selection))
        with self.changed:
            self.changed.notify_all()

    def _build(self, selection: Selection) -> _Result:
        started = time.perf_counter()
        try:
            document = _document(self.project, selection)
            page = render_html(document)
            problems: list[str] = []
        except IvbError as error:
            page = None
            problems = [format_problem(p, self.project.root, self.language)
                        for p in error.problems]
        return _Result(self.generation, page, problems, time.perf_counter() - started)

    def report(self, selection: Selection, result: _Result) -> None:
        name = _label(selection)
        if result.page is not None:
            seconds = round(result.seconds, 1)
            self._say(tr("built {name} in {seconds} s", name=name, seconds=seconds))
        else:
            self._say(ntr("{name}: {n} problem; the preview keeps the last good version",
                          "{name}: {n} problems; the preview keeps the last good version",
                          len(result.problems), name=name))
            for text in result.problems:
                print(text, file=self.out, flush=True)

    def _say(self, message: str) -> None:
        print(self.language.text(message), file=self.out, flush=True)

    def status(self, selection: Selection) -> dict[str, Any]:
        result = self.result(selection)
        return {"generation": self.generation, "ok": result.page is not None,
                "problems": result.problems, "has_page": selection in self.good}

    def wait(self, seen: int, timeout: float) -> int:
        """Block until the generation is past `seen` (or `timeout`); the generation then."""
        with self.changed:
            self.changed.wait_for(lambda: self.generation > seen or self.closing.is_set(),
                                  timeout)
        return self.generation


def _document(project: Project, selection: Selection) -> Document:
    loaded, problems = load_all(project)
    if loaded is None:
        raise IvbError(problems)
    problems = errors_only(problems, strict=False)
    if problems:
        raise IvbError(problems)
    composition = compose(project, selection.municipality, loaded.shared, loaded.members,
                          selection.kind, selection.year, loaded.figures)
    return document_for(project, composition)


def _kinds(project: Project, municipality_id: str) -> list[api.DocumentKind]:
    """The kinds the picker offers; none while the project does not compose."""
    try:
        return api.document_kinds(project, municipality_id)
    except IvbError:
        return []


def _label(selection: Selection) -> str:
    parts = [selection.municipality, selection.kind, str(selection.year or "")]
    return " ".join(p for p in parts if p)


# --- the HTTP side -------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    preview: Preview  # set on the class `serve` makes, one per server
    server_version = "ivbcompose"

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        routes: dict[str, Callable[[dict[str, str]], None]] = {
            "/": self._shell, "/document": self._document, "/status": self._status,
            "/events": self._events, "/compare": self._compare,
        }
        route = routes.get(url.path)
        if route is None:
            self._send(HTTPStatus.NOT_FOUND, "text/plain", "Niet gevonden\n")
            return
        route(query)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the terminal shows builds and problems, not every request

    def _selection(self, query: dict[str, str]) -> Selection | None:
        ids = self.preview.project.municipality_ids()
        municipality = query.get("m") or (ids[0] if ids else "")
        if municipality not in ids:
            self._send(HTTPStatus.NOT_FOUND, "text/plain",
                       f"Onbekende gemeente: {municipality}\n")
            return None
        year = query.get("y", "")
        return Selection(municipality, query.get("d") or None,
                         int(year) if year.isascii() and year.isdigit() else None)

    def _shell(self, query: dict[str, str]) -> None:
        selection = self._selection(query)
        if selection is not None:
            names = api.municipality_names(self.preview.project)
            kinds = _kinds(self.preview.project, selection.municipality)
            chosen = next((k for k in kinds if k.id == selection.kind), None)
            if chosen is not None and chosen.years and selection.year not in chosen.years:
                # A kind written per year shows a year: its first, until one is picked.
                first = Selection(selection.municipality, chosen.id, chosen.years[0])
                self.send_response(HTTPStatus.SEE_OTHER)
                self.send_header("Location", f"/?{first.query()}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self._send(HTTPStatus.OK, "text/html", _shell_page(selection, names, kinds))

    def _document(self, query: dict[str, str]) -> None:
        selection = self._selection(query)
        if selection is None:
            return
        page = self.preview.page(selection)
        self._send(HTTPStatus.OK, "text/html", page or _EMPTY_PAGE)

    def _status(self, query: dict[str, str]) -> None:
        selection = self._selection(query)
        if selection is not None:
            self._send(HTTPStatus.OK, "application/json",
                       json.dumps(self.preview.status(selection), ensure_ascii=False))

    def _events(self, query: dict[str, str]) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = -1
        try:
            while not self.preview.closing.is_set():
                generation = self.preview.wait(seen, timeout=10)
                if generation != seen:
                    self.wfile.write(f"data: {generation}\n\n".encode())
                    seen = generation
                else:
                    self.wfile.write(b": wachten\n\n")  # finds a closed connection
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return

    def _compare(self, query: dict[str, str]) -> None:
        self._send(HTTPStatus.OK, "text/html", _compare_page(self.preview, query.get("item")))

    def _send(self, status: HTTPStatus, kind: str, text: str) -> None:
        data = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", f"{kind}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_HEAD = do_GET


class PortInUse(Exception):
    """The port is taken by another program (a usage error)."""


class PreviewServer:
    """A listening preview: `serve_forever` answers requests until `stop` is called."""

    def __init__(self, project: Project, host: str, port: int, out: TextIO,
                 first: Selection | None = None, language: Language | None = None) -> None:
        self.preview = Preview(project, out, language or language_for("en"))
        handler = type("Handler", (_Handler,), {"preview": self.preview})
        try:
            self._server = ThreadingHTTPServer((host, port), handler)
        except OSError as error:
            raise PortInUse(tr("cannot listen on {host}:{port}: {reason}", host=host,
                               port=port, reason=error.strerror or str(error))) from None
        self._server.daemon_threads = True
        self.address = f"http://{host}:{self._server.server_address[1]}/"
        self._first = first
        self._watcher = threading.Thread(target=_watch, args=(self.preview,), daemon=True)

    @property
    def start_page(self) -> str:
        return self.address + (f"?{self._first.query()}" if self._first else "")

    def serve_forever(self) -> None:
        """Watch the project and answer requests; returns after `stop`."""
        self._watcher.start()
        out = self.preview.out
        print(self.preview.language.text(tr("preview: {address}  (Ctrl+C stops)",
                                            address=self.start_page)), file=out, flush=True)
        if self._first is not None:
            self.preview.report(self._first, self.preview.result(self._first))
        try:
            self._server.serve_forever(poll_interval=0.2)
        finally:
            self.preview.closing.set()
            with self.preview.changed:
                self.preview.changed.notify_all()
            self._server.server_close()

    def stop(self) -> None:
        """End `serve_forever` (from another thread)."""
        self.preview.closing.set()
        self._server.shutdown()


def _watch(preview: Preview) -> None:
    from watchfiles import watch  # imported here: only `serve` needs it

    root = preview.project.root
    folders = [str(root / name) for name in _WATCHED if (root / name).is_dir()]
    relevant = ((*_YAML, ".docx", ".dotx", ".png", ".jpg", ".jpeg"))
    for changes in watch(*folders, debounce=150, step=50, stop_event=preview.closing,
                         watch_filter=lambda _change, path: path.endswith(relevant),
                         raise_interrupt=False):
        preview.files_changed([path for _, path in changes])


# --- the pages -------------------------------------------------------------------------


_EMPTY_PAGE = """<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>Nog geen voorbeeld</title></head>
<body><p>Nog geen voorbeeld: het document is nog niet zonder fouten gebouwd. De fouten
staan boven dit venster.</p></body></html>
"""

_STYLE = """
:root { --blauw: #1f4e79; font-family: "Carlito", "Calibri", "Liberation Sans", sans-serif; }
body { margin: 0; background: #eef1f5; color: #1b1b1b; }
header.bar { background: var(--blauw); color: #fff; padding: .6rem 1rem; display: flex;
  flex-wrap: wrap; gap: 1rem; align-items: center; }
header.bar h1 { font-size: 1.1rem; margin: 0 1rem 0 0; font-weight: 600; }
header.bar label { font-size: .9rem; }
header.bar select { font: inherit; margin-left: .3rem; }
header.bar a { color: #fff; }
#status { font-size: .9rem; margin-left: auto; }
#problemen { margin: 0; }
#problemen[hidden] { display: none; }
#problemen section { background: #fff4f4; border-left: .4rem solid #b00020; margin: 0;
  padding: .6rem 1rem; }
#problemen h2 { font-size: 1rem; margin: 0 0 .4rem; color: #b00020; }
#problemen pre { margin: 0 0 .6rem; white-space: pre-wrap; font-size: .85rem; }
iframe { display: block; width: 100%; height: calc(100vh - 3.2rem); border: 0;
  background: #fff; }
.naast { display: grid; gap: 1rem; padding: 1rem; }
.naast iframe { height: 80vh; border: 1px solid #c8ced6; }
.naast h2 { font-size: 1rem; margin: 0 0 .3rem; }
"""

_SCRIPT = """
const query = document.body.dataset.query;
const frame = document.getElementById("document");
const list = document.getElementById("problemen");
const status = document.getElementById("status");
let shown = -1;
async function refresh() {
  const response = await fetch("/status?" + query, {cache: "no-store"});
  const state = await response.json();
  list.replaceChildren();
  if (state.problems.length) {
    const box = document.createElement("section");
    box.setAttribute("role", "alert");
    const title = document.createElement("h2");
    title.textContent = state.problems.length === 1 ? "1 probleem" :
      state.problems.length + " problemen";
    box.append(title);
    for (const text of state.problems) {
      const pre = document.createElement("pre");
      pre.textContent = text;
      box.append(pre);
    }
    list.append(box);
  }
  list.hidden = !state.problems.length;
  status.textContent = state.ok ? "Bijgewerkt" :
    (state.has_page ? "Fout: het laatste goede voorbeeld blijft staan" : "Fout");
  if (state.ok && state.generation !== shown) {
    const y = frame.contentWindow ? frame.contentWindow.scrollY : 0;
    frame.onload = () => frame.contentWindow.scrollTo(0, y);
    frame.src = "/document?" + query + "&g=" + state.generation;
  }
  shown = state.generation;
  document.body.dataset.generation = state.generation;
}
new EventSource("/events").onmessage = refresh;
for (const select of document.querySelectorAll("select[data-param]")) {
  select.addEventListener("change", () => {
    const params = new URLSearchParams(query);
    params.set(select.dataset.param, select.value);
    if (select.dataset.param !== "y") params.delete("y");
    if (select.dataset.param === "m") params.delete("d");
    location.search = params.toString();
  });
}
"""


def _shell_page(selection: Selection, names: dict[str, str],
                kinds: list[api.DocumentKind]) -> str:
    municipalities = _select("Gemeente", "m", list(names.items()), selection.municipality)
    kind_choice = ""
    years = ""
    if kinds:
        chosen = next((k for k in kinds if k.id == selection.kind), None) \
            or next((k for k in kinds if k.default), kinds[0])
        kind_choice = _select("Document", "d", [(k.id, k.id) for k in kinds], chosen.id)
        if chosen.years:
            years = _select("Jaar", "y", [(str(y), str(y)) for y in chosen.years],
                            str(selection.year or ""))
    return _SHELL.format(
        style=_STYLE, script=_SCRIPT, query=html.escape(selection.query()),
        pickers=municipalities + kind_choice + years,
        title=html.escape(f"Voorbeeld: {names.get(selection.municipality, '')}"))


def _options(values: list[tuple[str, str]], chosen: str | None) -> str:
    """The <option>s of a picker, `chosen` selected."""
    return "".join(f'<option value="{html.escape(v)}"'
                   f'{" selected" if v == chosen else ""}>{html.escape(text)}</option>'
                   for v, text in values)


def _select(label: str, param: str, values: list[tuple[str, str]], chosen: str) -> str:
    options = _options(values, chosen)
    if chosen not in (v for v, _ in values):
        options = '<option value="" selected>kies…</option>' + options
    return f'<label>{label} <select data-param="{param}">{options}</select></label>\n'


_SHELL = """<!DOCTYPE html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{style}</style>
</head>
<body data-query="{query}">
<header class="bar">
<h1>Voorbeeld</h1>
{pickers}<a href="/compare">Vergelijken</a>
<span id="status" role="status" aria-live="polite">Bezig…</span>
</header>
<div id="problemen" hidden></div>
<iframe id="document" title="Het document" src="about:blank"></iframe>
<script>{script}</script>
</body>
</html>
"""


def _compare_page(preview: Preview, item: str | None) -> str:
    """One item in every municipality's document, side by side, each scrolled to it."""
    project = preview.project
    try:
        compositions = [compose(project, m) for m in project.municipality_ids()]
    except IvbError as error:
        problems = "".join(f"<pre>{html.escape(format_problem(p, project.root))}</pre>"
                           for p in error.problems)
        return _COMPARE.format(style=_STYLE, picker="", columns="", count=1, problems=(
            f'<section role="alert"><h2>Het project heeft fouten</h2>{problems}</section>'))
    comparison = compare_compositions(compositions)
    choices = [(row.item_id, f"{row.label} ({row.item_id})") for row in comparison.rows]
    picker = (f'<form method="get"><label>Onderdeel {_plain_select("item", choices, item)}'
              '</label> <button>Toon</button></form>')
    columns = []
    if item:
        row = next((r for r in comparison.rows if r.item_id == item), None)
        for index, composition in enumerate(compositions):
            state = row.states[index] if row is not None else "shared"
            name = html.escape(composition.ivb.municipality.name)
            anchor = _heading_for(project, composition, item)
            if anchor is None or state in ("removed", "absent"):
                columns.append(f"<div><h2>{name}</h2><p>{_STATE_WORDS[state]}</p></div>")
                continue
            source = f"/document?{Selection(composition.municipality_id).query()}" \
                     f"#{html.escape(anchor_id(anchor))}"
            columns.append(f'<div><h2>{name}: {_STATE_WORDS[state]}</h2>'
                           f'<iframe title="{name}" src="{source}"></iframe></div>')
    return _COMPARE.format(style=_STYLE, picker=picker, columns="".join(columns),
                           count=max(len(columns), 1), problems="")


_STATE_WORDS = {"shared": "zoals in het gezamenlijke deel", "changed": "lokaal aangepast",
                "moved": "lokaal verplaatst", "added": "lokaal toegevoegd",
                "removed": "lokaal verwijderd", "absent": "komt hier niet voor"}


def _plain_select(name: str, values: list[tuple[str, str]], chosen: str | None) -> str:
    return f'<select name="{name}">{_options(values, chosen)}</select>'


def _heading_for(project: Project, composition: Composition, item: str) -> str | None:
    """The anchor of the innermost heading or table of the document that holds `item`
    (or is it): a priority's heading, else its section's, else its chapter's."""
    document = document_for(project, composition)
    anchors = {b.anchor for b in document.blocks
               if isinstance(b, Heading | Table) and b.anchor}

    def walk(value: Any, outer: tuple[str, ...]) -> tuple[str, ...] | None:
        own = getattr(value, "id", None) if isinstance(value, BaseModel) else None
        if isinstance(own, str):
            outer = (*outer, own)
            if own == item:
                return outer
        if isinstance(value, BaseModel):
            children: Any = [getattr(value, name) for name in type(value).model_fields]
        elif isinstance(value, list | tuple):
            children = value
        else:
            return None
        for child in children:
            found = walk(child, outer)
            if found is not None:
                return found
        return None

    path = walk(composition.ivb.chapters, ()) or ()
    return next((anchor for anchor in reversed(path) if anchor in anchors), None)


_COMPARE = """<!DOCTYPE html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Vergelijken</title>
<style>{style}
.naast {{ grid-template-columns: repeat({count}, 1fr); }}</style>
</head>
<body>
<header class="bar"><h1>Vergelijken</h1>{picker}<a href="/">Terug naar het voorbeeld</a>
</header>
<div id="problemen">{problems}</div>
<main class="naast">{columns}</main>
</body>
</html>
"""
