"""LibreOffice as a converter: a finished .docx → another format (PDF, ODT), headless.

The Word writer fills the table of contents with *estimated* page numbers;
Word recomputes them on opening, but LibreOffice's plain `--convert-to` keeps
them as they are. So `convert` drives LibreOffice through its UNO API: it
starts a headless LibreOffice with a throw-away profile, and a small script,
run by a Python that has LibreOffice's `uno` module (on Debian:
/usr/bin/python3 with the package python3-uno), opens the document hidden,
updates every index (the table of contents) and field until the page numbers
no longer change, restores the keywords, and stores the document with the
export filter of the format (an `Export`). LibreOffice is always stopped
afterwards, also on errors and time-outs.

LibreOffice's OOXML import splits the keywords (cp:keywords) at every space,
comma, semicolon, colon and tab, so "integrale veiligheid" would arrive as two
keywords. The script therefore sets them again from the .docx's own properties,
which the Word writer separates with semicolons, as Office does with tags.

`update_indexes=False` skips the UNO route for a plain `--convert-to`; the
table of contents then shows the writer's estimated page numbers, and the
keywords stay split into words.

The formats' own modules (`writers.pdf`, `writers.odt`) describe their export
and call `convert`; this module knows nothing of either.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from ..i18n import Message, tr

__all__ = ["UNO_PYTHON_ENV", "DocumentProperties", "Export", "LibreOfficeError", "convert",
           "document_properties", "ensure_libreoffice"]

UNO_PYTHON_ENV = "IVBCOMPOSE_UNO_PYTHON"
"""Environment variable naming a Python that can `import uno`, when the usual ones cannot."""

KEYWORD_SEPARATOR = ";"
"""What separates the keywords in the .docx's cp:keywords (the Word writer joins with '; ')."""

_OFFICE_EXIT_GRACE = 15.0  # seconds LibreOffice gets to quit by itself after the export
_KILL_GRACE = 5.0  # seconds between SIGTERM and SIGKILL
_HELPER_GRACE = 5.0  # seconds the script may outlive LibreOffice (it may be just finishing)
_PROBE_TIMEOUT = 30.0
_POLL = 0.2
_LOG_TAIL = 5
# How often a conversion is tried when LibreOffice's Python bridge crashes.
_ATTEMPTS = 3

# Run by the UNO-capable Python (any Python 3 LibreOffice ships with): it only
# uses the standard library and uno. Arguments: pipe name, source URL, target
# URL, seconds to wait for LibreOffice, the export as JSON (filter name, filter
# options, keywords to set or null).
_UNO_SCRIPT = r'''
import contextlib
import json
import sys
import time

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException

MAX_PASSES = 4


def prop(name, value):
    result = PropertyValue()
    result.Name = name
    result.Value = value
    return result


def connect(pipe, deadline):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    url = f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext"
    while True:
        try:
            return resolver.resolve(url)
        except NoConnectException:
            if time.monotonic() > deadline:
                sys.exit("it did not accept a connection in time")
            time.sleep(0.1)


def token_type(token):
    return next((p.Value for p in token if p.Name == "TokenType"), "")


def keep_number_column(index):
    # LibreOffice rebuilds Word's TOC entries as "number text"; the Word
    # writer's entries are "number<tab>text", aligned on the hanging indent.
    levels = index.LevelFormat
    for level in range(1, levels.getCount()):
        tokens = list(levels.getByIndex(level))
        types = [token_type(token) for token in tokens]
        if "TokenEntryNumber" not in types:
            continue
        at = types.index("TokenEntryNumber") + 1
        if at < len(types) and types[at] in ("TokenText", "TokenTabStop"):
            continue
        tokens.insert(at, (prop("TokenType", "TokenText"), prop("Text", "\t"),
                           prop("CharacterStyleName", "")))
        value = uno.Any("[][]com.sun.star.beans.PropertyValue",
                        tuple(tuple(token) for token in tokens))
        uno.invoke(levels, "replaceByIndex", (level, value))
    index.LevelFormat = levels


def drop_leading_tabs(index):
    # An unnumbered heading (an appendix) has no number before the tab.
    text = index.getAnchor().getText()
    paragraphs = index.getAnchor().createEnumeration()
    while paragraphs.hasMoreElements():
        paragraph = paragraphs.nextElement()
        if paragraph.getString().startswith("\t"):
            cursor = text.createTextCursorByRange(paragraph.getStart())
            cursor.goRight(1, True)
            cursor.setString("")


def update(document):
    collection = document.getDocumentIndexes()
    indexes = [collection.getByIndex(i) for i in range(collection.getCount())]
    contents = [i for i in indexes if i.supportsService("com.sun.star.text.ContentIndex")]
    for index in contents:
        keep_number_column(index)
    previous = None
    # A longer or shorter table of contents moves the pages after it: repeat
    # until the entries (and so their page numbers) stay the same.
    for _ in range(MAX_PASSES):
        for index in indexes:
            index.update()
        document.getTextFields().refresh()
        document.refresh()
        current = [index.getAnchor().getString() for index in indexes]
        if current == previous:
            break
        previous = current
    for index in contents:
        drop_leading_tabs(index)


def describe_charts(document, descriptions):
    # The .docx import drops a chart's alternative text (wp:docPr descr): it is given
    # back, in document order, unless the charts LibreOffice found are not the ones sent.
    objects = document.getEmbeddedObjects()
    names = objects.getElementNames()
    if len(names) != len(descriptions):
        return
    for name, description in zip(names, descriptions):
        objects.getByName(name).Description = description


def export(document, target, job):
    if job["keywords"] is not None:
        # The import split the phrases into words; these are the .docx's own.
        document.getDocumentProperties().Keywords = tuple(job["keywords"])
    arguments = [prop("FilterName", job["filter"])]
    if job["options"]:
        data = uno.Any("[]com.sun.star.beans.PropertyValue",
                       tuple(prop(name, value) for name, value in job["options"].items()))
        arguments.append(prop("FilterData", data))
    # Storing a modified document records our nameless profile as its last editor,
    # with today's date: the author and date stay the .docx's.
    document.setModified(False)
    document.storeToURL(target, tuple(arguments))


def main(pipe, source, target, seconds, job):
    context = connect(pipe, time.monotonic() + float(seconds))
    desktop = context.ServiceManager.createInstanceWithContext(
        "com.sun.star.frame.Desktop", context)
    try:
        document = desktop.loadComponentFromURL(source, "_blank", 0, (prop("Hidden", True),))
        if document is None:
            sys.exit("it cannot open the file; is it a valid .docx?")
        try:
            update(document)
            job = json.loads(job)
            describe_charts(document, job["charts"])
            export(document, target, job)
        finally:
            document.close(True)
    finally:
        # The bridge drops while LibreOffice quits.
        with contextlib.suppress(Exception):
            desktop.terminate()


try:
    main(*sys.argv[1:6])
except Exception as error:
    sys.exit(getattr(error, "Message", "") or str(error) or type(error).__name__)
'''


class LibreOfficeError(Exception):
    """The conversion failed; `message` says why, `hint` what to do about it."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n  hint: {self.hint}" if self.hint else self.message


class _Crashed(LibreOfficeError):
    """The conversion ended by a signal (a crash), not by a mistake in the document."""


@dataclass(frozen=True)
class DocumentProperties:
    """What a .docx says of itself (its core properties), for repairs after LibreOffice."""

    title: str = ""
    subject: str = ""
    author: str = ""
    keywords: tuple[str, ...] = ()
    language: str | None = None
    charts: tuple[str, ...] = ()  # the alternative text of each chart, in document order


@dataclass(frozen=True)
class Export:
    """One output format: LibreOffice's export filter and what is done around it.

    `label` names the format in messages ("PDF"); `signature` is what its files
    hold at `signature_at`, so an empty or foreign file is never taken for one.
    `join_keywords` stores the keywords as one text joined with it, for a
    format whose metadata has a single keywords text that LibreOffice would
    join with ", " (a phrase may hold a comma). `finish` gets the file and the
    .docx's properties and returns the file as written.
    """

    label: str
    suffix: str
    filter: str
    signature: bytes
    signature_at: int = 0
    options: Mapping[str, bool] = field(default_factory=dict)
    join_keywords: str | None = None
    finish: Callable[[bytes, DocumentProperties], bytes] | None = None

    def keywords(self, properties: DocumentProperties) -> list[str] | None:
        """The keywords the script sets, or None to leave LibreOffice's."""
        if not properties.keywords:
            return None
        if self.join_keywords is not None:
            return [self.join_keywords.join(properties.keywords)]
        return list(properties.keywords)

    def recognises(self, data: bytes) -> bool:
        return data[self.signature_at:self.signature_at + len(self.signature)] == self.signature


def convert(docx_data: bytes, name: str, export: Export, *, timeout: int = 300,
            update_indexes: bool = True) -> bytes:
    """The .docx `docx_data` converted by LibreOffice as `export` says; nothing is written.

    `name` is the .docx's file name, for messages. With `update_indexes` (the
    default) the table of contents and all fields are brought up to date first
    and the keywords are restored as phrases; this needs a Python with
    LibreOffice's uno module (see `UNO_PYTHON_ENV`). `timeout` (seconds) bounds
    the whole conversion. Raises LibreOfficeError when LibreOffice or its
    Python bridge is missing, times out, or writes no file.
    """
    soffice = _find_soffice()
    uno_python = _find_uno_python(soffice) if update_indexes else None
    properties = document_properties(docx_data)
    deadline = time.monotonic() + timeout
    for attempt in range(_ATTEMPTS):
        with tempfile.TemporaryDirectory(prefix="ivbcompose-office-",
                                         ignore_cleanup_errors=True) as work:
            workdir = Path(work)
            # LibreOffice writes a lock file beside what it opens: let that be our copy.
            source = workdir / "document.docx"
            source.write_bytes(docx_data)
            job = _Job(soffice, source, name, workdir, deadline, timeout, export, properties)
            try:
                produced = job.run_uno(uno_python) if uno_python else job.run_plain()
            except _Crashed:
                # The UNO bridge now and then dies of a signal on a fresh profile; a new
                # LibreOffice with a new profile converts the same file.
                if attempt + 1 == _ATTEMPTS or time.monotonic() >= deadline:
                    raise
                continue
            data = _read_output(produced, job)
        break
    return export.finish(data, properties) if export.finish else data


def ensure_libreoffice(*, update_indexes: bool = True) -> None:
    """Raise LibreOfficeError unless `convert` can run here, e.g. before a long build."""
    soffice = _find_soffice()
    if update_indexes:
        _find_uno_python(soffice)


def document_properties(docx_data: bytes) -> DocumentProperties:
    """The title, subject, author, keywords and language of a .docx, and its charts'
    alternative texts; empty if unreadable.

    This reads the package's Dublin Core part and the drawings of the body, not
    the Word text, so it stays a few lines of standard library; an unreadable
    .docx is LibreOffice's to report, with the file name.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(docx_data)) as package:
            relations = ElementTree.fromstring(package.read("_rels/.rels"))
            part = next((relation.get("Target", "") for relation in relations
                         if relation.get("Type", "").endswith("/metadata/core-properties")), "")
            core = ElementTree.fromstring(package.read(part.lstrip("/"))) if part else None
            charts = _chart_descriptions(package)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError, ValueError):
        return DocumentProperties()
    if core is None:
        return DocumentProperties(charts=charts)
    keywords = core.findtext(f"{{{_CP}}}keywords") or ""
    language = (core.findtext(f"{{{_DC}}}language") or "").strip()
    return DocumentProperties(
        title=core.findtext(f"{{{_DC}}}title") or "",
        subject=core.findtext(f"{{{_DC}}}subject") or "",
        author=core.findtext(f"{{{_DC}}}creator") or "",
        keywords=tuple(phrase.strip() for phrase in keywords.split(KEYWORD_SEPARATOR)
                       if phrase.strip()),
        language=language or None, charts=charts)


def _chart_descriptions(package: zipfile.ZipFile) -> tuple[str, ...]:
    """The alternative text of every chart in the Word body, in document order."""
    if "word/document.xml" not in package.namelist():
        return ()
    body = ElementTree.fromstring(package.read("word/document.xml"))
    found = []
    for drawing in body.iter(f"{{{_WP}}}inline"):
        data = drawing.find(f".//{{{_A}}}graphicData")
        if data is not None and data.get("uri") == _CHART_URI:
            properties = drawing.find(f"{{{_WP}}}docPr")
            found.append(properties.get("descr", "") if properties is not None else "")
    return tuple(found)


_CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_CHART_URI = "http://schemas.openxmlformats.org/drawingml/2006/chart"
_DC = "http://purl.org/dc/elements/1.1/"


def _find_soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        raise LibreOfficeError(tr("LibreOffice is not installed (no 'soffice' on the PATH)"),
                               tr("install the Debian package libreoffice-writer-nogui"))
    return found


def _find_uno_python(soffice: str) -> str:
    """A Python that can `import uno`: the configured one, ours, the system's, LibreOffice's."""
    explicit = os.environ.get(UNO_PYTHON_ENV)
    if explicit:
        candidates = [explicit]
    else:
        bundled = Path(os.path.realpath(soffice)).parent / "python"
        candidates = [sys.executable, "/usr/bin/python3", str(bundled)]
    for candidate in dict.fromkeys(candidates):
        if _has_uno(candidate):
            return candidate
    where = tr("{variable}={python} cannot import uno", variable=UNO_PYTHON_ENV,
               python=explicit) if explicit else tr("no Python found that can import uno")
    raise LibreOfficeError(
        tr("LibreOffice's Python bridge is not available, so the table of contents "
           "cannot be updated before the export ({reason})", reason=where),
        tr("install the Debian package python3-uno, or set {variable} to a Python "
           "that can import uno", variable=UNO_PYTHON_ENV))


@functools.lru_cache(maxsize=8)
def _has_uno(python: str) -> bool:
    executable = shutil.which(python)
    if executable is None:
        return False
    try:
        probe = subprocess.run([executable, "-c", "import uno"], stdin=subprocess.DEVNULL,
                               capture_output=True, timeout=_PROBE_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0


class _Job:
    """One conversion in a private working directory; LibreOffice never outlives it."""

    def __init__(self, soffice: str, source: Path, name: str, workdir: Path, deadline: float,
                 timeout: int, export: Export, properties: DocumentProperties) -> None:
        self.soffice = soffice
        self.source = source
        self.name = name  # of the user's file, for messages: `source` is our copy
        self.workdir = workdir
        self.deadline = deadline
        self.timeout = timeout
        self.export = export
        self.properties = properties
        self.office_log = workdir / "soffice.log"
        self.script_log = workdir / "uno.log"

    @contextlib.contextmanager
    def office(self, *arguments: str,
               pipe: str | None = None) -> Iterator[subprocess.Popen[bytes]]:
        """LibreOffice with our profile, in its own process group; all of it ends on leaving.

        `pipe` names the pipe it accepts UNO connections on, if any.
        """
        profile = (self.workdir / "profile").as_uri()
        command = [self.soffice, f"-env:UserInstallation={profile}", "--headless", "--invisible",
                   "--nologo", "--norestore", "--nodefault", "--nolockcheck", *arguments]
        # Its temporary files then go with our working directory, even when it is killed.
        scratch = self.workdir / "tmp"
        scratch.mkdir()
        environment = {**os.environ, "TMPDIR": str(scratch)}
        try:
            with self.office_log.open("wb") as out:
                process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=out,
                                           stderr=subprocess.STDOUT, env=environment,
                                           start_new_session=True)
        except OSError as error:
            raise LibreOfficeError(
                tr("LibreOffice could not be started: {reason}", reason=str(error)),
                tr("check the LibreOffice installation (soffice --version)")) from error
        failed = True
        try:
            yield process
            failed = False
        finally:
            _stop(process, grace=0.0 if failed else _OFFICE_EXIT_GRACE)
            _remove_pipes(profile, pipe)

    def run_plain(self) -> Path:
        """`soffice --convert-to`: the table of contents is not updated, the keywords split."""
        export = self.export
        target = f"{export.suffix}:{export.filter}"
        if export.options:
            options = {name: {"type": "boolean", "value": str(value).lower()}
                       for name, value in export.options.items()}
            target += f":{json.dumps(options)}"
        out_dir = self.workdir / "out"
        with self.office("--convert-to", target, "--outdir", str(out_dir),
                         str(self.source)) as office:
            try:
                office.wait(timeout=self.remaining())
            except subprocess.TimeoutExpired:
                raise self.timed_out() from None
        return out_dir / f"{self.source.stem}.{export.suffix}"

    def run_uno(self, python: str) -> Path:
        """LibreOffice listening on a private pipe, driven by the UNO script."""
        pipe = f"ivbcompose_{os.getpid()}_{secrets.token_hex(6)}"
        target = self.workdir / f"document.{self.export.suffix}"
        accept = f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"
        job = {"filter": self.export.filter, "options": dict(self.export.options),
               "keywords": self.export.keywords(self.properties),
               "charts": list(self.properties.charts)}
        with self.office(accept, pipe=pipe) as office, self.script_log.open("wb") as log:
            script = subprocess.Popen(
                [python, "-c", _UNO_SCRIPT, pipe, self.source.as_uri(), target.as_uri(),
                 str(int(self.remaining()) + 1), json.dumps(job)],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
            try:
                status = self.wait_for_script(script, office)
            finally:
                if script.poll() is None:
                    script.kill()
                    script.wait()
        if status != 0:
            reason = _tail(self.script_log, 1) or tr("exit status {status}", status=status)
            failure = _Crashed if status < 0 else LibreOfficeError
            raise failure(tr("LibreOffice could not convert {file}: {reason}", file=self.name,
                             reason=reason), self.log_hint(self.office_log))
        return target

    def wait_for_script(self, script: subprocess.Popen[bytes],
                        office: subprocess.Popen[bytes]) -> int:
        """The script's exit status; fails on the deadline or when LibreOffice dies first."""
        office_gone: float | None = None
        while True:
            try:
                return script.wait(timeout=_POLL)
            except subprocess.TimeoutExpired:
                now = time.monotonic()
                if now >= self.deadline:
                    raise self.timed_out() from None
                if office.poll() is not None:
                    office_gone = office_gone or now
                    if now - office_gone > _HELPER_GRACE:
                        raise LibreOfficeError(
                            tr("LibreOffice stopped before the {format} was written",
                               format=self.export.label),
                            self.log_hint(self.script_log, self.office_log)) from None

    def remaining(self) -> float:
        return max(self.deadline - time.monotonic(), 0.0)

    def timed_out(self) -> LibreOfficeError:
        return LibreOfficeError(
            tr("LibreOffice did not finish converting {file} within {seconds} seconds",
               file=self.name, seconds=self.timeout),
            tr("try a longer timeout; a first start of LibreOffice on a slow machine can take "
               "a minute"))

    def log_hint(self, *logs: Path) -> Message:
        said = " | ".join(filter(None, (_tail(log, _LOG_TAIL) for log in logs)))
        return tr("LibreOffice said: {output}", output=said) if said \
            else tr("open the .docx in LibreOffice to see why")


def _stop(process: subprocess.Popen[bytes], *, grace: float) -> None:
    """Let LibreOffice quit by itself for `grace` seconds, then end its process group.

    soffice is a launcher: the real work happens in its child soffice.bin, in
    the same new process group (the launcher's id), which may still be
    shutting down after the launcher has gone. So the whole group is waited
    for, and gets the signals: first SIGTERM, then SIGKILL.
    """
    if not hasattr(os, "killpg"):  # no process groups (Windows): the launcher is all we have
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=grace)
        process.kill()
        process.wait()
        return
    _wait_for_group(process, grace)
    for sig in (signal.SIGTERM, signal.SIGKILL):
        if not _group_alive(process):
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        _wait_for_group(process, _KILL_GRACE)


def _wait_for_group(process: subprocess.Popen[bytes], seconds: float) -> None:
    limit = time.monotonic() + seconds
    while _group_alive(process) and time.monotonic() < limit:
        time.sleep(0.05)


def _group_alive(process: subprocess.Popen[bytes]) -> bool:
    """Whether any process of the group `process` leads still exists (reaping the leader)."""
    process.poll()
    try:
        os.killpg(process.pid, 0)
    except (ProcessLookupError, PermissionError):  # gone, or the id is someone else's now
        return False
    return True


def _remove_pipes(profile: str, pipe: str | None) -> None:
    """Remove the sockets a killed LibreOffice leaves in /tmp (Unix only; best effort).

    LibreOffice names them after the UNO pipe and, for its single-instance
    pipe, after the MD5 of the profile URL in UTF-16, in unpadded hex digits.
    A LibreOffice that quits normally removes them itself.
    """
    if not hasattr(os, "getuid"):
        return
    digest = hashlib.md5(profile.encode("utf-16-le"), usedforsecurity=False).digest()
    names = [f"SingleOfficeIPC_{''.join(format(byte, 'x') for byte in digest)}"]
    if pipe:
        names.append(pipe)
    for name in names:
        with contextlib.suppress(OSError):
            os.unlink(f"/tmp/OSL_PIPE_{os.getuid()}_{name}")


def _read_output(path: Path, job: _Job) -> bytes:
    data = path.read_bytes() if path.is_file() else b""
    if not job.export.recognises(data):
        raise LibreOfficeError(tr("LibreOffice produced no {format} for {file}",
                                  format=job.export.label, file=job.name),
                               job.log_hint(job.script_log, job.office_log))
    return data


def _tail(log: Path, lines: int) -> str:
    """The last `lines` meaningful lines of a log, on one line."""
    try:
        text = log.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    # LibreOffice always complains about Java, which it does not need here.
    kept = [line.strip() for line in text.splitlines()
            if line.strip() and "javaldx" not in line]
    return " | ".join(kept[-lines:])
