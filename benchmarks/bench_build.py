"""Benchmarks: how long composing and writing the example documents takes, and peak memory.

Not part of the test run. Run them with
    .venv/bin/python -m pytest benchmarks/bench_build.py --benchmark-only -p no:cacheprovider
(pytest-benchmark is in the `test` extra), or directly with `python benchmarks/bench_build.py`
for a quick timing and memory report without pytest.
"""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path
from typing import Any

from ivbcompose import api
from ivbcompose.project import Project
from ivbcompose.writers.docx import render_docx

ROOT = Path(__file__).resolve().parent.parent


def compose_all(project: Project) -> None:
    for municipality in project.municipality_ids():
        api.compose_municipality(project, municipality)


def render_dronten(project: Project) -> bytes:
    composition = api.compose_municipality(project, "dronten")
    return render_docx(api.document_for(project, composition))


def test_compose_all(benchmark: Any) -> None:
    benchmark(compose_all, Project(ROOT))


def test_render_dronten_docx(benchmark: Any) -> None:
    data = benchmark(render_dronten, Project(ROOT))
    assert data[:2] == b"PK"


def main() -> None:
    project = Project(ROOT)
    for name, function in (("compose all three", compose_all), ("render Dronten .docx",
                                                                render_dronten)):
        tracemalloc.start()
        start = time.perf_counter()
        function(project)
        elapsed = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"{name:24} {elapsed * 1000:8.1f} ms   peak {peak / 1e6:6.1f} MB")


if __name__ == "__main__":
    main()
