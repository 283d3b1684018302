"""PDF output: a finished .docx → a tagged (accessible) PDF, made by LibreOffice.

The Word writer fills the table of contents with *estimated* page numbers;
Word recomputes them on opening, but LibreOffice's plain `--convert-to` keeps
them as they are. So `convert_to_pdf` drives LibreOffice through its UNO API:
it starts a headless LibreOffice with a throw-away profile, and a small
script, run by a Python that has LibreOffice's `uno` module (on Debian:
/usr/bin/python3 with the package python3-uno), opens the document hidden,
updates every index (the table of contents) and field until the page numbers
no longer change, and exports a tagged PDF. LibreOffice is always stopped
afterwards, also on errors and time-outs, and the PDF is put in place
atomically.

`update_indexes=False` skips the UNO route for a plain `--convert-to`; the
table of contents then shows the writer's estimated page numbers.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from ..i18n import Message, tr
from . import write_atomically

__all__ = ["UNO_PYTHON_ENV", "PdfError", "convert_to_pdf", "ensure_libreoffice"]

UNO_PYTHON_ENV = "IVBCOMPOSE_UNO_PYTHON"
"""Environment variable naming a Python that can `import uno`, when the usual ones cannot."""

# writer_pdf_Export options. DisplayPDFDocumentTitle makes viewers show the
# document's title instead of its file name, as accessibility guidelines ask.
_PDF_OPTIONS = {"UseTaggedPDF": True, "ExportBookmarks": True, "DisplayPDFDocumentTitle": True}
_OFFICE_EXIT_GRACE = 15.0  # seconds LibreOffice gets to quit by itself after the export
_KILL_GRACE = 5.0  # seconds between SIGTERM and SIGKILL
_HELPER_GRACE = 5.0  # seconds the script may outlive LibreOffice (it may be just finishing)
_PROBE_TIMEOUT = 30.0
_POLL = 0.2
_LOG_TAIL = 5

# Run by the UNO-capable Python (any Python 3 LibreOffice ships with): it only
# uses the standard library and uno. Arguments: pipe name, source URL, target
# URL, seconds to wait for LibreOffice, PDF options as JSON.
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


def export(document, target, options):
    data = uno.Any("[]com.sun.star.beans.PropertyValue",
                   tuple(prop(name, value) for name, value in options.items()))
    document.storeToURL(target, (prop("FilterName", "writer_pdf_Export"),
                                 prop("FilterData", data)))


def main(pipe, source, target, seconds, options):
    context = connect(pipe, time.monotonic() + float(seconds))
    desktop = context.ServiceManager.createInstanceWithContext(
        "com.sun.star.frame.Desktop", context)
    try:
        document = desktop.loadComponentFromURL(source, "_blank", 0, (prop("Hidden", True),))
        if document is None:
            sys.exit("it cannot open the file; is it a valid .docx?")
        try:
            update(document)
            export(document, target, json.loads(options))
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


class PdfError(Exception):
    """The PDF could not be made; `message` says why, `hint` what to do about it."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n  hint: {self.hint}" if self.hint else self.message


def convert_to_pdf(docx: Path, pdf: Path, *, timeout: int = 300,
                   update_indexes: bool = True) -> None:
    """Convert the .docx at `docx` into a tagged PDF at `pdf`, replacing it atomically.

    With `update_indexes` (the default) the table of contents and all fields
    are brought up to date first, so the PDF shows real page numbers; this
    needs a Python with LibreOffice's uno module (see `UNO_PYTHON_ENV`).
    `timeout` (seconds) bounds the whole conversion. Raises PdfError when
    LibreOffice or its Python bridge is missing, times out, or writes no PDF;
    `pdf` is then left as it was.
    """
    source = Path(docx)
    if not source.is_file():
        raise PdfError(tr("{file} does not exist", file=str(source)),
                       tr("build the .docx first"))
    soffice = _find_soffice()
    uno_python = _find_uno_python(soffice) if update_indexes else None
    deadline = time.monotonic() + timeout
    for attempt in range(_ATTEMPTS):
        with tempfile.TemporaryDirectory(prefix="ivbcompose-pdf-",
                                         ignore_cleanup_errors=True) as work:
            workdir = Path(work)
            # LibreOffice writes a lock file beside what it opens: let that be our copy.
            copy = workdir / "document.docx"
            shutil.copyfile(source, copy)
            job = _Job(soffice, copy, source.name, workdir, deadline, timeout)
            try:
                produced = job.run_uno(uno_python) if uno_python else job.run_plain()
            except _Crashed:
                # The UNO bridge now and then dies of a signal on a fresh profile; a new
                # LibreOffice with a new profile converts the same file.
                if attempt + 1 == _ATTEMPTS or time.monotonic() >= deadline:
                    raise
                continue
            data = _read_pdf(produced, job)
        break
    write_atomically(Path(pdf), data)


# How often a conversion is tried when LibreOffice's Python bridge crashes.
_ATTEMPTS = 3


class _Crashed(PdfError):
    """The conversion ended by a signal (a crash), not by a mistake in the document."""


def ensure_libreoffice(*, update_indexes: bool = True) -> None:
    """Raise PdfError unless `convert_to_pdf` can run here, e.g. before a long build."""
    soffice = _find_soffice()
    if update_indexes:
        _find_uno_python(soffice)


def _find_soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        raise PdfError(tr("LibreOffice is not installed (no 'soffice' on the PATH)"),
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
    raise PdfError(
        tr("LibreOffice's Python bridge is not available, so the table of contents "
           "cannot be updated before the PDF export ({reason})", reason=where),
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
                 timeout: int) -> None:
        self.soffice = soffice
        self.source = source
        self.name = name  # of the user's file, for messages: `source` is our copy
        self.workdir = workdir
        self.deadline = deadline
        self.timeout = timeout
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
            raise PdfError(tr("LibreOffice could not be started: {reason}", reason=str(error)),
                           tr("check the LibreOffice installation (soffice --version)")) \
                from error
        failed = True
        try:
            yield process
            failed = False
        finally:
            _stop(process, grace=0.0 if failed else _OFFICE_EXIT_GRACE)
            _remove_pipes(profile, pipe)

    def run_plain(self) -> Path:
        """`soffice --convert-to`: tagged, but the table of contents is not updated."""
        options = {name: {"type": "boolean", "value": str(value).lower()}
                   for name, value in _PDF_OPTIONS.items()}
        out_dir = self.workdir / "out"
        with self.office("--convert-to", f"pdf:writer_pdf_Export:{json.dumps(options)}",
                         "--outdir", str(out_dir), str(self.source)) as office:
            try:
                office.wait(timeout=self.remaining())
            except subprocess.TimeoutExpired:
                raise self.timed_out() from None
        return out_dir / f"{self.source.stem}.pdf"

    def run_uno(self, python: str) -> Path:
        """LibreOffice listening on a private pipe, driven by the UNO script."""
        pipe = f"ivbcompose_{os.getpid()}_{secrets.token_hex(6)}"
        target = self.workdir / "document.pdf"
        accept = f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"
        with self.office(accept, pipe=pipe) as office, self.script_log.open("wb") as log:
            script = subprocess.Popen(
                [python, "-c", _UNO_SCRIPT, pipe, self.source.as_uri(), target.as_uri(),
                 str(int(self.remaining()) + 1), json.dumps(_PDF_OPTIONS)],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
            try:
                status = self.wait_for_script(script, office)
            finally:
                if script.poll() is None:
                    script.kill()
                    script.wait()
        if status != 0:
            reason = _tail(self.script_log, 1) or tr("exit status {status}", status=status)
            failure = _Crashed if status < 0 else PdfError
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
                        raise PdfError(tr("LibreOffice stopped before the PDF was written"),
                                       self.log_hint(self.script_log, self.office_log)) from None

    def remaining(self) -> float:
        return max(self.deadline - time.monotonic(), 0.0)

    def timed_out(self) -> PdfError:
        return PdfError(
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


def _read_pdf(path: Path, job: _Job) -> bytes:
    data = path.read_bytes() if path.is_file() else b""
    if not data.startswith(b"%PDF-"):
        raise PdfError(tr("LibreOffice produced no PDF for {file}", file=job.name),
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
