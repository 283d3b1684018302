"""The live preview over HTTP: pages, rebuilds on save, mistakes, and what it refuses.

These tests talk to a real server on a free port of 127.0.0.1 with urllib; the
browser test (tests/test_preview_browser.py) drives the same page in Chromium.
"""

from __future__ import annotations

import io
import json
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from ivbcompose.project import Project
from ivbcompose.serve import PreviewServer, Selection

from .conftest import edit, line_of

CHAPTER_FILE = "shared/10-inleiding.yaml"


class Running:
    def __init__(self, server: PreviewServer, out: io.StringIO) -> None:
        self.server, self.out = server, out

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.server.address.rstrip("/") + path,
                                        timeout=30) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8")

    def status(self, query: str = "m=urk") -> dict[str, Any]:
        code, text = self.get(f"/status?{query}")
        assert code == 200
        return dict(json.loads(text))

    def until(self, condition: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if condition():
                return
            time.sleep(0.1)
        raise AssertionError(f"not within 20 s: {what}\nterminal:\n{self.out.getvalue()}")


@pytest.fixture
def running(project: Project) -> Iterator[Running]:
    out = io.StringIO()
    server = PreviewServer(project, "127.0.0.1", 0, out, Selection("urk"))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Running(server, out)
    server.stop()
    thread.join(10)


def _title(project: Project) -> str:
    path = project.root / CHAPTER_FILE
    line = next(t for t in path.read_text(encoding="utf-8").splitlines()
                if t.strip().startswith("title:"))
    return line.split(":", 1)[1].strip()


def test_the_page_and_the_document(running: Running, project: Project) -> None:
    code, page = running.get("/?m=urk")
    assert code == 200 and '<html lang="nl">' in page
    assert 'data-param="m"' in page and 'value="urk" selected' in page
    assert 'data-param="d"' in page  # the fixture project has kinds of document
    code, document = running.get("/document?m=urk")
    assert code == 200 and "<h1" in document and "<table" in document
    assert _title(project) in document
    assert running.status()["ok"] is True
    assert "built urk" in running.out.getvalue()


def test_a_saved_file_updates_the_document(running: Running, project: Project) -> None:
    running.get("/document?m=urk")
    before = running.status()["generation"]
    old = _title(project)
    edit(project.root / CHAPTER_FILE, f"title: {old}", "title: Een nieuwe titel")
    running.until(lambda: running.status()["generation"] > before, "a rebuild")
    running.until(lambda: "Een nieuwe titel" in running.get("/document?m=urk")[1],
                  "the new title in the document")
    assert "changed: shared/10-inleiding.yaml" in running.out.getvalue()


def test_a_mistake_shows_with_its_place_over_the_last_good_document(
        running: Running, project: Project) -> None:
    old = _title(project)
    running.get("/document?m=urk")
    path = project.root / CHAPTER_FILE
    edit(path, f"title: {old}", "title: [niet gesloten")
    running.until(lambda: not running.status()["ok"], "the failed build")
    state = running.status()
    line = line_of(path, "[niet gesloten")
    assert any(f"{CHAPTER_FILE}:{line}:" in p and "hint:" in p for p in state["problems"])
    assert state["has_page"] is True
    assert old in running.get("/document?m=urk")[1]  # the last good preview stays
    assert f"{CHAPTER_FILE}:{line}:" in running.out.getvalue()  # and the terminal says it
    edit(path, "title: [niet gesloten", "title: Hersteld")
    running.until(lambda: running.status()["ok"], "the repaired build")
    assert "Hersteld" in running.get("/document?m=urk")[1]


def test_a_half_written_save_is_followed_by_the_whole_one(running: Running,
                                                          project: Project) -> None:
    running.get("/document?m=urk")
    path = project.root / CHAPTER_FILE
    whole = path.read_text(encoding="utf-8")
    path.write_text(whole[: len(whole) // 2], encoding="utf-8")
    time.sleep(0.05)
    path.write_text(whole.replace(_title(project), "Na het opslaan", 1), encoding="utf-8")
    running.until(lambda: "Na het opslaan" in running.get("/document?m=urk")[1]
                  and running.status()["ok"], "the whole file wins")


@pytest.mark.parametrize("path", [
    "/shared/10-inleiding.yaml", "/../ivbcompose.lock", "/%2e%2e/ivbcompose.lock",
    "/document/../../etc/passwd", "/etc/passwd", "/favicon.ico", "/build/",
])
def test_nothing_else_is_served(running: Running, path: str) -> None:
    code, text = running.get(path)
    assert code == 404
    assert "chapters" not in text and "root:" not in text


def test_an_unknown_municipality_is_not_found(running: Running) -> None:
    assert running.get("/document?m=lelystad")[0] == 404
    assert running.get("/status?m=urk&y=%C2%B2")[0] == 200  # '²' is no year: ignored
    assert running.get("/?m=../../etc")[0] == 404


def test_a_kind_written_per_year_opens_at_its_first_year(running: Running,
                                                         project: Project) -> None:
    from ivbcompose import api

    kinds = api.document_kinds(project, "dronten")
    yearly = next(k for k in kinds if k.per_year)
    request = urllib.request.Request(running.server.address + f"?m=dronten&d={yearly.id}")
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.url.endswith(f"y={yearly.years[0]}")
        assert 'data-param="y"' in response.read().decode("utf-8")


def test_the_compare_view_shows_one_item_in_every_municipality(running: Running,
                                                               project: Project) -> None:
    from ivbcompose import api

    comparison = api.compare(project)
    row = next(r for r in comparison.rows if "changed" in r.states and "shared" in r.states)
    code, page = running.get(f"/compare?item={row.item_id}")
    assert code == 200
    assert page.count("<iframe") == sum(s not in ("removed", "absent") for s in row.states)
    assert "lokaal aangepast" in page and "zoals in het gezamenlijke deel" in page
    assert f'value="{row.item_id}" selected' in page


def test_a_project_that_fails_at_start_is_served_with_its_problems(project: Project) -> None:
    edit(project.root / CHAPTER_FILE, "chapters:", "chapters: [")
    out = io.StringIO()
    server = PreviewServer(project, "127.0.0.1", 0, out, Selection("urk"))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        running = Running(server, out)
        assert running.get("/")[0] == 200
        state = running.status()
        assert state["ok"] is False and state["has_page"] is False
        assert any(CHAPTER_FILE in p for p in state["problems"])
        assert "Nog geen voorbeeld" in running.get("/document?m=urk")[1]
        assert "urk: 1 problem; the preview keeps the last good version" in out.getvalue()
    finally:
        server.stop()
        thread.join(10)


def test_it_listens_on_this_computer_only_by_default(running: Running) -> None:
    assert running.server.address.startswith("http://127.0.0.1:")
    from ivbcompose.cli import _parser
    from ivbcompose.i18n import language_for

    assert _parser(language_for("en")).parse_args(["serve"]).host == "127.0.0.1"


def test_a_port_in_use_is_a_usage_error(project: Project) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "ivbcompose", "--project", str(project.root), "serve",
             "--port", str(port), "--no-browser"],
            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr and "--port" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unknown_municipality_on_the_command_line_is_a_usage_error(
        project: Project) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ivbcompose", "--project", str(project.root), "serve",
         "lelystad", "--port", "0", "--no-browser"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "lelystad" in result.stderr


def test_the_compare_view_scrolls_each_document_to_the_item_itself(running: Running) -> None:
    # A priority is a heading of its own: each frame opens at it, not at its chapter.
    code, page = running.get("/compare?item=jeugd-en-veiligheid")
    assert code == 200
    sources = [part.split('"')[0] for part in page.split('<iframe title="')[1:]]
    frames = page.split('src="')[1:]
    assert len(sources) == 3
    assert all(frame.split('"')[0].endswith("#jeugd-en-veiligheid") for frame in frames)
