"""Tests for `ivbcompose.writers.docx.audit`: the accessibility rules, checked on the file.

The writer's own output (a representative document and the three examples)
must pass every rule. For each rule, a rendered document is broken on purpose
by editing its XML, and the audit must name the rule and the place.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

from ivbcompose import api
from ivbcompose.document import Chart
from ivbcompose.project import Project
from ivbcompose.writers.docx import DocxOptions, render_docx
from ivbcompose.writers.docx.audit import RULES, AuditFinding, audit_docx

from ..conftest import FIXTURE
from .test_chart import document as chart_document
from .test_docx import EPOCH, _png, _reference, make_document

Edit = Callable[[etree._Element], None]
DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"
DC_LANGUAGE = "{http://purl.org/dc/elements/1.1/}language"
DECORATIVE = "http://schemas.microsoft.com/office/drawing/2017/decorative"
DRAWING_MAIN = "http://schemas.openxmlformats.org/drawingml/2006/main"


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    logo = tmp_path_factory.mktemp("img") / "logo.png"
    logo.write_bytes(_png())
    return render_docx(make_document(logo=logo), DocxOptions(source_date_epoch=EPOCH))


def edited(data: bytes, part: str, edit: Edit) -> bytes:
    """`data` with the XML of `part` changed by `edit`; every other entry as it was."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == part:
                root = etree.fromstring(content)
                edit(root)
                content = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                         standalone=True)
            target.writestr(info, content)
    return out.getvalue()


def body_edit(edit: Callable[[etree._Element], None]) -> Edit:
    """An edit of word/document.xml that works on its w:body."""
    return lambda root: edit(root.find(qn("w:body")))


def paragraph(body: etree._Element, text: str) -> etree._Element:
    """The one body paragraph whose text is exactly `text`."""
    (found,) = [p for p in body.iter(qn("w:p")) if p.xpath("string(.)") == text]
    return found


def number_of(data: bytes, text: str) -> int:
    """The 1-based document-order number of the paragraph with `text`, as the audit counts."""
    body = docx.Document(io.BytesIO(data)).element.body
    return list(body.iter(qn("w:p"))).index(paragraph(body, text)) + 1


def codes(findings: list[AuditFinding]) -> list[str]:
    return [finding.code for finding in findings]


def set_style(p: etree._Element, style_id: str) -> None:
    p.find(qn("w:pPr")).find(qn("w:pStyle")).set(qn("w:val"), style_id)


# -- the writer's output passes ---------------------------------------------------------


def test_writer_output_passes_every_rule(data: bytes) -> None:
    assert audit_docx(data) == []


def test_output_with_a_reference_document_passes(tmp_path: Path) -> None:
    reference = _reference(tmp_path / "reference.docx")
    rendered = render_docx(make_document(), DocxOptions(reference_doc=reference))
    assert audit_docx(rendered) == []


def test_example_documents_pass(tmp_path: Path) -> None:
    results = api.build_all(Project(FIXTURE), api.BuildOptions(output_dir=tmp_path))
    for result in results:
        (path,) = (p for p in result.outputs if p.suffix == ".docx")
        assert audit_docx(path.read_bytes()) == [], path.name


def test_every_finding_names_a_known_rule_and_reads_well() -> None:
    word = docx.Document()
    word.add_paragraph("")
    word.add_paragraph("• los")
    raw = io.BytesIO()
    word.save(raw)
    findings = audit_docx(raw.getvalue())
    assert findings and set(codes(findings)) <= set(RULES)
    assert all(finding.hint for finding in findings)
    first = findings[0]
    assert str(first) == f"{first.code}: {first.message} (hint: {first.hint})"


def test_not_a_docx_is_a_value_error() -> None:
    with pytest.raises(ValueError, match=r"not a \.docx"):
        audit_docx(b"no zip at all")


# -- language and properties ------------------------------------------------------------


def test_text_language_other_than_dutch_is_found(data: bytes) -> None:
    def english(root: etree._Element) -> None:
        for lang in root.iter(qn("w:lang")):
            lang.set(qn("w:val"), "en-US")

    (finding,) = audit_docx(edited(data, "word/styles.xml", english))
    assert finding.code == "text-language"
    assert finding.message == ('the text language in the default paragraph style "Normal" '
                               "is en-US; expected nl-NL")


def test_missing_text_language_is_found(data: bytes) -> None:
    def no_language(root: etree._Element) -> None:
        for lang in list(root.iter(qn("w:lang"))):
            lang.getparent().remove(lang)

    (finding,) = audit_docx(edited(data, "word/styles.xml", no_language))
    assert finding.code == "text-language"
    assert "document defaults (w:docDefaults) is not set" in finding.message


def test_language_in_the_defaults_alone_is_enough(data: bytes) -> None:
    def defaults_only(root: etree._Element) -> None:
        normal = root.find(qn("w:style") + f"[@{qn('w:styleId')}='Normal']")
        lang = normal.find(qn("w:rPr")).find(qn("w:lang"))
        lang.getparent().remove(lang)

    assert audit_docx(edited(data, "word/styles.xml", defaults_only)) == []


def test_missing_title_is_found(data: bytes) -> None:
    def untitled(root: etree._Element) -> None:
        root.find(DC_TITLE).text = " "

    (finding,) = audit_docx(edited(data, "docProps/core.xml", untitled))
    assert finding.code == "document-title"


def test_missing_document_language_is_found(data: bytes) -> None:
    def no_language(root: etree._Element) -> None:
        root.remove(root.find(DC_LANGUAGE))

    (finding,) = audit_docx(edited(data, "docProps/core.xml", no_language))
    assert finding.code == "document-language"
    assert finding.message.endswith("(dc:language) is not set; expected nl-NL")


def test_expected_language_can_be_given(data: bytes) -> None:
    assert codes(audit_docx(data, language="en-GB")) == ["text-language", "document-language"]


# -- tables and images ------------------------------------------------------------------


def test_table_without_header_row_is_found(data: bytes) -> None:
    def plain_first_row(body: etree._Element) -> None:
        first_row = body.find(qn("w:tbl")).find(qn("w:tr"))
        header = first_row.find(qn("w:trPr")).find(qn("w:tblHeader"))
        header.getparent().remove(header)

    (finding,) = audit_docx(edited(data, "word/document.xml", body_edit(plain_first_row)))
    assert finding.code == "table-header"
    assert finding.message == ('table 1 ("Tabel 1: Planning"): the first row is not marked '
                               "as a header row")


def test_header_switched_off_counts_as_missing(data: bytes) -> None:
    def off(body: etree._Element) -> None:
        tables = list(body.iter(qn("w:tbl")))
        header = tables[1].find(qn("w:tr")).find(qn("w:trPr")).find(qn("w:tblHeader"))
        header.set(qn("w:val"), "false")

    (finding,) = audit_docx(edited(data, "word/document.xml", body_edit(off)))
    assert finding.message.startswith('table 2 ("Tabel 2: Criminaliteitscijfers Dronten")')


def test_image_without_alt_text_is_found(data: bytes) -> None:
    def no_alt(body: etree._Element) -> None:
        next(body.iter(qn("wp:docPr"))).set("descr", "")

    (finding,) = audit_docx(edited(data, "word/document.xml", body_edit(no_alt)))
    assert finding.code == "image-alt-text"
    assert finding.message.startswith('image 1 ("Picture 1") in paragraph 1 (no text, at the')
    assert finding.message.endswith("has no alternative text")


def test_decorative_image_needs_no_alt_text(data: bytes) -> None:
    def decorative(body: etree._Element) -> None:
        doc_pr = next(body.iter(qn("wp:docPr")))
        doc_pr.set("descr", "")
        ext_list = etree.SubElement(doc_pr, f"{{{DRAWING_MAIN}}}extLst")
        ext = etree.SubElement(ext_list, f"{{{DRAWING_MAIN}}}ext",
                               uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}")
        etree.SubElement(ext, f"{{{DECORATIVE}}}decorative", val="1")

    assert audit_docx(edited(data, "word/document.xml", body_edit(decorative))) == []


def test_a_chart_needs_alt_text_like_an_image() -> None:
    def chart(alt_text: str) -> Chart:
        return Chart("Misdrijven", alt_text, ("2019", "2020"), (("Urk", (19.6, 27.6)),))

    described = chart_document(chart("Lijndiagram: van 19,6 naar 27,6."))
    assert audit_docx(render_docx(described)) == []
    (finding,) = audit_docx(render_docx(chart_document(chart(" "))))
    assert finding.code == "image-alt-text"
    assert finding.message.startswith('image 1 ("Grafiek 1") in paragraph ')


def test_image_in_a_header_is_checked(tmp_path: Path) -> None:
    image = tmp_path / "logo.png"
    image.write_bytes(_png())
    word = docx.Document()
    word.core_properties.title = "Titel"
    word.core_properties.language = "nl-NL"
    word.sections[0].header.paragraphs[0].add_run().add_picture(str(image))
    raw = io.BytesIO()
    word.save(raw)
    findings = [f for f in audit_docx(raw.getvalue()) if f.code == "image-alt-text"]
    assert [f.message for f in findings] == [
        'image 1 ("Picture 1") in word/header1.xml has no alternative text']


# -- headings ---------------------------------------------------------------------------


def test_skipped_heading_level_is_found(data: bytes) -> None:
    def skip(body: etree._Element) -> None:
        set_style(paragraph(body, "Planning"), "Heading3")

    broken = edited(data, "word/document.xml", body_edit(skip))
    (finding,) = audit_docx(broken)
    assert finding.code == "heading-order"
    assert finding.message == (f'paragraph {number_of(broken, "Planning")} ("Planning"): '
                               "heading level 3 follows level 1, skipping level 2")


def test_first_heading_must_be_level_one(data: bytes) -> None:
    def start_low(body: etree._Element) -> None:
        set_style(paragraph(body, "Inleiding"), "Heading2")

    (finding,) = audit_docx(edited(data, "word/document.xml", body_edit(start_low)))
    assert finding.code == "heading-order"
    assert "the first heading is level 2; a document starts at level 1" in finding.message


def test_direct_outline_level_counts_as_a_heading(data: bytes) -> None:
    def outline(body: etree._Element) -> None:
        ppr = paragraph(body, "Tussendoor.").find(qn("w:pPr"))
        if ppr is None:
            ppr = etree.SubElement(paragraph(body, "Tussendoor."), qn("w:pPr"))
        etree.SubElement(ppr, qn("w:outlineLvl")).set(qn("w:val"), "3")

    (finding,) = audit_docx(edited(data, "word/document.xml", body_edit(outline)))
    assert "heading level 4 follows level 2" in finding.message


# -- lists ------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["• Politie", "- Politie", "* Politie", "1. Politie",
                                   "2) Politie", "– Politie"])
def test_typed_list_marker_is_found(data: bytes, typed: str) -> None:
    def typed_bullet(body: etree._Element) -> None:
        p = paragraph(body, "Tussendoor.")
        p.find(qn("w:r")).find(qn("w:t")).text = typed

    broken = edited(data, "word/document.xml", body_edit(typed_bullet))
    (finding,) = audit_docx(broken)
    assert finding.code == "typed-list"
    assert finding.message == (f'paragraph {number_of(broken, typed)} ("{typed}") starts with '
                               f'a typed list marker "{typed.split()[0]}" instead of list '
                               "numbering")


@pytest.mark.parametrize("text", ["J. de Vries opent.", "-10% inbraken", "2020 was rustig.",
                                  "1.697 misdrijven"])
def test_ordinary_text_is_not_a_typed_list(data: bytes, text: str) -> None:
    def retext(body: etree._Element) -> None:
        paragraph(body, "Tussendoor.").find(qn("w:r")).find(qn("w:t")).text = text

    assert audit_docx(edited(data, "word/document.xml", body_edit(retext))) == []


def test_list_item_with_numbering_may_start_with_a_dash(data: bytes) -> None:
    def dash(body: etree._Element) -> None:
        paragraph(body, "Politie").find(qn("w:r")).find(qn("w:t")).text = "- Politie"

    assert audit_docx(edited(data, "word/document.xml", body_edit(dash))) == []


# -- empty paragraphs -------------------------------------------------------------------


def test_empty_paragraph_as_spacing_is_found(data: bytes) -> None:
    def spacer(body: etree._Element) -> None:
        paragraph(body, "Tussendoor.").addprevious(etree.Element(qn("w:p")))

    broken = edited(data, "word/document.xml", body_edit(spacer))
    (finding,) = audit_docx(broken)
    assert finding.code == "empty-paragraph"
    number = number_of(broken, "Tussendoor.") - 1
    assert finding.message == f'paragraph {number} (no text, after "Vernieuwen") is used as spacing'


def test_paragraph_with_only_a_page_break_is_spacing_too(data: bytes) -> None:
    def page_break(body: etree._Element) -> None:
        p = etree.Element(qn("w:p"))
        etree.SubElement(etree.SubElement(p, qn("w:r")), qn("w:br")).set(qn("w:type"), "page")
        paragraph(body, "Tussendoor.").addnext(p)

    broken = edited(data, "word/document.xml", body_edit(page_break))
    assert codes(audit_docx(broken)) == ["empty-paragraph"]


def test_empty_paragraphs_in_cells_are_found_unless_required(data: bytes) -> None:
    def cells(body: etree._Element) -> None:
        cell = next(body.iter(qn("w:tc")))
        cell.append(etree.Element(qn("w:p")))  # after the cell's text: spacing
        empty_cell = list(body.iter(qn("w:tc")))[1]
        for p in empty_cell.findall(qn("w:p")):
            for child in list(p):
                if child.tag != qn("w:pPr"):
                    p.remove(child)  # a cell with nothing in it: allowed

    (finding,) = audit_docx(edited(data, "word/document.xml", body_edit(cells)))
    assert finding.code == "empty-paragraph"
    assert '(no text, after "Kwartaal")' in finding.message


def test_structurally_required_empty_paragraphs_are_allowed(data: bytes) -> None:
    def required(body: etree._Element) -> None:
        section = body.find(qn("w:sectPr"))
        # A section break carried by an empty paragraph, and a table that ends
        # the document followed by the one empty paragraph Word insists on.
        carrier = etree.SubElement(etree.Element(qn("w:p")), qn("w:pPr"))
        carrier.append(etree.Element(qn("w:sectPr")))
        section.addprevious(carrier.getparent())
        table = next(body.iter(qn("w:tbl")))
        section.addprevious(etree.fromstring(etree.tostring(table)))
        section.addprevious(etree.Element(qn("w:p")))

    assert audit_docx(edited(data, "word/document.xml", body_edit(required))) == []
