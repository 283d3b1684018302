"""Golden files: the Markdown of each example document, checked in under tests/golden/.

Any change in what the documents say shows up in review as a diff of these
files. After an intended change, refresh them with
    IVBCOMPOSE_UPDATE_GOLDEN=1 python3 dev.py test tests/test_golden.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ivbcompose import api
from ivbcompose.project import Project
from ivbcompose.writers.markdown import render_markdown

from .conftest import REPO

GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize("municipality", ["dronten", "noordoostpolder", "urk"])
def test_markdown_matches_the_golden_file(municipality: str) -> None:
    project = Project(REPO)
    document = api.document_for(project, api.compose_municipality(project, municipality))
    text = render_markdown(document)
    golden = GOLDEN / f"{municipality}.md"
    if os.environ.get("IVBCOMPOSE_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert golden.is_file(), "no golden file yet: run with IVBCOMPOSE_UPDATE_GOLDEN=1"
    assert text == golden.read_text(encoding="utf-8")
