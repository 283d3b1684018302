"""Tests for `ivbcompose.writers.docx`: the Word writer.

Each test renders a small IR document, reads the .docx back with python-docx
and checks content and structure: styles, numbering, fields, tables, headers,
properties, reproducibility and reference documents.
"""

from __future__ import annotations

import io
import shutil
import struct
import subprocess
import zipfile
import zlib
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from docx.document import Document as WordDocument
from docx.oxml.ns import qn
from docx.shared import Pt
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from ivbcompose.document import (
    Column,
    Document,
    Heading,
    Image,
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
from ivbcompose.writers.docx import DocxOptions, render_docx

EPOCH = 1578528000  # 2020-01-09T00:00:00Z


def _png() -> bytes:
    """A tiny valid PNG (4 x 2 pixels), enough for python-docx to size it."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    rows = b"".join(b"\x00" + b"\x1f\x4e\x79" * 4 for _ in range(2))
    header = struct.pack(">IIBBBBB", 4, 2, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


def _para(*parts: str | Span, style: str = "body", review: str | None = None) -> Paragraph:
    spans = tuple(Span(p) if isinstance(p, str) else p for p in parts)
    return Paragraph(spans, style=style, review=review)  # type: ignore[arg-type]


def _items(*texts: str, nested: ListBlock | None = None) -> tuple[ListItem, ...]:
    items = [ListItem((_para(text),)) for text in texts]
    if nested is not None:
        items[-1] = ListItem((items[-1].blocks[0], nested))
    return tuple(items)


CRIME = Table(
    caption="Criminaliteitscijfers Dronten",
    columns=(Column("Soort delict"), Column("2017", "right"), Column("2018", "right")),
    rows=(
        Row(("Woninginbraken", "118", "121")),
        Row(("pogingen", "35", "37"), indent=1),
        Row(("Totaal misdrijven", "1.697", "1.655"), strong=True),
    ),
    notes=("Bron: Politie.",),
    anchor="criminaliteit",
)
PLANNING = Table(
    caption="Planning",
    columns=(Column("Kwartaal"), Column("Actie")),
    rows=(Row(("Q1/Q2 2020", "Vaststellen")),),
)


def make_document(*, logo: Path | None = None, banner: str | None = "CONCEPT") -> Document:
    """A small document with everything the writer handles."""
    blocks = (
        TableOfContents(),
        PageBreak(),
        Heading(1, "Inleiding", anchor="inleiding"),
        _para("Een veilige gemeente.", style="lead"),
        _para("Zie ", Span("het CCV", link="https://hetccv.nl/"), " en ",
              Span("tabel 1", link="#criminaliteit"), ". ", Span("Vet", bold=True), " en ",
              Span("schuin", italic=True), "."),
        Heading(2, "Planning", anchor="planning", review="Gewijzigd door Urk"),
        ListBlock(_items("Terugkijken", "Vernieuwen"), ordered=True),
        _para("Tussendoor."),
        ListBlock(_items("Eerst", "Dan"), ordered=True),
        ListBlock(_items("Politie", "Veiligheidsregio",
                         nested=ListBlock(_items("Brandweer", "GHOR")))),
        PLANNING,
        Heading(3, "Details", anchor="details"),
        _para("Kleine lettertjes.", style="note"),
        PageBreak(),
        Heading(1, "Veiligheidsbeeld", anchor="beeld"),
        CRIME,
        _para("Na de tabel."),
        PageBreak(),
        Heading(1, "Bijlage: Begrippen", anchor="bijlage", numbered=False),
        _para("Begrippenlijst."),
    )
    return Document(
        metadata=Metadata(title="Integraal Veiligheidsbeleid 2020-2023 gemeente Dronten",
                          subject="IVB van de gemeente Dronten", author="Gemeente Dronten",
                          keywords=("veiligheid", "Dronten"), status="Concept", version="0.3"),
        title_page=TitlePage(
            organisation="Gemeente Dronten", title="Integraal Veiligheidsbeleid",
            subtitle="Startnotitie", period="2020-2023", status="Concept", version="0.3",
            date="1 december 2019",
            adoption="Vastgesteld door de gemeenteraad op 9 januari 2020",
            logo=Image(str(logo), "Logo van de gemeente Dronten") if logo else None,
        ),
        blocks=blocks,
        banner=banner,
        footer="IVB 2020-2023 · Gemeente Dronten",
    )


@pytest.fixture(scope="module")
def logo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("img") / "logo.png"
    path.write_bytes(_png())
    return path


@pytest.fixture(scope="module")
def data(logo: Path) -> bytes:
    return render_docx(make_document(logo=logo), DocxOptions(source_date_epoch=EPOCH))


@pytest.fixture(scope="module")
def word(data: bytes) -> WordDocument:
    return docx.Document(io.BytesIO(data))


def _xml(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read(name).decode("utf-8")


def _paragraphs(word: WordDocument, style: str) -> list[str]:
    return [p.text for p in word.paragraphs if p.style is not None and p.style.name == style]


def _instructions(element: etree._Element) -> list[str]:
    return [t.text.strip() for t in element.iter(qn("w:instrText"))]


# -- headings -------------------------------------------------------------------------


def test_headings_use_builtin_styles_without_typed_numbers(word: WordDocument) -> None:
    assert _paragraphs(word, "Heading 1") == ["Inleiding", "Veiligheidsbeeld",
                                              "Bijlage: Begrippen"]
    assert _paragraphs(word, "Heading 2") == ["Planning"]
    assert _paragraphs(word, "Heading 3") == ["Details"]
    assert {word.styles[f"Heading {n}"].style_id for n in (1, 2, 3)} == {
        "Heading1", "Heading2", "Heading3"}


def test_heading_styles_are_numbered_by_a_linked_multilevel_list(word: WordDocument) -> None:
    num_ids = set()
    for level in (1, 2, 3):
        ppr = word.styles[f"Heading {level}"].element.pPr
        num_ids.add(ppr.numPr.numId.val)
        assert (ppr.numPr.ilvl.val if ppr.numPr.ilvl is not None else 0) == level - 1
    (num_id,) = num_ids
    numbering = word.part.numbering_part.element
    (num,) = [n for n in numbering.iterfind(qn("w:num")) if n.numId == num_id]
    abstract_id = num.abstractNumId.val
    (abstract,) = [a for a in numbering.iterfind(qn("w:abstractNum"))
                   if a.get(qn("w:abstractNumId")) == str(abstract_id)]
    links = {lvl.get(qn("w:ilvl")): lvl.find(qn("w:pStyle")).get(qn("w:val"))
             for lvl in abstract.iterfind(qn("w:lvl")) if lvl.find(qn("w:pStyle")) is not None}
    assert links == {"0": "Heading1", "1": "Heading2", "2": "Heading3"}
    texts = [lvl.find(qn("w:lvlText")).get(qn("w:val")) for lvl in abstract.iterfind(qn("w:lvl"))]
    assert texts[:3] == ["%1", "%1.%2", "%1.%2.%3"]


def test_unnumbered_heading_switches_numbering_off(word: WordDocument) -> None:
    (appendix,) = [p for p in word.paragraphs if p.text == "Bijlage: Begrippen"]
    assert appendix._p.pPr.numPr.numId.val == 0
    # Keeps it in the outline (and an updated TOC) in LibreOffice too.
    assert appendix._p.pPr.find(qn("w:outlineLvl")).get(qn("w:val")) == "0"
    (chapter,) = [p for p in word.paragraphs if p.text == "Inleiding"]
    assert chapter._p.pPr.numPr is None


def test_chapters_start_on_a_new_page_where_the_layout_breaks_the_page(
        word: WordDocument) -> None:
    # The style does not break: the layout's page breaks (chapter_start) decide.
    assert word.styles["Heading 1"].paragraph_format.page_break_before is None
    chapters = [p for p in word.paragraphs if p.style.name == "Heading 1"]
    assert [p.text for p in chapters] == ["Inleiding", "Veiligheidsbeeld", "Bijlage: Begrippen"]
    assert all(p.paragraph_format.page_break_before for p in chapters)


def test_page_break_block_moves_the_next_paragraph_to_a_new_page() -> None:
    document = make_document()
    blocks = (*document.blocks[:4], PageBreak(), _para("Nieuwe pagina."), PageBreak(),
              Heading(1, "Hoofdstuk"))
    word = docx.Document(io.BytesIO(render_docx(
        Document(document.metadata, document.title_page, blocks))))
    by_text = {p.text: p for p in word.paragraphs}
    assert by_text["Nieuwe pagina."].paragraph_format.page_break_before is True
    assert by_text["Hoofdstuk"].paragraph_format.page_break_before is True
    # The contents title breaks by its style; no second, direct break.
    assert by_text["Inhoud"].paragraph_format.page_break_before is None
    assert by_text["Inhoud"].style.paragraph_format.page_break_before is True


def test_headings_are_bookmarked_with_their_anchor(word: WordDocument) -> None:
    names = [b.get(qn("w:name")) for b in word.element.body.iter(qn("w:bookmarkStart"))]
    assert {"inleiding", "planning", "details", "beeld", "bijlage", "criminaliteit"} <= set(
        names)
    assert len(names) == len(set(names))


# -- table of contents ----------------------------------------------------------------


def test_toc_is_a_dirty_field_prefilled_with_numbered_linked_entries(word: WordDocument) -> None:
    body = word.element.body
    assert 'TOC \\o "1-2" \\h \\z \\u' in _instructions(body)
    begin = next(body.iter(qn("w:fldChar")))
    assert begin.get(qn("w:dirty")) == "true"
    entries = [p for p in word.paragraphs if p.style.name.startswith("toc ")]
    texts = ["".join(t.text for t in p._p.iter(qn("w:t"))) for p in entries]
    # number, heading text, estimated page: "1" "Inleiding" "3"
    assert [text.rstrip("0123456789") for text in texts] == [
        "1Inleiding", "1.1Planning", "2Veiligheidsbeeld", "Bijlage: Begrippen"]
    assert texts[0] == "1Inleiding3"
    anchors = [h.get(qn("w:anchor")) for p in entries for h in p._p.iter(qn("w:hyperlink"))]
    assert anchors == ["inleiding", "planning", "beeld", "bijlage"]
    assert word.paragraphs[[p.text for p in word.paragraphs].index("Inhoud")].style.name == (
        "TOC Heading")


def test_toc_styles_leave_room_for_page_numbers(word: WordDocument) -> None:
    """LibreOffice hides what follows a tab stop beyond the right indent: no right indent."""
    for level in (1, 2, 3):
        style = word.styles[f"toc {level}"]
        assert style.paragraph_format.right_indent is None
        (stop,) = style.paragraph_format.tab_stops
        assert stop.position == word.sections[0].page_width - 2 * word.sections[0].left_margin


def test_settings_ask_word_to_update_fields(data: bytes) -> None:
    assert '<w:updateFields w:val="true"/>' in _xml(data, "word/settings.xml")


# -- paragraphs and lists -------------------------------------------------------------


def test_paragraph_roles_map_to_styles(word: WordDocument) -> None:
    assert _paragraphs(word, "Inleiding") == ["Een veilige gemeente."]
    assert "Kleine lettertjes." in _paragraphs(word, "Toelichting")
    assert "Tussendoor." in _paragraphs(word, "Normal")


def test_bold_italic_and_hyperlinks(word: WordDocument) -> None:
    (p,) = [p for p in word.paragraphs if p.text.startswith("Zie ")]
    assert p.text == "Zie het CCV en tabel 1. Vet en schuin."
    assert [r.text for r in p.runs if r.bold] == ["Vet"]
    assert [r.text for r in p.runs if r.italic] == ["schuin"]
    links = p._p.findall(qn("w:hyperlink"))
    rel_id = links[0].get(qn("r:id"))
    rel = word.part.rels[rel_id]
    assert rel.is_external and rel.target_ref == "https://hetccv.nl/"
    assert links[1].get(qn("w:anchor")) == "criminaliteit"
    style = links[0].find(qn("w:r")).rPr.find(qn("w:rStyle")).get(qn("w:val"))
    assert word.styles.get_by_id(style, 2).name == "Hyperlink"


def test_lists_use_list_styles_and_numbered_lists_restart(word: WordDocument) -> None:
    assert _paragraphs(word, "List Number") == ["Terugkijken", "Vernieuwen", "Eerst", "Dan"]
    assert _paragraphs(word, "List Bullet") == ["Politie", "Veiligheidsregio"]
    assert _paragraphs(word, "List Bullet 2") == ["Brandweer", "GHOR"]
    numbered = [p for p in word.paragraphs if p.style.name == "List Number"]
    num_ids = [p._p.pPr.numPr.numId.val for p in numbered]
    assert num_ids[0] == num_ids[1] != num_ids[2] == num_ids[3]
    numbering = word.part.numbering_part.element
    for num_id in set(num_ids):
        (num,) = [n for n in numbering.iterfind(qn("w:num")) if n.numId == num_id]
        start = num.find(qn("w:lvlOverride")).find(qn("w:startOverride"))
        assert start.get(qn("w:val")) == "1"
    nested = [p for p in word.paragraphs if p.style.name == "List Bullet 2"]
    assert nested[0]._p.pPr.numPr.ilvl.val == 1


def test_no_empty_paragraphs_in_the_body(word: WordDocument) -> None:
    for p in word.element.body.iterfind(qn("w:p")):
        has_text = p.xpath("string(.)").strip()
        has_picture = p.find(".//" + qn("w:drawing")) is not None
        assert has_text or has_picture


# -- tables ---------------------------------------------------------------------------


def test_captions_are_numbered_with_seq_fields(word: WordDocument) -> None:
    assert _paragraphs(word, "Caption") == ["Tabel 1: Planning",
                                           "Tabel 2: Criminaliteitscijfers Dronten"]
    captions = [p for p in word.paragraphs if p.style.name == "Caption"]
    assert all(_instructions(p._p) == ["SEQ Tabel \\* ARABIC"] for p in captions)


def test_table_header_row_repeats_and_rows_do_not_split(word: WordDocument) -> None:
    table = word.tables[1]
    rows = table._tbl.tr_lst
    assert rows[0].trPr.find(qn("w:tblHeader")) is not None
    assert all(row.trPr.find(qn("w:cantSplit")) is not None for row in rows)
    assert all(row.trPr.find(qn("w:tblHeader")) is None for row in rows[1:])
    assert [c.text for c in table.rows[0].cells] == ["Soort delict", "2017", "2018"]
    assert table.style.name == "Tabel IVB"


def test_numbers_align_right_and_parts_indent_and_totals_are_bold(word: WordDocument) -> None:
    table = word.tables[1]
    alignments = [[c.paragraphs[0].alignment for c in row.cells] for row in table.rows]
    assert all(a[0] is None and a[1] == a[2] == 2 for a in alignments)  # 2: RIGHT
    part = table.rows[2].cells[0].paragraphs[0]
    assert part.text == "pogingen" and part.paragraph_format.left_indent > 0
    total = table.rows[3].cells
    assert all(run.bold for cell in total for run in cell.paragraphs[0].runs)


def test_table_has_accessible_caption_and_notes_below(word: WordDocument) -> None:
    tbl_pr = word.tables[1]._tbl.tblPr
    assert tbl_pr.find(qn("w:tblCaption")).get(qn("w:val")) == (
        "Tabel 2: Criminaliteitscijfers Dronten")
    assert tbl_pr.find(qn("w:tblDescription")).get(qn("w:val")).startswith("Criminaliteit")
    body = list(word.element.body)
    index = body.index(word.tables[1]._tbl)
    assert body[index + 1].xpath("string(.)") == "Bron: Politie."


_CELL_TEXT = st.text(st.sampled_from(list("ab &<>\"'\t\n\r€é")), max_size=12)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.lists(_CELL_TEXT, min_size=0, max_size=3),
                          st.integers(0, 2), st.booleans()), min_size=1, max_size=4))
def test_a_plain_row_is_written_as_a_row_of_marked_words_without_changes(
        rows: list[tuple[list[str], int, bool]]) -> None:
    # Plain rows are written as text (fast), rows with a renvooi's words element by
    # element: without changes the two must be the same XML, whatever the cells hold.
    columns = (Column("Naam"), Column("Aantal", align="right"), Column("Toelichting"))
    plain = tuple(Row(tuple(cells), indent=indent, strong=strong)
                  for cells, indent, strong in rows)
    marked = tuple(Row(row.cells, indent=row.indent, strong=row.strong,
                       marked=tuple((Span(text),) for text in row.cells) or ((),))
                   for row in plain)
    document = replace(make_document(), blocks=(Table("Gewoon", columns, plain),
                                                Table("Gemarkeerd", columns, marked)))
    word = docx.Document(io.BytesIO(render_docx(document, DocxOptions(source_date_epoch=EPOCH))))
    first, second = (table._tbl.tr_lst[1:] for table in word.tables)
    assert [etree.tostring(row) for row in first] == [etree.tostring(row) for row in second]
    # python-docx reads a w:tab back as a tab and a w:br as a line break.
    assert [[cell.text for cell in row.cells] for row in word.tables[0].rows[1:]] == [
        [*cells, "", "", ""][:3] for cells, _, _ in rows]


# -- title page, headers and footers --------------------------------------------------


def test_title_page_content_and_logo_alt_text(word: WordDocument) -> None:
    texts = [p.text for p in word.paragraphs[:9]]
    assert texts[1:4] == ["Gemeente Dronten", "Integraal Veiligheidsbeleid", "Startnotitie"]
    assert "Status: Concept" in texts and "Versie: 0.3" in texts
    assert "Vastgesteld door de gemeenteraad op 9 januari 2020" in texts
    (doc_pr,) = word.element.body.iter(qn("wp:docPr"))
    assert doc_pr.get("descr") == "Logo van de gemeente Dronten"


def test_banner_in_every_header_and_page_numbers_in_footer(word: WordDocument) -> None:
    section = word.sections[0]
    assert section.different_first_page_header_footer
    assert [p.text for p in section.header.paragraphs] == ["CONCEPT"]
    assert [p.text for p in section.first_page_header.paragraphs] == ["CONCEPT"]
    footer = section.footer.paragraphs[0]
    assert footer.text.startswith("IVB 2020-2023 · Gemeente Dronten\tPagina ")
    assert _instructions(section.footer._element) == ["PAGE", "NUMPAGES"]
    assert section.first_page_footer.is_linked_to_previous  # no number on the title page


def test_page_is_a4_with_house_margins(word: WordDocument) -> None:
    section = word.sections[0]
    assert (section.page_width.mm, section.page_height.mm) == pytest.approx((210, 297), 0.1)
    assert section.left_margin.cm == pytest.approx(2.5, abs=0.01)


def test_no_header_without_banner() -> None:
    word = docx.Document(io.BytesIO(render_docx(make_document(banner=None))))
    assert word.sections[0].header.is_linked_to_previous


# -- properties and reproducibility ---------------------------------------------------


def test_core_properties(word: WordDocument) -> None:
    props = word.core_properties
    assert props.title == "Integraal Veiligheidsbeleid 2020-2023 gemeente Dronten"
    assert props.subject == "IVB van de gemeente Dronten"
    assert props.author == props.last_modified_by == "Gemeente Dronten"
    assert props.keywords == "veiligheid; Dronten"  # as Office separates tags
    assert props.language == "nl-NL"
    assert props.revision == 1
    assert props.created == props.modified
    assert props.created.isoformat().startswith("2020-01-09T00:00:00")


def test_language_is_in_the_styles(data: bytes) -> None:
    styles = _xml(data, "word/styles.xml")
    defaults = styles.split("<w:docDefaults>")[1].split("</w:docDefaults>")[0]
    assert '<w:lang w:val="nl-NL"/>' in defaults
    normal = styles.split('w:styleId="Normal"')[1].split("</w:style>")[0]
    assert '<w:lang w:val="nl-NL"/>' in normal


def test_output_is_byte_identical(logo: Path, data: bytes) -> None:
    again = render_docx(make_document(logo=logo), DocxOptions(source_date_epoch=EPOCH))
    assert again == data
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        infos = package.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {info.date_time for info in infos} == {(2020, 1, 9, 0, 0, 0)}


def test_another_epoch_changes_only_the_timestamps(logo: Path, data: bytes) -> None:
    later = 1609459200  # 2021-01-01T00:00:00Z
    other = render_docx(make_document(logo=logo), DocxOptions(source_date_epoch=later))
    with zipfile.ZipFile(io.BytesIO(data)) as first, zipfile.ZipFile(io.BytesIO(other)) as second:
        assert first.namelist() == second.namelist()
        assert {info.date_time for info in second.infolist()} == {(2021, 1, 1, 0, 0, 0)}
        changed = {name for name in first.namelist() if first.read(name) != second.read(name)}
        # Created/modified in the properties, and the date of each review comment.
        assert changed == {"docProps/core.xml", "word/comments.xml"}
        for name in changed:
            stamped = first.read(name).replace(b"2020-01-09T00:00:00Z", b"2021-01-01T00:00:00Z")
            assert stamped == second.read(name)


def test_default_timestamp_is_fixed() -> None:
    first, second = render_docx(make_document()), render_docx(make_document())
    assert first == second
    word = docx.Document(io.BytesIO(first))
    assert word.core_properties.created.year == 2000


def test_reviews_become_dated_comments(data: bytes, word: WordDocument) -> None:
    (comment,) = list(word.comments)
    assert comment.text == "Gewijzigd door Urk"
    assert 'w:date="2020-01-09T00:00:00Z"' in _xml(data, "word/comments.xml")
    (heading,) = [p for p in word.paragraphs if p.text == "Planning"]
    assert heading._p.find(qn("w:commentRangeStart")) is not None


def test_no_leftovers_from_the_blank_template(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = package.namelist()
    assert "docProps/thumbnail.jpeg" not in names
    assert "word/stylesWithEffects.xml" not in names


# -- reference documents --------------------------------------------------------------


def _reference(path: Path) -> Path:
    """A reference with a distinctive Normal, wide margins and some body text."""
    ref = docx.Document()
    normal = ref.styles["Normal"]
    normal.font.name = "Courier New"
    normal.font.size = Pt(13)
    ref.sections[0].left_margin = docx.shared.Cm(4)
    ref.sections[0].footer.paragraphs[0].text = "Huisstijl voettekst"
    ref.add_paragraph("Sjabloontekst die moet verdwijnen")
    ref.save(path)
    return path


def test_reference_doc_styles_page_and_footer_are_used(tmp_path: Path) -> None:
    reference = _reference(tmp_path / "reference.docx")
    data = render_docx(make_document(), DocxOptions(reference_doc=reference))
    word = docx.Document(io.BytesIO(data))
    normal = word.styles["Normal"]
    assert normal.font.name == "Courier New" and normal.font.size == Pt(13)
    assert word.sections[0].left_margin.cm == pytest.approx(4, abs=0.01)
    assert "Sjabloontekst die moet verdwijnen" not in [p.text for p in word.paragraphs]
    assert word.sections[0].footer.paragraphs[0].text == "Huisstijl voettekst"
    assert [p.text for p in word.sections[0].header.paragraphs][-1] == "CONCEPT"
    # Roles the reference lacks are added; headings are still numbered by Word.
    assert _paragraphs(word, "Inleiding") == ["Een veilige gemeente."]
    assert word.styles["Heading 1"].element.pPr.numPr is not None
    assert '<w:lang w:val="nl-NL"/>' in _xml(data, "word/styles.xml")


def test_reference_heading_without_break_or_numbering_still_gets_both(tmp_path: Path) -> None:
    """python-docx's template: Heading 1 has no page break and "TOC Heading" is based on it."""
    reference = _reference(tmp_path / "reference.docx")
    word = docx.Document(io.BytesIO(render_docx(make_document(),
                                                DocxOptions(reference_doc=reference))))
    chapters = [p for p in word.paragraphs if p.style.name == "Heading 1"]
    assert all(p.paragraph_format.page_break_before for p in chapters)
    (title,) = [p for p in word.paragraphs if p.text == "Inhoud"]
    assert title._p.pPr.numPr.numId.val == 0


def test_reference_template_dotx_is_accepted(tmp_path: Path) -> None:
    reference = _reference(tmp_path / "reference.docx")
    template = tmp_path / "reference.dotx"
    document_type = "wordprocessingml.document.main+xml"
    with zipfile.ZipFile(reference) as source, zipfile.ZipFile(template, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "[Content_Types].xml":
                content = content.replace(document_type.encode(),
                                          b"wordprocessingml.template.main+xml")
            target.writestr(info, content)
    data = render_docx(make_document(), DocxOptions(reference_doc=template))
    assert document_type in _xml(data, "[Content_Types].xml")
    assert docx.Document(io.BytesIO(data)).styles["Normal"].font.name == "Courier New"


def test_reference_from_dutch_word_uses_its_style_ids(tmp_path: Path) -> None:
    """Dutch Word stores Heading 1 as id "Kop1" (name "heading 1"): found by name."""
    reference = _reference(tmp_path / "reference.docx")
    with zipfile.ZipFile(reference) as source:
        entries = {info.filename: source.read(info) for info in source.infolist()}
    entries["word/styles.xml"] = entries["word/styles.xml"].replace(
        b'w:styleId="Heading1"', b'w:styleId="Kop1"').replace(
        b'w:val="Heading1"', b'w:val="Kop1"')
    dutch = tmp_path / "dutch.docx"
    with zipfile.ZipFile(dutch, "w") as target:
        for name, content in entries.items():
            target.writestr(name, content)
    word = docx.Document(io.BytesIO(render_docx(make_document(),
                                                DocxOptions(reference_doc=dutch))))
    chapters = [p for p in word.paragraphs if p.text == "Inleiding"]
    assert chapters[0].style.style_id == "Kop1"


# -- LibreOffice ----------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice or pdftotext not installed")
def test_libreoffice_renders_headings_toc_and_captions(tmp_path: Path, data: bytes) -> None:
    source = tmp_path / "ivb.docx"
    source.write_bytes(data)
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=240,
    )
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "ivb.pdf"), "-"],
                          check=True, capture_output=True, text=True).stdout
    pages = text.split("\f")
    toc_page = next(page for page in pages if "Inhoud" in page)
    for entry in ("1 ", "Inleiding", "1.1", "Planning", "2 ", "Veiligheidsbeeld", "Bijlage"):
        assert entry in toc_page
    body = "\f".join(pages[pages.index(toc_page) + 1:])
    for heading in ("Inleiding", "1.1", "Planning", "Veiligheidsbeeld", "Bijlage: Begrippen"):
        assert heading in body
    assert "Tabel 1: Planning" in body and "Tabel 2: Criminaliteitscijfers Dronten" in body
    assert "Pagina 3 van" in body
