"""Fuzzing (hypothesis): mutated project YAML never makes `check` or `build` crash or hang.

Each example takes the fixture project, changes one file the way a hurried
editor would (a character, an indent, a key, a value, a whole line), and runs
the command line. It must end with exit 0, 1 or 2 and a message, never a
traceback, and a build that fails leaves an earlier output byte for byte.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ivbcompose.cli import main

from .conftest import FIXTURE

FILES = sorted(str(p.relative_to(FIXTURE)) for p in FIXTURE.rglob("*.yaml")
               if "/figures/" not in str(p))
NOISE = st.sampled_from(["", " ", "  ", "\t", "-", "- ", ":", ": ", "{", "}", "[", "]", "'",
                         '"', "#", "&a", "*a", "!x", "|", ">", "\u00a0", "\u2028", "“", "é",
                         "{{", "}}", "{{ x }}", "{% for %}", "null", "~", "0", "-1", "1e999",
                         "2021-02-30", "id", "type", "chapters", "remove", "move", "\x01"])


@st.composite
def mutations(draw: st.DrawFn) -> tuple[str, int, str, int]:
    file = draw(st.sampled_from(FILES))
    lines = (FIXTURE / file).read_text(encoding="utf-8").splitlines()
    line = draw(st.integers(0, max(len(lines) - 1, 0)))
    kind = draw(st.sampled_from(["insert", "delete-line", "duplicate-line", "indent",
                                 "dedent", "replace-value"]))
    return file, line, kind, draw(st.integers(0, 200)) if kind == "insert" else 0


def mutate(text: str, line: int, kind: str, column: int, noise: str) -> str:
    lines = text.splitlines()
    if not lines:
        return noise
    current = lines[line]
    if kind == "insert":
        at = min(column, len(current))
        lines[line] = current[:at] + noise + current[at:]
    elif kind == "delete-line":
        del lines[line]
    elif kind == "duplicate-line":
        lines.insert(line, current)
    elif kind == "indent":
        lines[line] = "  " + current
    elif kind == "dedent":
        lines[line] = current[2:] if current.startswith("  ") else current
    elif ": " in current:
        lines[line] = current.split(": ", 1)[0] + ": " + noise
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


# A few examples in every run; IVBCOMPOSE_FUZZ_EXAMPLES=500 for a long search.
EXAMPLES = int(os.environ.get("IVBCOMPOSE_FUZZ_EXAMPLES", "12"))


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(mutations(), NOISE)
def test_a_mutated_project_never_crashes(root: Path, mutation: tuple[str, int, str, int],
                                         noise: str) -> None:
    file, line, kind, column = mutation
    project = root / "project"
    if project.exists():
        shutil.rmtree(project)
    shutil.copytree(FIXTURE, project)
    out = root / "out"
    path = project / file
    path.write_text(mutate(path.read_text(encoding="utf-8"), line, kind, column, noise),
                    encoding="utf-8")
    started = time.monotonic()
    assert main(["--project", str(project), "check"]) in (0, 1, 2)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    code = main(["--project", str(project), "build", "urk", "-o", str(out), "--format", "md"])
    assert code in (0, 1, 2)
    if code != 0:
        assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert time.monotonic() - started < 30
