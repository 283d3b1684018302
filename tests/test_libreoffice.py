"""A real word processor opens the three example documents: `build --pdf` through LibreOffice.

Each document is built with its PDF (LibreOffice updates the table of contents
over UNO, then exports a tagged PDF); the tests read the PDF's text per page
and check the municipality, every chapter, the page count and that each table
of contents entry names the page its chapter really starts on. CI installs
LibreOffice (see .ci/run); on a machine without it these tests are skipped,
except under CI, where a missing LibreOffice is a failure.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from ivbcompose import api
from ivbcompose.cli import main
from ivbcompose.project import Project
from ivbcompose.writers.pdf import PdfError, ensure_libreoffice

from .conftest import FIXTURE

CHAPTERS = ["Inleiding", "Proces", "Betrokkenen", "Kaders en uitgangspunten", "Thema's", "Focus",
            "Couleur locale", "Leefbaarheid en verkeersveiligheid",
            "Samenwerking basisteamgemeenten", "Financiën"]
NAMES = {"dronten": "Dronten", "noordoostpolder": "Noordoostpolder", "urk": "Urk"}


def require_libreoffice() -> None:
    try:
        ensure_libreoffice()
    except PdfError as error:
        if os.environ.get("CI"):
            pytest.fail(f"LibreOffice is required in CI; .ci/run should install it: {error}")
        pytest.skip(str(error))
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")


def pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    require_libreoffice()
    out = tmp_path_factory.mktemp("pdf")
    options = api.BuildOptions(output_dir=out, formats=("docx", "pdf"))
    results = api.build_all(Project(FIXTURE), options)
    return {r.municipality_id: next(p for p in r.outputs if p.suffix == ".pdf") for r in results}


@pytest.mark.parametrize("municipality", list(NAMES))
def test_pdf_has_the_municipality_and_every_chapter(built: dict[str, Path],
                                                    municipality: str) -> None:
    text = "\n".join(pages(built[municipality]))
    assert f"Gemeente {NAMES[municipality]}" in text
    for chapter in CHAPTERS:
        assert chapter in text, chapter
    assert "Bijlage: Verantwoording couleur locale" in text


@pytest.mark.parametrize("municipality", list(NAMES))
def test_pdf_page_count_and_tagging(built: dict[str, Path], municipality: str) -> None:
    info = subprocess.run(["pdfinfo", str(built[municipality])], check=True, capture_output=True,
                          text=True).stdout
    count = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]
    assert 8 <= count <= 40
    assert re.search(r"^Tagged:\s+yes", info, re.M)
    assert len(pages(built[municipality])) == count


@pytest.mark.parametrize("municipality", list(NAMES))
def test_toc_entries_point_at_the_right_pages(built: dict[str, Path], municipality: str) -> None:
    texts = pages(built[municipality])
    toc_index = next(i for i, page in enumerate(texts) if re.search(r"^\s*Inhoud\s*$", page, re.M))
    toc = texts[toc_index]
    for number, chapter in enumerate(CHAPTERS, start=1):
        match = re.search(rf"^\s*{number}\s+{re.escape(chapter)}\W*?\.*\s*(\d+)\s*$", toc, re.M)
        assert match, f"TOC has no entry with a page number for {number} {chapter}"
        page = int(match.group(1))
        heading = re.compile(rf"^\s*{number}\s+{re.escape(chapter)}\s*$", re.M)
        assert heading.search(texts[page - 1]), f"{chapter} is not on page {page}"


def test_cli_pdf_without_libreoffice_is_a_clear_error(monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert main(["--project", str(FIXTURE), "build", "urk", "--pdf", "-o", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "no PDF: " in err and "hint:" in err and "Traceback" not in err
    assert not (tmp_path / "urk").exists()


@pytest.mark.parametrize("municipality", list(NAMES))
def test_title_page_labels_stand_apart_from_their_values(built: dict[str, Path],
                                                         municipality: str) -> None:
    # The longest label, "Opgesteld door", once ran into its value ("Opgesteld doorTeam");
    # tests/writers/test_typography.py reads every fact in every pdftotext mode.
    cover = pages(built[municipality])[0]
    assert re.search(r"Opgesteld door: Team Openbare Orde", cover), cover


def test_cli_writes_an_odt_with_its_woo_metadata_beside_it(tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]
                                                           ) -> None:
    require_libreoffice()
    out = tmp_path / "out"
    assert main(["--project", str(FIXTURE), "build", "urk", "--format", "odt", "--format", "md",
                 "-o", str(out)]) == 0
    printed = sorted(Path(p).name for p in capsys.readouterr().out.split())
    [odt] = [p for p in (out / "urk").iterdir() if p.suffix == ".odt"]
    # The Markdown is a review copy: only the published format has Woo metadata.
    assert printed == sorted([odt.name, odt.name + ".diwoo.xml", odt.stem + ".md"])
    with zipfile.ZipFile(odt) as package:
        assert package.read("mimetype") == b"application/vnd.oasis.opendocument.text"
        meta = package.read("meta.xml").decode("utf-8")
    assert "Urk" in meta
    woo = ElementTree.parse(out / "urk" / (odt.name + ".diwoo.xml")).getroot()
    fields = {f.findtext("{*}key"): f.findtext("{*}values/{*}value")
              for f in woo.findall(".//{*}extraMetadataveld")}
    assert fields == {"bestandsnaam": odt.name,
                      "bestandsgrootte in bytes": str(odt.stat().st_size)}
