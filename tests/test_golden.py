"""Golden files: the Markdown of each fixture document, checked in under tests/golden/.

The documents are built from the frozen fixture project (tests/fixtures/project),
so an edit of the live example never breaks them; a change in the code that
changes what a document says shows up in review as a diff of these files.
After an intended change, refresh them with the command in `REFRESH`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ivbcompose import api
from ivbcompose.project import Project
from ivbcompose.writers.markdown import render_markdown

from .conftest import FIXTURE

GOLDEN = Path(__file__).parent / "golden"
REFRESH = "IVBCOMPOSE_UPDATE_GOLDEN=1 python3 dev.py test tests/test_golden.py"


@pytest.mark.parametrize("municipality", ["dronten", "noordoostpolder", "urk"])
def test_markdown_matches_the_golden_file(municipality: str) -> None:
    project = Project(FIXTURE)
    document = api.document_for(project, api.compose_municipality(project, municipality))
    text = render_markdown(document)
    golden = GOLDEN / f"{municipality}.md"
    if os.environ.get("IVBCOMPOSE_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert golden.is_file(), f"no golden file yet; make it with: {REFRESH}"
    assert text == golden.read_text(encoding="utf-8"), (
        f"{municipality}'s document differs from {golden.name}; if the change is intended, "
        f"refresh the golden files with: {REFRESH}")
