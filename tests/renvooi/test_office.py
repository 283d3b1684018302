"""A real word processor reads the renvooi: LibreOffice accepts and rejects every change.

Through LibreOffice's UNO bridge each .docx is opened, all tracked changes are
accepted (or rejected) with the dispatcher's own commands, and the text after
the table of contents is read back, paragraphs and table cells in order.
Accepting all must give the text of the new document built without
`--against`, rejecting all that of the earlier version, up to the appendix of
changes. Skipped without LibreOffice, except under CI, where that is a failure.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
from pathlib import Path

from ivbcompose.renvooi import against_document, appendix_title
from ivbcompose.writers.docx import DocxOptions, render_docx
from ivbcompose.writers.libreoffice import UNO_PYTHON_ENV

from ..test_libreoffice import require_libreoffice
from .versions import composed, git_project

_SCRIPT = r'''
import json
import sys
import time

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException


def prop(name, value):
    result = PropertyValue()
    result.Name = name
    result.Value = value
    return result


def connect(pipe, deadline):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except NoConnectException:
            if time.monotonic() > deadline:
                sys.exit("LibreOffice did not accept a connection in time")
            time.sleep(0.2)


def in_index(paragraph):
    try:
        return paragraph.DocumentIndex is not None
    except Exception:
        return False


def lines(document, cover=None):
    """The paragraphs and table cells after the table of contents (those before it, the
    title page's, go into `cover`)."""
    found, after_index = [], False
    items = document.getText().createEnumeration()
    while items.hasMoreElements():
        item = items.nextElement()
        if item.supportsService("com.sun.star.text.TextTable"):
            if after_index:
                found.extend(item.getCellByName(name).getString()
                             for name in item.getCellNames())
        elif in_index(item):
            after_index = True
        elif after_index:
            found.append(item.getString())
        elif cover is not None:
            cover.append(item.getString())
    return found


def main(pipe, jobs):
    context = connect(pipe, time.monotonic() + 120)
    desktop = context.ServiceManager.createInstanceWithContext(
        "com.sun.star.frame.Desktop", context)
    dispatcher = context.ServiceManager.createInstanceWithContext(
        "com.sun.star.frame.DispatchHelper", context)
    try:
        for source, action, target in json.loads(jobs):
            document = desktop.loadComponentFromURL(source, "_blank", 0,
                                                    (prop("Hidden", True),))
            found = document.getRedlines().getCount()
            if action:
                frame = document.getCurrentController().getFrame()
                dispatcher.executeDispatch(frame, f".uno:{action}AllTrackedChanges", "", 0, ())
            cover = []
            result = {"redlines": found, "left": document.getRedlines().getCount(),
                      "lines": lines(document, cover), "cover": cover}
            with open(target, "w", encoding="utf-8") as out:
                json.dump(result, out, ensure_ascii=False)
            document.close(True)
    finally:
        try:
            desktop.terminate()
        except Exception:
            pass


main(sys.argv[1], sys.argv[2])
'''


def _read_in_office(work: Path, jobs: list[tuple[Path, str]]) -> list[dict[str, object]]:
    """For each (.docx, "Accept" | "Reject" | ""), what LibreOffice reads after doing that."""
    pipe = f"ivbcompose_renvooi_{os.getpid()}"
    profile = (work / "profile").as_uri()
    office = subprocess.Popen(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--invisible", "--nologo",
         "--norestore", "--nodefault", "--nolockcheck",
         f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True)
    targets = [work / f"result-{index}.json" for index in range(len(jobs))]
    try:
        python = os.environ.get(UNO_PYTHON_ENV, "/usr/bin/python3")
        listed = [(path.as_uri(), action, str(target))
                  for (path, action), target in zip(jobs, targets, strict=True)]
        subprocess.run([python, "-c", _SCRIPT, pipe, json.dumps(listed)], check=True,
                       timeout=300, stdin=subprocess.DEVNULL)
        office.wait(timeout=60)
    finally:
        if office.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(office.pid, signal.SIGKILL)  # the group this test started
            office.wait()
    return [json.loads(target.read_text(encoding="utf-8")) for target in targets]


def _body(lines: list[str], end: str | None = None) -> list[str]:
    """The text up to the renvooi's appendix (empty paragraphs too: a deleted paragraph
    must leave none behind)."""
    if end is not None and end in lines:
        lines = lines[:lines.index(end)]
    return lines


def test_accept_all_gives_the_new_text_and_reject_all_the_earlier(tmp_path: Path) -> None:
    require_libreoffice()
    project = git_project(tmp_path)
    composition, new = composed(project)
    renvooi = against_document(project, composition, new, "v0.9")
    options = DocxOptions(source_date_epoch=1583712000)
    files = {}
    for name, document in (("renvooi", renvooi), ("new", new)):
        files[name] = tmp_path / f"{name}.docx"
        files[name].write_bytes(render_docx(document, options))
    old_project = git_project(tmp_path / "earlier")
    # The earlier version on its own: the same repository checked out at v0.9.
    subprocess.run(["git", "-C", str(old_project.root), "checkout", "-q", "v0.9"], check=True,
                   capture_output=True)
    _, old = composed(old_project)
    files["old"] = tmp_path / "old.docx"
    files["old"].write_bytes(render_docx(old, options))
    accepted, rejected, as_new, as_old = _read_in_office(tmp_path, [
        (files["renvooi"], "Accept"), (files["renvooi"], "Reject"), (files["new"], ""),
        (files["old"], "")])
    assert accepted["redlines"] and accepted["redlines"] == rejected["redlines"]
    assert accepted["left"] == rejected["left"] == 0
    assert as_new["redlines"] == as_old["redlines"] == 0
    end = appendix_title("0.9")
    assert end in accepted["lines"] and end in rejected["lines"]  # type: ignore[operator]
    assert _body(accepted["lines"], end) == _body(as_new["lines"])  # type: ignore[arg-type]
    assert _body(rejected["lines"], end) == _body(as_old["lines"])  # type: ignore[arg-type]
    assert _body(as_new["lines"]) != _body(as_old["lines"])  # type: ignore[arg-type]
    # The title page too: its version (and whatever else changed) is tracked.
    assert accepted["cover"] == as_new["cover"] and rejected["cover"] == as_old["cover"]
    assert as_new["cover"] != as_old["cover"]
