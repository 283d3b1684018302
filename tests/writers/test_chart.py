"""Tests for `ivbcompose.writers.docx.chart`: a chart as a native Word chart.

Each test renders a small document with a chart and reads the .docx back with
zipfile and lxml: the chart part with its content type and its relationship
from the document, one series per line with its label and values (a missing
value left out, so the line has a gap), the years as categories, the alt text
on the drawing, the house look, equal bytes for equal input, and no matplotlib
in a build that writes only Word. With LibreOffice, the chart is converted to
PDF and the PDF's text read back: LibreOffice draws it from the data in the part.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from ivbcompose.document import (
    Block,
    Chart,
    Document,
    Heading,
    Metadata,
    Paragraph,
    Span,
    TitlePage,
)
from ivbcompose.writers.charts import COLOURS, MARKERS
from ivbcompose.writers.docx import DocxOptions, render_docx
from ivbcompose.writers.docx.audit import audit_docx
from ivbcompose.writers.pdf import convert_to_pdf

from ..conftest import FIXTURE
from .test_docx import _reference
from .test_pdf import require_tools

NS = {
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
CHART_TYPE = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
CHART_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart"
YEARS = ("2016", "2017", "2018", "2019", "2020")
ALT = "Lijndiagram van de woninginbraken: Zeewolde daalt van 2.400 naar 2.100."
BURGLARIES = Chart(
    "Woninginbraken per jaar", ALT, YEARS,
    (("Zeewolde", (2400.0, 2310.5, None, 2200.0, 2100.0)),
     ("Nederland", (1200.0, 1150.0, 1000.0, 980.0, None))),
    "aantal per jaar", width_cm=14.0)


def document(*blocks: Block) -> Document:
    return Document(
        metadata=Metadata(title="Proef", subject="Proef", author="Gemeente Proefdorp"),
        title_page=TitlePage("Gemeente Proefdorp", "Proef", None, "2020–2023", "Concept",
                             "0.1", "1 januari 2020"),
        blocks=(Heading(1, "Cijfers"), *blocks),
    )


def xml(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return etree.fromstring(package.read(name))


def names(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.namelist()


@pytest.fixture(scope="module")
def data() -> bytes:
    return render_docx(document(BURGLARIES, Paragraph((Span("Na de grafiek."),))))


@pytest.fixture(scope="module")
def chart(data: bytes) -> etree._Element:
    return xml(data, "word/charts/chart1.xml")


# -- the part and the drawing ---------------------------------------------------------------


def test_the_chart_is_a_part_of_its_own_related_from_the_document(data: bytes) -> None:
    assert "word/charts/chart1.xml" in names(data)
    assert not [n for n in names(data) if n.startswith("word/media/")]  # no picture
    types = xml(data, "[Content_Types].xml")
    (override,) = types.findall("ct:Override[@PartName='/word/charts/chart1.xml']", NS)
    assert override.get("ContentType") == CHART_TYPE
    rels = xml(data, "word/_rels/document.xml.rels")
    (rel,) = [r for r in rels.findall("rel:Relationship", NS) if r.get("Type") == CHART_REL]
    assert rel.get("Target") == "charts/chart1.xml"
    (reference,) = xml(data, "word/document.xml").iter(f"{{{NS['c']}}}chart")
    assert reference.get(f"{{{NS['r']}}}id") == rel.get("Id")
    graphic_data = reference.getparent()
    assert graphic_data.get("uri") == NS["c"]


def test_the_drawing_is_inline_with_the_alt_text_and_the_size_of_the_page_plan(
        data: bytes) -> None:
    (inline,) = xml(data, "word/document.xml").iterfind(".//wp:inline", NS)
    extent = inline.find("wp:extent", NS)
    # 14 cm wide, 0.45 of that high, in EMU: what pages.py reserves on the page.
    assert (extent.get("cx"), extent.get("cy")) == ("5040000", "2268000")
    doc_pr = inline.find("wp:docPr", NS)
    assert doc_pr.get("descr") == ALT
    assert doc_pr.get("name") == "Grafiek 1"
    assert audit_docx(data) == []


def test_the_chart_keeps_with_its_caption_below_it(data: bytes) -> None:
    body = xml(data, "word/document.xml").find("w:body", NS)
    paragraphs = body.findall("w:p", NS)
    (at,) = [i for i, p in enumerate(paragraphs) if p.find(".//wp:inline", NS) is not None]
    assert paragraphs[at].find("w:pPr/w:keepNext", NS) is not None
    assert "".join(paragraphs[at + 1].itertext()) == "Grafiek: Woninginbraken per jaar"


# -- the data -------------------------------------------------------------------------------


def test_one_series_per_line_with_its_label_the_years_and_its_values(
        chart: etree._Element) -> None:
    series = chart.findall("c:chart/c:plotArea/c:lineChart/c:ser", NS)
    assert [s.findtext("c:tx/c:v", namespaces=NS) for s in series] == ["Zeewolde", "Nederland"]
    for ser, (_, values) in zip(series, BURGLARIES.series, strict=True):
        assert [pt.findtext("c:v", namespaces=NS) for pt in ser.findall("c:cat/*/c:pt", NS)] \
            == list(YEARS)
        numbers = ser.find("c:val/c:numLit", NS)
        assert numbers.find("c:ptCount", NS).get("val") == "5"
        points = {int(pt.get("idx")): float(pt.findtext("c:v", namespaces=NS))
                  for pt in numbers.findall("c:pt", NS)}
        assert points == {i: v for i, v in enumerate(values) if v is not None}
    # The missing value is left out, not drawn as zero: the line breaks there.
    assert chart.find("c:chart/c:dispBlanksAs", NS).get("val") == "gap"


def test_the_data_is_in_the_chart_without_a_workbook(data: bytes,
                                                     chart: etree._Element) -> None:
    assert chart.find("c:externalData", NS) is None
    assert not chart.findall(".//c:numRef", NS) and not chart.findall(".//c:strRef", NS)
    assert not [n for n in names(data) if n.startswith("word/embeddings/")]


# -- the look -------------------------------------------------------------------------------


def test_each_line_has_the_palette_colour_and_marker_of_its_place(
        chart: etree._Element) -> None:
    series = chart.findall(".//c:ser", NS)
    colours = [s.find("c:spPr/a:ln/a:solidFill/a:srgbClr", NS).get("val") for s in series]
    assert colours == [c.lstrip("#").upper() for c in COLOURS[:2]]
    assert colours[0] == "1F4E79"  # the house blue first
    assert [s.find("c:marker/c:symbol", NS).get("val") for s in series] == list(MARKERS[:2])
    widths = {s.find("c:spPr/a:ln", NS).get("w") for s in series}
    assert widths == {str(round(1.8 * 12700))}


def test_a_plain_chart_in_dutch_from_zero_with_the_legend_below(
        chart: etree._Element) -> None:
    assert chart.find("c:lang", NS).get("val") == "nl-NL"
    assert chart.find("c:roundedCorners", NS).get("val") == "0"
    assert chart.find("c:chart/c:title", NS) is None  # the caption is the title
    assert chart.find("c:chart/c:autoTitleDeleted", NS).get("val") == "1"
    assert chart.find("c:chart/c:legend/c:legendPos", NS).get("val") == "b"
    value_axis = chart.find("c:chart/c:plotArea/c:valAx", NS)
    assert value_axis.find("c:scaling/c:min", NS).get("val") == "0"
    assert "".join(value_axis.find("c:title", NS).itertext()) == "aantal per jaar"
    grid = value_axis.find("c:majorGridlines/c:spPr/a:ln/a:solidFill/a:srgbClr", NS)
    assert grid.get("val") == "D9D9D9"
    assert chart.find("c:chart/c:plotArea/c:catAx/c:majorGridlines", NS) is None
    # No frame around the chart or its plot area.
    for frame in (chart.find("c:spPr", NS), chart.find("c:chart/c:plotArea/c:spPr", NS)):
        assert frame.find("a:ln/a:noFill", NS) is not None


def test_thousands_get_a_dot_whatever_the_readers_locale(chart: etree._Element) -> None:
    code = chart.find(".//c:valAx/c:numFmt", NS).get("formatCode")
    # Literal dots: "#,##0" would show the locale's separator, a comma in LibreOffice
    # on a build server.
    assert "," not in code and r"#\.##0" in code


def test_the_text_is_in_the_house_font_at_eight_points(chart: etree._Element) -> None:
    defaults = chart.find("c:txPr/a:p/a:pPr/a:defRPr", NS)
    assert defaults.get("sz") == "800" and defaults.get("lang") == "nl-NL"
    assert defaults.find("a:latin", NS).get("typeface") == "Arial"


def test_on_a_reference_document_the_text_takes_its_body_font(tmp_path: Path) -> None:
    reference = _reference(tmp_path / "reference.docx")
    data = render_docx(document(BURGLARIES), DocxOptions(reference_doc=reference))
    chart = xml(data, "word/charts/chart1.xml")
    assert {f.get("typeface") for f in chart.iterfind(".//a:latin", NS)} == {"Courier New"}


# -- more charts, renvooi, bytes ------------------------------------------------------------


def other(label: str) -> Chart:
    return Chart(f"Grafiek {label}", f"Lijndiagram {label}.", YEARS[:2],
                 ((label, (1.0, 2.0)),))


def test_charts_are_numbered_in_document_order() -> None:
    data = render_docx(document(other("Eerste"), other("Tweede"), other("Derde")))
    labels = [xml(data, f"word/charts/chart{n}.xml").findtext(".//c:ser/c:tx/c:v",
                                                              namespaces=NS)
              for n in (1, 2, 3)]
    assert labels == ["Eerste", "Tweede", "Derde"]
    body = xml(data, "word/document.xml")
    ids = [d.get("id") for d in body.iterfind(".//wp:docPr", NS)]
    assert len(set(ids)) == 3


def test_a_changed_chart_is_replaced_whole_as_tracked_changes() -> None:
    before = Chart("Woninginbraken", "Oud.", YEARS[:2], (("Oud", (1.0, 2.0)),),
                   change="deleted")
    after = Chart("Woninginbraken", "Nieuw.", YEARS[:2], (("Nieuw", (1.0, 3.0)),),
                  change="inserted")
    data = render_docx(document(before, after))
    body = xml(data, "word/document.xml")
    drawings = {revision: body.findall(f".//w:{revision}/w:r/w:drawing", NS)
                for revision in ("del", "ins")}
    assert [len(found) for found in drawings.values()] == [1, 1]
    rels = {r.get("Id"): r.get("Target")
            for r in xml(data, "word/_rels/document.xml.rels").iterfind("rel:Relationship", NS)}
    for revision, label in (("del", "Oud"), ("ins", "Nieuw")):
        (drawing,) = drawings[revision]
        rel_id = drawing.find(".//c:chart", NS).get(f"{{{NS['r']}}}id")
        part = xml(data, f"word/{rels[rel_id]}")
        assert part.findtext(".//c:ser/c:tx/c:v", namespaces=NS) == label
    # Both paragraphs (chart and caption) of each are marked whole, paragraph marks too.
    assert len(body.findall(".//w:pPr/w:rPr/w:del", NS)) == 2
    assert len(body.findall(".//w:pPr/w:rPr/w:ins", NS)) == 2
    assert audit_docx(data) == []


def test_the_same_document_gives_the_same_bytes(data: bytes) -> None:
    assert render_docx(document(BURGLARIES, Paragraph((Span("Na de grafiek."),)))) == data


def test_a_build_of_word_files_only_never_imports_matplotlib(tmp_path: Path) -> None:
    script = textwrap.dedent("""
        import sys
        from pathlib import Path

        from ivbcompose import api
        from ivbcompose.project import Project

        result = api.build(Project(Path(sys.argv[1])), "urk",
                           api.BuildOptions(output_dir=Path(sys.argv[2])))
        assert any(p.suffix == ".docx" for p in result.outputs), result.outputs
        print(sorted(m for m in sys.modules if m.partition(".")[0] == "matplotlib"))
    """)
    done = subprocess.run([sys.executable, "-c", script, str(FIXTURE), str(tmp_path)],
                          capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
    # The fixture's Urk document has a chart: the test would pass vacuously without one.
    (docx,) = tmp_path.rglob("*.docx")
    assert "word/charts/chart1.xml" in names(docx.read_bytes())


# -- LibreOffice ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> Path:
    # The way a build converts (through the UNO step), not a plain --convert-to.
    require_tools()
    folder = tmp_path_factory.mktemp("chart-pdf")
    (folder / "chart.docx").write_bytes(data)
    convert_to_pdf(folder / "chart.docx", folder / "chart.pdf")
    return folder / "chart.pdf"


def chart_page(pdf: Path) -> str:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    (page,) = [page for page in text.split("\f") if "Grafiek: Woninginbraken" in page]
    return page


def test_libreoffice_draws_the_chart_from_its_data(pdf: Path) -> None:
    page = chart_page(pdf)
    words = set(page.split())
    # The legend, the years on the axis, the axis title: text LibreOffice wrote itself.
    assert {"Zeewolde", "Nederland", *YEARS} <= words
    assert "aantal per jaar" in " ".join(page.split())
    # The value axis from 0, with Dutch thousands (LibreOffice runs in the C locale here).
    assert {"0", "2.500"} <= words and not any(re.fullmatch(r"\d,\d{3}", w) for w in words)


# LibreOffice's import drops a chart's wp:docPr descr; the UNO step gives it back.
def test_the_pdf_figure_of_the_chart_has_its_alt_text(pdf: Path) -> None:
    raw = pdf.read_bytes()
    texts = [bytes.fromhex(h.decode()).decode("utf-16")
             for h in re.findall(rb"/Alt\s*<(FEFF[0-9A-Fa-f]*)>", raw)]
    texts += [t.decode("latin-1") for t in re.findall(rb"/Alt\s*\(([^)]*)\)", raw)]
    assert any(text.startswith("Lijndiagram van de woninginbraken") for text in texts)


def test_the_odt_chart_has_its_alt_text(data: bytes, tmp_path: Path) -> None:
    from ivbcompose.writers.odt import convert_to_odt

    require_tools()
    odt = convert_to_odt(data, tmp_path / "chart.odt")
    with zipfile.ZipFile(io.BytesIO(odt)) as package:
        content = etree.fromstring(package.read("content.xml"))
    svg = "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
    descriptions = [d.text or "" for d in content.iter(f"{{{svg}}}desc")]
    assert any(d.startswith("Lijndiagram van de woninginbraken") for d in descriptions)


def test_the_palette_has_a_colour_and_a_marker_for_every_line_a_chart_may_have() -> None:
    from ivbcompose.document import CHART_LINES

    assert len(set(COLOURS)) >= CHART_LINES and len(set(MARKERS)) >= CHART_LINES
