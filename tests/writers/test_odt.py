"""Tests for `ivbcompose.writers.odt`: .docx → OpenDocument text through LibreOffice.

The document of tests/writers/test_pdf.py (several chapters, a captioned
table, keyword phrases, every prefilled table-of-contents page number spoiled
to 99) is converted to ODT; the tests read the ODT's content.xml and meta.xml
and compare its headings, table of contents, captions and metadata with the
.docx, and have LibreOffice convert both the .docx and the ODT back to plain
text, which must be the same outside the table of contents. Without
LibreOffice (or its Python bridge) these tests are skipped, except under CI,
where that is a failure.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import docx
import pytest

from ivbcompose.writers.libreoffice import LibreOfficeError, ensure_libreoffice
from ivbcompose.writers.odt import ODT, convert_to_odt

from .test_pdf import KEYWORDS, SPOILED, SUBJECT, TITLE, long_document, spoiled_docx, toc_headings

NS = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
}
TEXT = f"{{{NS['text']}}}"
# A table-of-contents entry as text: "2.1 <tab>Woninginbraken<tab>4", or for an appendix
# (no number) "Bijlage: Bronnen<tab>7".
TOC_ENTRY = re.compile(r"^(?:(\d+(?:\.\d+)*)\s*\t)?(.+)\t(\d+)$")


def require_libreoffice(*, update_indexes: bool = True) -> None:
    """Skip (fail under CI) unless LibreOffice and, for updating, its uno bridge are installed."""
    try:
        ensure_libreoffice(update_indexes=update_indexes)
    except LibreOfficeError as error:
        if os.environ.get("CI"):
            pytest.fail(f"required in CI; .ci/run should install it: {error}")
        pytest.skip(str(error))


# -- reading the files ----------------------------------------------------------------


def odt_part(odt: bytes, name: str) -> ElementTree.Element:
    with zipfile.ZipFile(io.BytesIO(odt)) as package:
        return ElementTree.fromstring(package.read(name))


def text_of(element: ElementTree.Element) -> str:
    """The text of an ODF element as a reader sees it: tabs and spaces as they show."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == f"{TEXT}tab":
            parts.append("\t")
        elif child.tag == f"{TEXT}s":
            parts.append(" " * int(child.get(f"{TEXT}c", "1")))
        elif child.tag == f"{TEXT}line-break":
            parts.append("\n")
        else:
            parts.append(text_of(child))
        parts.append(child.tail or "")
    return "".join(parts)


def odt_headings(content: ElementTree.Element) -> list[tuple[int, str]]:
    return [(int(h.get(f"{TEXT}outline-level", "0")), text_of(h))
            for h in content.iter(f"{TEXT}h")]


def odt_captions(content: ElementTree.Element) -> list[str]:
    """Paragraphs numbered with a sequence field ("Tabel 1: …")."""
    return [text_of(p) for p in content.iter(f"{TEXT}p")
            if p.find(f"{TEXT}sequence") is not None]


def docx_headings(data: bytes) -> list[tuple[int, str]]:
    word = docx.Document(io.BytesIO(data))
    return [(int(p.style.name.removeprefix("Heading ")), p.text) for p in word.paragraphs
            if p.style is not None and re.fullmatch(r"Heading \d", p.style.name or "")]


def docx_captions(data: bytes) -> list[str]:
    word = docx.Document(io.BytesIO(data))
    return [p.text for p in word.paragraphs if p.style is not None and p.style.name == "Caption"]


def as_text(folder: Path, *documents: Path) -> dict[str, list[str]]:
    """LibreOffice's own plain-text export of each document: file name → lines."""
    out = folder / "txt"
    subprocess.run([shutil.which("soffice") or "soffice",
                    f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
                    "--norestore", "--convert-to", "txt:Text (encoded):UTF8", "--outdir",
                    str(out), *map(str, documents)], check=True, capture_output=True,
                   timeout=300)
    return {document.name: (out / f"{document.stem}.txt").read_text(encoding="utf-8-sig")
            .splitlines() for document in documents}


# -- conversion through LibreOffice ------------------------------------------------------


@dataclass(frozen=True)
class Converted:
    docx: bytes
    odt: bytes
    text: dict[str, list[str]]  # "ivb.docx" and "ivb.odt" as LibreOffice exports them as text


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> Converted:
    require_libreoffice()
    folder = tmp_path_factory.mktemp("odt")
    source = spoiled_docx(folder / "ivb.docx")
    target = folder / "ivb.odt"
    odt = convert_to_odt(source.read_bytes(), target)
    assert not target.exists()  # the caller writes it
    target.write_bytes(odt)
    return Converted(source.read_bytes(), odt, as_text(folder, source, target))


def test_odt_is_an_opendocument_text(converted: Converted) -> None:
    with zipfile.ZipFile(io.BytesIO(converted.odt)) as package:
        assert package.namelist()[0] == "mimetype"
        assert package.read("mimetype") == b"application/vnd.oasis.opendocument.text"
        assert {"content.xml", "meta.xml", "styles.xml"} <= set(package.namelist())


def test_odt_metadata_is_the_docx_metadata(converted: Converted) -> None:
    core = docx.Document(io.BytesIO(converted.docx)).core_properties
    meta = odt_part(converted.odt, "meta.xml").find("office:meta", NS)
    assert meta is not None
    assert meta.findtext("dc:title", namespaces=NS) == core.title == TITLE
    assert meta.findtext("dc:subject", namespaces=NS) == core.subject == SUBJECT
    assert meta.findtext("dc:language", namespaces=NS) == core.language == "nl-NL"
    # One meta:keyword per phrase, not per word (LibreOffice's import splits them).
    keywords = [k.text for k in meta.findall("meta:keyword", NS)]
    assert keywords == core.keywords.split("; ") == list(KEYWORDS)
    # The author stays the last editor: not LibreOffice's nameless profile.
    assert meta.findtext("dc:creator", namespaces=NS) == core.author == "Gemeente Proefdorp"
    assert meta.findtext("meta:initial-creator", namespaces=NS) == core.author


def test_odt_headings_are_the_docx_headings(converted: Converted) -> None:
    content = odt_part(converted.odt, "content.xml")
    headings = odt_headings(content)
    assert headings == docx_headings(converted.docx)
    assert ("Bijlage: Bronnen", 1) in [(text, level) for level, text in headings]
    assert len(headings) == len([h for h in toc_headings(long_document(), depth=3)])


def test_odt_table_of_contents_is_updated(converted: Converted) -> None:
    content = odt_part(converted.odt, "content.xml")
    toc = content.find(".//text:table-of-content", NS)
    assert toc is not None
    entries = [TOC_ENTRY.match(text_of(p)) for p in toc.iterfind("text:index-body/text:p", NS)]
    assert all(entries), [text_of(p) for p in toc.iterfind("text:index-body/text:p", NS)]
    expected = toc_headings(long_document())
    assert [(e.group(1), e.group(2)) for e in entries if e] == \
        [(heading.number, heading.text) for heading in expected]
    # The spoiled page numbers were replaced by real ones.
    pages = [int(e.group(3)) for e in entries if e]
    assert int(SPOILED) not in pages and pages == sorted(pages) and pages[-1] > pages[0]


def test_odt_captions_are_the_docx_captions(converted: Converted) -> None:
    captions = odt_captions(odt_part(converted.odt, "content.xml"))
    assert captions == docx_captions(converted.docx) == ["Tabel 1: Geregistreerde misdrijven"]


def test_odt_text_is_the_docx_text(converted: Converted) -> None:
    """Read back by LibreOffice, the two agree line by line except in the updated contents."""
    def outside_contents(lines: list[str]) -> list[str]:
        return [line for line in lines if not re.search(r"\t\d+$", line)]

    odt, docx_text = converted.text["ivb.odt"], converted.text["ivb.docx"]
    assert outside_contents(odt) == outside_contents(docx_text)
    assert "Inhoud" in odt and "Tabel 1: Geregistreerde misdrijven" in odt
    assert len(odt) - len(outside_contents(odt)) == len(toc_headings(long_document()))


def test_plain_conversion_keeps_the_prefilled_toc(tmp_path: Path) -> None:
    """update_indexes=False: an ODT too, but its contents show what the .docx holds."""
    require_libreoffice(update_indexes=False)
    data = spoiled_docx(tmp_path / "ivb.docx").read_bytes()
    odt = convert_to_odt(data, tmp_path / "ivb.odt", update_indexes=False)
    toc = odt_part(odt, "content.xml").find(".//text:table-of-content", NS)
    assert toc is not None
    pages = {text_of(p).rsplit("\t", 1)[-1] for p in toc.iterfind("text:index-body/text:p", NS)}
    assert pages == {SPOILED}


def test_unreadable_docx_is_a_clear_error_naming_the_document(tmp_path: Path) -> None:
    require_libreoffice()
    broken = spoiled_docx(tmp_path / "x.docx").read_bytes()[:4000]
    with pytest.raises(LibreOfficeError,
                       match=r"could not convert ivb\.docx: it cannot open the file"):
        convert_to_odt(broken, tmp_path / "out" / "ivb.odt")
    assert not (tmp_path / "out").exists()


# -- no LibreOffice needed ---------------------------------------------------------------


def test_only_an_opendocument_text_counts_as_an_odt(tmp_path: Path) -> None:
    real = io.BytesIO()
    with zipfile.ZipFile(real, "w") as package:
        package.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        package.writestr("content.xml", "<x/>")
    sheet = real.getvalue().replace(b"opendocument.text", b"opendocument.sheet")
    assert ODT.recognises(real.getvalue())
    assert not ODT.recognises(sheet)
    assert not ODT.recognises(b"%PDF-1.7\n") and not ODT.recognises(b"")


def test_missing_libreoffice_is_a_clear_error(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    with pytest.raises(LibreOfficeError) as caught:
        convert_to_odt(b"PK", tmp_path / "ivb.odt")
    assert caught.value.message == "LibreOffice is not installed (no 'soffice' on the PATH)"
    assert not (tmp_path / "ivb.odt").exists()
