"""Tests for `ivbcompose.writers.pdf`: .docx → tagged PDF through LibreOffice.

The main test renders a document of several chapters, spoils the page numbers
the Word writer prefilled in its table of contents, converts it, and checks
with poppler's pdftotext, page by page, that the table of contents lists each
heading with the page it really is on. Without LibreOffice (or its Python
bridge, or poppler) these tests are skipped, except under CI, where that is a
failure. The error cases that need no LibreOffice always run.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pytest

from ivbcompose.document import (
    Block,
    Column,
    Document,
    Heading,
    ListBlock,
    ListItem,
    Metadata,
    PageBreak,
    Paragraph,
    Row,
    Span,
    Table,
    TableOfContents,
    TitlePage,
)
from ivbcompose.writers import heading_numbers
from ivbcompose.writers.docx import DocxOptions, render_docx
from ivbcompose.writers.libreoffice import DocumentProperties
from ivbcompose.writers.pdf import (
    UNO_PYTHON_ENV,
    PdfError,
    _complete_xmp,
    convert_to_pdf,
    ensure_libreoffice,
)

TITLE = "Integraal Veiligheidsbeleid 2020-2023 gemeente Proefdorp"
# LibreOffice 7.4 escapes the XMP texts twice: an apostrophe shows whether that is repaired.
SUBJECT = "Thema's en aanpak van de gemeente Proefdorp, periode 2020–2023"
# Phrases with spaces, a comma and characters XML must escape: each must stay whole.
KEYWORDS = ("integrale veiligheid", "Basisteam Proefdorp, Elders en Verder", "zorg & veiligheid")
SPOILED = "99"
# The page number that PAGEREF fields in the prefilled table of contents show.
PREFILLED_PAGE = re.compile(
    rb"(PAGEREF \S+ \\h </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/>"
    rb"</w:r><w:r><w:t>)\d+(</w:t>)")
TOC_LINE = re.compile(r"^\s*(?:(\d+(?:\.\d+)*)\s+)?(\S.*?)\s*\.{4,}\s*(\d+)\s*$")


def require_tools(*, update_indexes: bool = True) -> None:
    """Skip (fail under CI) unless LibreOffice, its uno bridge and poppler are installed."""
    problems = [f"{tool} (poppler-utils) is not installed"
                for tool in ("pdftotext", "pdfinfo") if shutil.which(tool) is None]
    try:
        ensure_libreoffice(update_indexes=update_indexes)
    except PdfError as error:
        problems.append(str(error))
    if not problems:
        return
    if os.environ.get("CI"):
        pytest.fail("required in CI; .ci/run should install it: " + "; ".join(problems))
    pytest.skip("; ".join(problems))


# -- a document long enough to span pages ------------------------------------------------


FILLER = ("De gemeente werkt samen met politie, zorgpartners en inwoners aan een veilige "
          "leefomgeving. Zij volgt de ontwikkeling van de cijfers per kwartaal en stuurt bij "
          "waar dat nodig is, in overleg met de partners in het basisteam.")


def text(count: int) -> tuple[Paragraph, ...]:
    return tuple(Paragraph((Span(f"{FILLER} ({number})"),)) for number in range(1, count + 1))


def bullets(*items: str) -> ListBlock:
    return ListBlock(tuple(ListItem((Paragraph((Span(item),)),)) for item in items))


FIGURES = Table(
    caption="Geregistreerde misdrijven",
    columns=(Column("Soort"), Column("2018", "right"), Column("2019", "right")),
    rows=tuple(Row((f"Soort {n}", str(100 + n), str(90 + n))) for n in range(1, 25)),
    notes=("Bron: politie.",),
)


def long_document() -> Document:
    blocks: tuple[Block, ...] = (
        TableOfContents(),
        PageBreak(),
        Heading(1, "Aanleiding"), *text(3),
        Heading(2, "Doel van het plan"), *text(2),
        Heading(1, "Veiligheidsbeeld"), *text(4),
        Heading(2, "Woninginbraken"), *text(9),
        Heading(2, "Fietsendiefstal"), *text(7), FIGURES,
        Heading(2, "Overlast"), *text(12),
        Heading(3, "Overlast in de wijken"), *text(3),
        Heading(1, "Aanpak"), bullets("Voorkomen", "Signaleren", "Handhaven"), *text(5),
        Heading(2, "Samenwerking"), *text(10),
        Heading(1, "Bijlage: Bronnen", numbered=False), *text(2),
    )
    return Document(
        metadata=Metadata(title=TITLE, subject=SUBJECT, author="Gemeente Proefdorp",
                          keywords=KEYWORDS),
        title_page=TitlePage(organisation="Gemeente Proefdorp", title="Integraal Veiligheidsbeleid",
                             subtitle=None, period="2020-2023", status="Concept", version="0.1",
                             date="1 januari 2020"),
        blocks=blocks,
        footer="IVB Proefdorp",
    )


@dataclass(frozen=True)
class TocHeading:
    number: str | None
    text: str


def toc_headings(document: Document, depth: int = 2) -> list[TocHeading]:
    headings = [block for block in document.blocks if isinstance(block, Heading)]
    numbers = heading_numbers(document.blocks)
    return [TocHeading(number, heading.text) for heading, number in zip(headings, numbers,
                                                                        strict=True)
            if heading.level <= depth]


def spoiled_docx(path: Path) -> Path:
    """The rendered document with every prefilled TOC page number replaced by 99.

    So the test cannot pass on the writer's estimate being right by chance.
    """
    data = render_docx(long_document(), DocxOptions(source_date_epoch=0))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "word/document.xml":
                content, count = PREFILLED_PAGE.subn(rb"\g<1>" + SPOILED.encode() + rb"\2",
                                                     content)
                assert count == len(toc_headings(long_document()))
            target.writestr(info, content)
    path.write_bytes(out.getvalue())
    return path


# -- reading the PDF ------------------------------------------------------------------------


def page_count(pdf: Path) -> int:
    info = pdf_info(pdf)
    return int(re.search(r"^Pages:\s+(\d+)$", info, re.MULTILINE).group(1))


def pdf_info(pdf: Path) -> str:
    return subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True,
                          text=True).stdout


def page_text(pdf: Path, page: int) -> str:
    return subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf),
                           "-"], check=True, capture_output=True, text=True).stdout


def pages(pdf: Path) -> Iterator[tuple[int, str]]:
    for number in range(1, page_count(pdf) + 1):
        yield number, page_text(pdf, number)


def toc_entries(page: str) -> dict[str, tuple[str | None, int]]:
    """Heading text → (number, page) of every entry on a table-of-contents page."""
    entries = {}
    for line in page.splitlines():
        match = TOC_LINE.match(line)
        if match:
            entries[match.group(2)] = (match.group(1), int(match.group(3)))
    return entries


def heading_page(texts: dict[int, str], heading: TocHeading, after: int) -> int:
    """The page (after the table of contents) where `heading` stands on a line of its own."""
    prefix = rf"{re.escape(heading.number)}\s+" if heading.number else ""
    line = re.compile(rf"^\s*{prefix}{re.escape(heading.text)}\s*$", re.MULTILINE)
    for number, content in sorted(texts.items()):
        if number > after and line.search(content):
            return number
    raise AssertionError(f"heading {heading} not found in the PDF")


XMP = {"dc": "http://purl.org/dc/elements/1.1/", "pdf": "http://ns.adobe.com/pdf/1.3/",
       "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
       "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#"}


def info_fields(info: str) -> dict[str, str]:
    return dict(re.findall(r"^([A-Za-z ]+):\s+(.*)$", info, re.MULTILINE))


def xmp(pdf: Path) -> ElementTree.Element:
    """The document's XMP metadata, as poppler finds it."""
    packet = subprocess.run(["pdfinfo", "-meta", str(pdf)], check=True, capture_output=True,
                            text=True).stdout
    return ElementTree.fromstring(packet.strip())


def xmp_items(meta: ElementTree.Element, name: str) -> list[str]:
    return [item.text or "" for item in meta.findall(f".//dc:{name}/rdf:Bag/rdf:li", XMP)]


# -- conversion through LibreOffice ------------------------------------------------------


@dataclass(frozen=True)
class Converted:
    pdf: Path
    toc_page: int


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> Converted:
    require_tools()
    folder = tmp_path_factory.mktemp("pdf")
    pdf = folder / "ivb.pdf"
    convert_to_pdf(spoiled_docx(folder / "ivb.docx"), pdf)
    toc_page = next(number for number, content in pages(pdf)
                    if re.search(r"^\s*Inhoud\s*$", content, re.MULTILINE))
    return Converted(pdf, toc_page)


def test_pdf_is_tagged_titled_and_spans_pages(converted: Converted) -> None:
    info = pdf_info(converted.pdf)
    assert re.search(r"^Tagged:\s+yes$", info, re.MULTILINE)
    assert re.search(rf"^Title:\s+{re.escape(TITLE)}$", info, re.MULTILINE)
    assert page_count(converted.pdf) > 5


def test_pdf_is_pdf_ua_with_title_subject_language_and_keyword_phrases(
        converted: Converted) -> None:
    info = subprocess.run(["pdfinfo", str(converted.pdf)], check=True, capture_output=True,
                          text=True)
    assert info.stderr == ""  # poppler finds nothing wrong in the edited file
    fields = info_fields(info.stdout)
    assert (fields["Title"], fields["Subject"]) == (TITLE, SUBJECT)
    # One text in the Info dictionary: "; " keeps the phrase with a comma whole.
    assert fields["Keywords"] == "; ".join(KEYWORDS)
    meta = xmp(converted.pdf)
    assert meta.findtext(".//pdfuaid:part", namespaces=XMP) == "1"
    assert meta.findtext(".//dc:title/rdf:Alt/rdf:li", namespaces=XMP) == TITLE
    assert meta.findtext(".//dc:description/rdf:Alt/rdf:li", namespaces=XMP) == SUBJECT
    assert xmp_items(meta, "language") == ["nl-NL"]
    assert xmp_items(meta, "subject") == list(KEYWORDS)
    assert meta.findtext(".//pdf:Keywords", namespaces=XMP) == "; ".join(KEYWORDS)
    assert b"/Lang(nl-NL)" in converted.pdf.read_bytes()


def test_pdf_holds_the_text(converted: Converted) -> None:
    text = "\n".join(content for _, content in pages(converted.pdf))
    for heading in ("Aanleiding", "Woninginbraken", "Overlast in de wijken", "Bijlage: Bronnen"):
        assert heading in text
    assert "Tabel 1: Geregistreerde misdrijven" in text
    assert "Voorkomen" in text and "Bron: politie." in text
    assert f"Pagina 3 van {page_count(converted.pdf)}" in text


def test_toc_shows_the_page_each_heading_is_on(converted: Converted) -> None:
    entries = toc_entries(page_text(converted.pdf, converted.toc_page))
    expected = toc_headings(long_document())
    assert list(entries) == [heading.text for heading in expected]
    texts = dict(pages(converted.pdf))
    actual = {heading.text: heading_page(texts, heading, converted.toc_page)
              for heading in expected}
    assert {text: page for text, (_, page) in entries.items()} == actual
    assert {text: number for text, (number, _) in entries.items()} == {
        heading.text: heading.number for heading in expected}
    # The sections of the long chapter really are on different pages.
    assert len({actual[text] for text in ("Woninginbraken", "Fietsendiefstal",
                                          "Overlast")}) > 1


def test_plain_conversion_keeps_the_prefilled_toc(tmp_path: Path) -> None:
    """update_indexes=False: tagged too, but the TOC shows what the .docx holds."""
    require_tools(update_indexes=False)
    pdf = tmp_path / "plain.pdf"
    convert_to_pdf(spoiled_docx(tmp_path / "ivb.docx"), pdf, update_indexes=False)
    assert re.search(r"^Tagged:\s+yes$", pdf_info(pdf), re.MULTILINE)
    meta = xmp(pdf)
    assert meta.findtext(".//pdfuaid:part", namespaces=XMP) == "1"
    assert xmp_items(meta, "subject") == list(KEYWORDS)  # the Info keywords stay split
    entries = toc_entries(page_text(pdf, 2))
    assert {page for _, page in entries.values()} == {int(SPOILED)}


def test_existing_pdf_is_replaced(converted: Converted, tmp_path: Path) -> None:
    require_tools()
    pdf = tmp_path / "out" / "ivb.pdf"
    pdf.parent.mkdir()
    pdf.write_bytes(b"old")
    convert_to_pdf(spoiled_docx(tmp_path / "ivb.docx"), pdf)
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert sorted(p.name for p in pdf.parent.iterdir()) == ["ivb.pdf"]


def test_timeout_stops_libreoffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A hanging conversion ends with PdfError, and nothing it started keeps running."""
    require_tools(update_indexes=False)
    if not Path("/proc/self/cmdline").exists():
        pytest.skip("needs /proc to look for left-over processes")
    hanging = tmp_path / "hanging-python"
    hanging.write_text('#!/bin/sh\n[ "$1 $2" = "-c import uno" ] && exit 0\nexec sleep 120\n')
    hanging.chmod(0o755)
    monkeypatch.setenv(UNO_PYTHON_ENV, str(hanging))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(work))
    pdf = tmp_path / "ivb.pdf"
    with pytest.raises(PdfError, match=r"did not finish converting ivb\.docx within 3 seconds"):
        convert_to_pdf(spoiled_docx(tmp_path / "ivb.docx"), pdf, timeout=3)
    assert not pdf.exists()
    assert processes_mentioning(str(work)) == []
    assert list(work.iterdir()) == []


def test_unreadable_docx_is_a_clear_error(tmp_path: Path) -> None:
    require_tools()
    source = tmp_path / "broken.docx"
    source.write_bytes(render_docx(long_document())[:4000])
    with pytest.raises(PdfError, match=r"could not convert broken\.docx: it cannot open the file"):
        convert_to_pdf(source, tmp_path / "broken.pdf")
    assert not (tmp_path / "broken.pdf").exists()


def processes_mentioning(needle: str) -> list[str]:
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue  # ended meanwhile
        if needle in args:
            found.append(args)
    return found


# -- errors that need no LibreOffice -------------------------------------------------------


def test_missing_libreoffice_is_a_clear_error(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "ivb.docx"
    source.write_bytes(render_docx(long_document()))
    pdf = tmp_path / "ivb.pdf"
    pdf.write_bytes(b"old")
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    with pytest.raises(PdfError) as caught:
        convert_to_pdf(source, pdf)
    assert caught.value.message == "LibreOffice is not installed (no 'soffice' on the PATH)"
    assert caught.value.hint == "install the Debian package libreoffice-writer-nogui"
    assert str(caught.value).endswith("\n  hint: install the Debian package "
                                      "libreoffice-writer-nogui")
    assert pdf.read_bytes() == b"old"


def test_missing_uno_bridge_is_a_clear_error(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    tools = tmp_path / "bin"
    tools.mkdir()
    fake = tools / "soffice"
    fake.write_text("#!/bin/sh\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tools))
    monkeypatch.setenv(UNO_PYTHON_ENV, str(tmp_path / "no-such-python"))
    with pytest.raises(PdfError) as caught:
        ensure_libreoffice()
    assert "table of contents cannot be updated" in caught.value.message
    assert "python3-uno" in (caught.value.hint or "")
    ensure_libreoffice(update_indexes=False)  # plain conversion needs no bridge


def test_missing_source_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(PdfError, match="does not exist"):
        convert_to_pdf(tmp_path / "nothing.docx", tmp_path / "nothing.pdf")


def test_a_crash_of_the_bridge_is_tried_again_with_a_new_libreoffice(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ivbcompose.writers import libreoffice as module

    attempts: list[Path] = []

    def run_uno(job: object, python: str) -> Path:
        workdir = job.workdir  # type: ignore[attr-defined]
        attempts.append(workdir)
        if len(attempts) == 1:
            raise module._Crashed("LibreOffice could not convert x.docx: exit status -11")
        target = workdir / "document.pdf"
        target.write_bytes(b"%PDF-1.7\n%%EOF\n")
        return target

    monkeypatch.setattr(module, "_find_soffice", lambda: "soffice")
    monkeypatch.setattr(module, "_find_uno_python", lambda soffice: "python3")
    monkeypatch.setattr(module._Job, "run_uno", run_uno)
    source = tmp_path / "x.docx"
    source.write_bytes(b"PK")
    convert_to_pdf(source, tmp_path / "x.pdf")
    assert (tmp_path / "x.pdf").read_bytes().startswith(b"%PDF-")
    assert len(attempts) == 2 and attempts[0] != attempts[1]  # a fresh profile each time


# -- the XMP metadata, repaired and completed in place (no LibreOffice needed) -------------


LIBREOFFICE_XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
   <dc:title>
    <rdf:Alt>
     <rdf:li xml:lang="x-default">Thema&amp;apos;s &amp;amp; aanpak</rdf:li>
    </rdf:Alt>
   </dc:title>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
   <pdf:Producer>LibreOffice 7.4</pdf:Producer>
   <pdf:Keywords>zorg &amp;amp; veiligheid; Basisteam A, B en C</pdf:Keywords>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
"""
PROPERTIES = DocumentProperties(title="Thema's & aanpak", keywords=("zorg & veiligheid",
                                                                   "Basisteam A, B en C"),
                                language="nl-NL")


def pdf_with_xmp(packet: str, padding: int, *, streams: int = 1) -> bytes:
    """A PDF-like file with `streams` metadata streams as LibreOffice writes them."""
    content = (packet + (" " * 99 + "\n") * (padding // 100) + '<?xpacket end="w"?>')
    data = content.encode("utf-8")
    stream = (f"<</Type/Metadata/Subtype/XML/Length {len(data)}>>\nstream\n".encode()
              + data + b"\nendstream\nendobj\n")
    return b"%PDF-1.6\n1 0 obj\n" + stream * streams + b"trailer\n%%EOF\n"


def packet_of(data: bytes) -> ElementTree.Element:
    start = data.index(b"<?xpacket begin=")
    end = data.index(b"<?xpacket end")
    return ElementTree.fromstring(data[start:end].decode("utf-8").strip() + "<?x?>")


def test_xmp_gets_language_and_keyword_phrases_and_is_escaped_once() -> None:
    before = pdf_with_xmp(LIBREOFFICE_XMP, 2000)
    after = _complete_xmp(before, PROPERTIES)
    assert len(after) == len(before)  # every offset in the file stays valid
    assert after.startswith(before[:before.index(b"<?xpacket begin=")])
    assert after.endswith(before[before.index(b'<?xpacket end="w"?>'):])
    meta = packet_of(after)
    assert meta.findtext(".//dc:title/rdf:Alt/rdf:li", namespaces=XMP) == "Thema's & aanpak"
    assert meta.findtext(".//pdf:Keywords", namespaces=XMP) == \
        "zorg & veiligheid; Basisteam A, B en C"
    assert xmp_items(meta, "language") == ["nl-NL"]
    assert xmp_items(meta, "subject") == ["zorg & veiligheid", "Basisteam A, B en C"]
    assert _complete_xmp(after, PROPERTIES) == after  # nothing is added twice


def test_xmp_text_that_is_not_a_twice_escaped_property_is_left_alone() -> None:
    packet = LIBREOFFICE_XMP.replace("Thema&amp;apos;s &amp;amp; aanpak", "AT&amp;amp;T")
    after = packet_of(_complete_xmp(pdf_with_xmp(packet, 2000), PROPERTIES))
    assert after.findtext(".//dc:title/rdf:Alt/rdf:li", namespaces=XMP) == "AT&amp;T"


@pytest.mark.parametrize(("padding", "streams"), [(100, 1), (2000, 2), (2000, 0)])
def test_xmp_without_room_or_one_metadata_stream_is_left_as_it_is(padding: int,
                                                                  streams: int) -> None:
    before = pdf_with_xmp(LIBREOFFICE_XMP, padding, streams=streams)
    assert _complete_xmp(before, PROPERTIES) == before
