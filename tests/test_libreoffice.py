"""A real word processor opens the three example documents: LibreOffice converts each to PDF.

CI installs LibreOffice (see .ci/run); on a machine without it the test is
skipped, except under CI, where a missing LibreOffice is a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from ivbcompose import api
from ivbcompose.project import Project

from .conftest import REPO

CHAPTERS = ["Inleiding", "Proces", "Betrokkenen", "Kaders en uitgangspunten", "Thema's", "Focus",
            "Couleur locale", "Leefbaarheid en verkeersveiligheid",
            "Samenwerking basisteamgemeenten", "Financiën"]


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is required in CI; .ci/run should install it")
        pytest.skip("LibreOffice is not installed")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return found


def to_pdf_text(document: Path, workdir: Path) -> str:
    profile = workdir / "lo-profile"
    subprocess.run([soffice(), f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(workdir), str(document)],
                   check=True, capture_output=True, timeout=300)
    pdf = workdir / (document.stem + ".pdf")
    assert pdf.is_file(), "LibreOffice did not produce a PDF"
    result = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                            capture_output=True, text=True)
    return result.stdout


@pytest.mark.parametrize("municipality", ["dronten", "noordoostpolder", "urk"])
def test_libreoffice_opens_the_document(municipality: str, tmp_path: Path) -> None:
    soffice()
    result = api.build(Project(REPO), municipality, api.BuildOptions(output_dir=tmp_path))
    text = to_pdf_text(result.outputs[0], tmp_path)
    name = {"dronten": "Dronten", "noordoostpolder": "Noordoostpolder", "urk": "Urk"}[municipality]
    assert f"Gemeente {name}" in text
    for chapter in CHAPTERS:
        assert chapter in text, chapter
