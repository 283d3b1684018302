"""Typography of the Word output: title page, text extraction, keeping together, chapter starts.

Each accident a reader met is guarded here by reading the produced file back:
the .docx XML with python-docx, and the PDF that LibreOffice makes of it with
poppler's pdftotext (its plain, raw and layout modes, and word positions).
The LibreOffice tests are skipped when soffice or pdftotext is missing, except
under CI, where that is a failure. The documents are the fixture project's.
"""

from __future__ import annotations

import dataclasses
import io
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import docx
import pytest
from docx.document import Document as WordDocument
from docx.oxml.ns import qn

from ivbcompose import api
from ivbcompose.document import (
    Block,
    Chart,
    Column,
    Document,
    Heading,
    Metadata,
    PageBreak,
    Paragraph,
    Row,
    Span,
    Table,
    TableOfContents,
    TitlePage,
)
from ivbcompose.layout import AUTO_MIN_FILL
from ivbcompose.project import Project
from ivbcompose.writers import title_page_facts
from ivbcompose.writers.docx import DocxOptions, render_docx

from ..conftest import FIXTURE, edit

MUNICIPALITIES = ("dronten", "noordoostpolder", "urk")
CM = 28.35  # points


def compose(project: Project, municipality: str) -> Document:
    return api.document_for(project, api.compose_municipality(project, municipality))


def word_of(document: Document, options: DocxOptions | None = None) -> WordDocument:
    return docx.Document(io.BytesIO(render_docx(document, options)))


def breaks_page(paragraph: docx.text.paragraph.Paragraph) -> bool:
    """Whether the paragraph starts a new page, directly or by its style."""
    direct = paragraph.paragraph_format.page_break_before
    if direct is not None:
        return direct
    return bool(paragraph.style.paragraph_format.page_break_before)


def keeps_with_next(style: docx.styles.style.ParagraphStyle) -> bool:
    current = style
    while current is not None:
        if current.paragraph_format.keep_with_next is not None:
            return current.paragraph_format.keep_with_next
        current = current.base_style
    return False


@pytest.fixture(scope="module")
def documents() -> dict[str, Document]:
    project = Project(FIXTURE)
    return {municipality: compose(project, municipality) for municipality in MUNICIPALITIES}


# -- the title page, in the XML ----------------------------------------------------------


@pytest.mark.parametrize("municipality", MUNICIPALITIES)
def test_title_page_facts_are_label_colon_value_in_characters(
        documents: dict[str, Document], municipality: str) -> None:
    document = documents[municipality]
    word = word_of(document)
    facts = [p for p in word.paragraphs if p.style.name == "Voorblad gegevens"]
    expected = [f"{label}: {value}" for label, value in title_page_facts(document.title_page)]
    assert [p.text for p in facts] == expected
    assert any(text.startswith("Opgesteld door: ") for text in expected)
    # No tab: a PDF has no character for it, so label and value ran together.
    assert not any(p._p.findall(f".//{qn('w:tab')}") for p in facts)


def test_municipality_name_and_banner_are_written_as_they_read(
        documents: dict[str, Document]) -> None:
    document = documents["dronten"]
    word = word_of(document)
    (organisation,) = [p for p in word.paragraphs if p.style.name == "Voorblad organisatie"]
    assert organisation.text == document.title_page.organisation
    for name in ("Voorblad organisatie", "Markering"):
        rpr = word.styles[name].element.rPr
        assert rpr is not None
        for trick in ("w:smallCaps", "w:caps", "w:spacing"):
            assert rpr.find(qn(trick)) is None, (name, trick)


# -- keeping together ------------------------------------------------------------------------


def _reference_without_keep_next(path: Path) -> Path:
    """python-docx's template with keep-with-next taken off headings and captions."""
    word = docx.Document()
    for name in ("Heading 1", "Heading 2", "Heading 3", "Caption"):
        style = word.styles[name]
        style.paragraph_format.keep_with_next = False
        assert not keeps_with_next(style)
    word.save(str(path))
    return path


CHART = Chart("Misdrijven per jaar", "Het aantal misdrijven daalt van 120 naar 100.",
              ("2018", "2019"), (("Misdrijven", (120.0, 100.0)),))
TABLE = Table("Cijfers", (Column("Soort"), Column("Aantal", "right")),
              (Row(("Inbraak", "12")), Row(("Diefstal", "30"))))


def small_document(*blocks: Block) -> Document:
    return Document(
        metadata=Metadata(title="Proef", subject="Proef", author="Gemeente Proefdorp"),
        title_page=TitlePage("Gemeente Proefdorp", "Proef", None, "2020–2023", "Concept",
                             "0.1", "1 januari 2020"),
        blocks=(TableOfContents(), PageBreak(), *blocks),
    )


@pytest.mark.parametrize("reference", [False, True], ids=["house style", "reference"])
def test_headings_and_captions_keep_with_what_follows(tmp_path: Path, reference: bool) -> None:
    options = DocxOptions(reference_doc=_reference_without_keep_next(tmp_path / "ref.docx")
                          if reference else None)
    word = word_of(small_document(Heading(1, "Hoofdstuk"), Heading(2, "Paragraaf"),
                                  Heading(3, "Sub"), TABLE, CHART), options)
    for name in ("Heading 1", "Heading 2", "Heading 3", "Caption"):
        assert keeps_with_next(word.styles[name]), name
    # The header row keeps with the first row, so no page ends in caption and header.
    (table,) = word.tables
    assert all(p.paragraph_format.keep_with_next for cell in table.rows[0].cells
               for p in cell.paragraphs)
    assert not any(p.paragraph_format.keep_with_next for cell in table.rows[1].cells
                   for p in cell.paragraphs)
    # A chart's caption is below it: the picture keeps with its caption.
    (picture,) = [p for p in word.paragraphs if p._p.findall(f".//{qn('w:drawing')}")]
    assert picture.paragraph_format.keep_with_next


# -- whether a chapter starts on a new page ---------------------------------------------------


FILLER = ("De gemeente werkt samen met politie, zorgpartners en inwoners aan een veilige "
          "leefomgeving en volgt de cijfers per kwartaal, in overleg met de partners.")


def paragraphs(count: int) -> tuple[Paragraph, ...]:
    return tuple(Paragraph((Span(f"{FILLER} ({n})"),)) for n in range(count))


def chapter_breaks(word: WordDocument) -> dict[str, bool]:
    return {p.text: breaks_page(p) for p in word.paragraphs if p.style.name == "Heading 1"}


def test_auto_breaks_the_page_only_after_a_page_at_least_a_third_full() -> None:
    auto = PageBreak(min_fill=AUTO_MIN_FILL)
    word = word_of(small_document(
        Heading(1, "Kort"), *paragraphs(2),
        auto, Heading(1, "Ook kort"), *paragraphs(2),
        auto, Heading(1, "Lang"), *paragraphs(8),
        auto, Heading(1, "Daarna"), *paragraphs(1),
    ))
    # Two short chapters share their page; the long one fills most of it, so the
    # next starts a new page.
    assert chapter_breaks(word) == {"Kort": True, "Ook kort": False, "Lang": False,
                                    "Daarna": True}


def test_a_chapter_that_flows_is_set_apart_and_overrides_a_breaking_reference(
        tmp_path: Path) -> None:
    reference = tmp_path / "ref.docx"
    template = docx.Document()
    template.styles["Heading 1"].paragraph_format.page_break_before = True
    template.save(str(reference))
    document = small_document(Heading(1, "Eerste"), *paragraphs(1), Heading(1, "Tweede"))
    word = word_of(document, DocxOptions(reference_doc=reference))
    assert chapter_breaks(word) == {"Eerste": True, "Tweede": False}
    house = word_of(document)
    (second,) = [p for p in house.paragraphs if p.text == "Tweede"]
    assert second.paragraph_format.space_before is not None
    assert second.paragraph_format.space_before.pt >= 18


@pytest.mark.parametrize(("choice", "expected"), [("new_page", 1.0), ("flow", None),
                                                  ("auto", AUTO_MIN_FILL)])
def test_chapter_start_is_a_house_style_choice(project: Project, choice: str,
                                               expected: float | None) -> None:
    edit(project.root / "municipalities/dronten/municipality.yaml", '  version: "0.9"\n',
         f'  version: "0.9"\n  chapter_start: {choice}\n')
    document = compose(project, "dronten")
    chapters = [i for i, b in enumerate(document.blocks) if isinstance(b, Heading)
                and b.level == 1]
    before = [document.blocks[i - 1] for i in chapters[1:]]  # the first follows the contents
    if expected is None:
        assert not any(isinstance(b, PageBreak) for b in before)
    else:
        assert all(isinstance(b, PageBreak) and (b.min_fill or 1.0) == expected
                   for b in before)
    word = word_of(document)
    breaks = list(chapter_breaks(word).values())
    assert len(breaks) == len(chapters) and breaks[0]
    if choice == "new_page":
        assert all(breaks)
    elif choice == "flow":
        assert not any(breaks[1:])


def test_chapter_start_default_is_auto(documents: dict[str, Document]) -> None:
    blocks = documents["dronten"].blocks
    assert PageBreak(min_fill=AUTO_MIN_FILL) in blocks


# -- LibreOffice: the PDF text layer and the pages ---------------------------------------------


def require_tools() -> None:
    missing = [tool for tool in ("soffice", "pdftotext") if shutil.which(tool) is None]
    if not missing:
        return
    if os.environ.get("CI"):
        pytest.fail(f"required in CI; .ci/run should install it: {', '.join(missing)}")
    pytest.skip(f"not installed: {', '.join(missing)}")


@pytest.fixture(scope="module")
def pdfs(documents: dict[str, Document], tmp_path_factory: pytest.TempPathFactory,
         ) -> dict[str, Path]:
    require_tools()
    out = tmp_path_factory.mktemp("typography")
    profile = (out / "profile").as_uri()
    sources = []
    for municipality, document in documents.items():
        source = out / f"{municipality}.docx"
        source.write_bytes(render_docx(document))
        sources.append(str(source))
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), *sources],
                   check=True, capture_output=True, timeout=600)
    return {municipality: out / f"{municipality}.pdf" for municipality in documents}


def pdf_text(pdf: Path, *mode: str) -> list[str]:
    text = subprocess.run(["pdftotext", *mode, str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    return text.split("\f")


def lines(page: str) -> list[str]:
    return [re.sub(r"\s+", " ", line).strip() for line in page.splitlines() if line.strip()]


@pytest.mark.parametrize("mode", [(), ("-raw",), ("-layout",)], ids=["plain", "raw", "layout"])
@pytest.mark.parametrize("municipality", MUNICIPALITIES)
def test_pdf_title_page_reads_label_value_and_the_name_as_written(
        documents: dict[str, Document], pdfs: dict[str, Path], municipality: str,
        mode: tuple[str, ...]) -> None:
    page = documents[municipality].title_page
    cover = lines(pdf_text(pdfs[municipality], *mode)[0])
    for label, value in title_page_facts(page):
        assert f"{label}: {value}" in cover, (label, cover)
    assert page.organisation in cover, cover
    if documents[municipality].banner:
        assert documents[municipality].banner in cover, cover


@dataclasses.dataclass(frozen=True)
class Line:
    top: float
    bottom: float
    text: str


def page_lines(pdf: Path) -> Iterator[list[Line]]:
    """The text lines of each page, top to bottom, from pdftotext's word boxes."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], check=True,
                         capture_output=True, text=True).stdout
    xml = re.sub(r"<!DOCTYPE[^>]*>", "", xml).replace(' xmlns="http://www.w3.org/1999/xhtml"', "")
    for page in ElementTree.fromstring(xml).iter("page"):
        # Words side by side make one line, though pdftotext puts a heading's number
        # and its text (apart by a tab) in separate blocks.
        rows: dict[int, list[ElementTree.Element]] = {}
        for word in page.iter("word"):
            rows.setdefault(round(float(word.get("yMax", 0))), []).append(word)
        yield [Line(min(float(w.get("yMin", 0)) for w in words), bottom,
                    " ".join(w.text or "" for w in sorted(words,
                                                          key=lambda w: float(w.get("xMin", 0)))))
               for bottom, words in sorted(rows.items())]


def body_lines(page: list[Line]) -> list[Line]:
    """Lines inside the house style's 2.5 cm margins: no header, no footer."""
    top, bottom = 2.5 * CM, 841.89 - 2.5 * CM
    return [line for line in page if line.top > top - 6 and line.bottom < bottom + 3]


@pytest.mark.parametrize("municipality", MUNICIPALITIES)
def test_no_page_before_a_chapter_is_left_less_than_a_third_full(
        documents: dict[str, Document], pdfs: dict[str, Path], municipality: str) -> None:
    chapters = {b.text for b in documents[municipality].blocks
                if isinstance(b, Heading) and b.level == 1}
    pages = [body_lines(page) for page in page_lines(pdfs[municipality])]
    area = 841.89 - 5 * CM
    starts = 0
    for number in range(3, len(pages)):  # after the cover and the contents
        first = pages[number][0].text if pages[number] else ""
        if not any(first.endswith(chapter) for chapter in chapters):
            continue
        starts += 1
        previous = pages[number - 1]
        fill = (max(line.bottom for line in previous) - 2.5 * CM) / area
        assert fill >= 1 / 3, f"page {number} is {fill:.0%} full before {first!r}"
    assert starts >= 3  # chapters still start on new pages where that leaves no hole


@pytest.mark.parametrize("municipality", MUNICIPALITIES)
def test_no_page_ends_in_a_heading(documents: dict[str, Document], pdfs: dict[str, Path],
                                   municipality: str) -> None:
    headings = {b.text for b in documents[municipality].blocks if isinstance(b, Heading)}
    for number, page in enumerate(page_lines(pdfs[municipality]), start=1):
        body = body_lines(page)
        if number > 2 and body:
            last = body[-1].text
            assert not any(last.endswith(heading) for heading in headings), (number, last)
