"""Tests for `ivbcompose.markup`: Markdown text fields → IR blocks, and what a text cannot hold.

Pipe tables become IR tables (caption from a "Tabel: …" paragraph after them);
what the documents cannot show is reported with the line it is on. The last
part writes captionless tables with both writers, through their public entry
points: the Word file passes the accessibility audit, the Markdown is GFM.
"""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from openxml_audit import FileFormat, OpenXmlValidator

from ivbcompose.document import (
    Column,
    Document,
    Heading,
    ListBlock,
    Metadata,
    Paragraph,
    Row,
    Span,
    Table,
    TitlePage,
)
from ivbcompose.markup import markdown_blocks, markup_problems
from ivbcompose.writers.docx import DocxOptions, render_docx
from ivbcompose.writers.docx.audit import audit_docx
from ivbcompose.writers.markdown import render_markdown

FIGURES = """\
De cijfers voor 2019:

| Soort delict | Aantal | **Trend** |
|:-------------|-------:|:---------:|
| Woninginbraak | 41 | *daalt* |
| Fietsdiefstal \\| overig | 1.204 | stijgt |

Tabel: Geregistreerde *misdrijven* in 2019
"""


def _messages(text: str) -> list[str]:
    return [message for message, _ in markup_problems(text)]


# -- tables -------------------------------------------------------------------------------


def test_a_pipe_table_becomes_a_table_with_header_alignment_and_caption() -> None:
    intro, table = markdown_blocks(FIGURES)
    assert isinstance(intro, Paragraph)
    assert table == Table(
        "Geregistreerde misdrijven in 2019",
        (Column("Soort delict"), Column("Aantal", "right"), Column("Trend")),
        (Row(("Woninginbraak", "41", "daalt")), Row(("Fietsdiefstal | overig", "1.204", "stijgt"))),
    )
    assert markup_problems(FIGURES) == []


def test_a_table_without_caption_line_has_no_caption() -> None:
    text = "| Jaar | Aantal |\n|---|---:|\n| 2019 | 12 |\n\nDaarna volgt tekst."
    table, after = markdown_blocks(text)
    assert isinstance(table, Table) and table.caption is None
    assert table.columns == (Column("Jaar"), Column("Aantal", "right"))
    assert table.rows == (Row(("2019", "12")),)
    assert after == Paragraph((Span("Daarna volgt tekst."),))


@pytest.mark.parametrize("line", ["Table: Aantallen", "tabel:   Aantallen  "])
def test_english_and_lowercase_caption_lines_are_captions(line: str) -> None:
    (table,) = markdown_blocks(f"| a |\n|---|\n| 1 |\n\n{line}\n")
    assert isinstance(table, Table) and table.caption == "Aantallen"


def test_a_caption_line_before_its_table_is_a_problem() -> None:
    text = "Tabel: Aantallen\n\n| a |\n|---|\n| 1 |\n"
    assert _messages(text) == ["a table caption ('Tabel: …') does not follow a table "
                               "(line 1 of the text)"]


@pytest.mark.parametrize(("row", "message"), [
    ("| 2019 | 12 |", "row 2 of the table has 2 cells, its header has 3 (line 4 of the text)"),
    ("| 2019 | 12 | 3 | 4 |",
     "row 2 of the table has 4 cells, its header has 3 (line 4 of the text)"),
    ("2019", "row 2 of the table has 1 cell, its header has 3 (line 4 of the text)"),
])
def test_ragged_rows_are_problems(row: str, message: str) -> None:
    text = f"| Jaar | Aantal | Bron |\n|---|---|---|\n| 2018 | 10 | politie |\n{row}\n"
    [(found, hint)] = markup_problems(text)
    assert found == message
    assert "as many cells as the header" in hint


@pytest.mark.parametrize("row", [
    "| 2019 | a \\| b | politie |",  # an escaped pipe is no cell border
    "2019 | 12 | politie",  # leading and trailing pipes are optional
    "| 2019 | | |",  # empty cells count
])
def test_rows_with_the_header_s_cell_count_are_fine(row: str) -> None:
    assert markup_problems(f"| Jaar | Aantal | Bron |\n|---|---|---|\n{row}\n") == []


def test_a_table_inside_a_list_item_is_a_problem_but_does_not_break_layout() -> None:
    text = "- Eerste punt\n\n  | a | b |\n  |---|---|\n  | 1 | 2 |\n- Tweede punt\n"
    assert _messages(text) == ["a table inside a list item is not supported "
                               "(line 3 of the text)"]
    (block,) = markdown_blocks(text)
    assert isinstance(block, ListBlock)
    blocks = [child for item in block.items for child in item.blocks]
    assert all(isinstance(child, Paragraph | ListBlock) for child in blocks)


# -- what a text cannot hold ----------------------------------------------------------------


@pytest.mark.parametrize(("text", "message", "hint"), [
    ("Inleiding\n\n## Doelen\n\nTekst", "a heading is not supported in a text (line 3 of the text)",
     "use a section with its own title in the outline instead"),
    ("Doelen\n======\n", "a heading is not supported in a text (line 1 of the text)",
     "use a section with its own title"),
    ("Tekst\n\n> Een citaat", "a block quote ('>') is not supported in a text "
     "(line 3 of the text)", "remove the '>'"),
    ("Tekst\n\n---\n\nMeer tekst", "a horizontal rule is not supported in a text "
     "(line 3 of the text)", "remove the line"),
    ("Tekst\n\n***\n", "a horizontal rule is not supported in a text (line 3 of the text)",
     "remove the line"),
    ("Tekst\n\n    ingesprongen regel\n", "a code block is not supported in a text "
     "(line 3 of the text)", "remove the indentation"),
    ("```\ncode\n```\n", "a code block is not supported in a text (line 1 of the text)",
     "remove the ``` or ~~~ lines"),
])
def test_headings_quotes_rules_and_code_are_problems(text: str, message: str,
                                                     hint: str) -> None:
    [(found, found_hint)] = markup_problems(text)
    assert found == message
    assert hint in found_hint
    assert all(isinstance(block, Paragraph) for block in markdown_blocks(text))


def test_existing_problems_keep_their_messages() -> None:
    assert _messages("<b>vet</b>") == ["HTML is not supported in a text"]
    assert _messages("![kaart](kaart.png)") == ["images are not supported in a text"]
    assert _messages("| a |\n|---|\n| • punt |") == [
        "a list is typed with bullet or number characters"]
    assert markup_problems("Gewone tekst met **vet** en een [link](https://urk.nl).") == []


# -- the writers --------------------------------------------------------------------------------

SOURCES = "| Bron | Jaar |\n|---|---:|\n| Politie | 2019 |\n"


def _document(*blocks: Heading | Paragraph | ListBlock | Table) -> Document:
    return Document(
        metadata=Metadata(title="IVB Urk", subject="Integraal Veiligheidsbeleid",
                          author="Gemeente Urk"),
        title_page=TitlePage(organisation="Gemeente Urk", title="Integraal Veiligheidsbeleid",
                             subtitle=None, period="2020-2023", status="Concept",
                             version="0.1", date="1 december 2019"),
        blocks=(Heading(1, "Cijfers", "cijfers"), *blocks),
    )


@pytest.fixture(scope="module")
def document() -> Document:
    """Captioned, captionless (twice, touching), captioned: numbers 1 and 2."""
    captionless = markdown_blocks(SOURCES)
    return _document(*markdown_blocks(FIGURES), *captionless, *captionless,
                     *markdown_blocks("| Wijk | Meldingen |\n|---|--:|\n| Urk | 5 |\n\n"
                                      "Tabel: Meldingen per wijk"))


@pytest.fixture(scope="module")
def word_data(document: Document) -> bytes:
    return render_docx(document, DocxOptions(source_date_epoch=0))


def test_a_docx_with_captionless_tables_passes_the_audit(word_data: bytes) -> None:
    assert audit_docx(word_data) == []


def test_a_docx_with_captionless_tables_is_schema_valid(word_data: bytes,
                                                        tmp_path: Path) -> None:
    path = tmp_path / "tabellen.docx"
    path.write_bytes(word_data)
    result = OpenXmlValidator(file_format=FileFormat.OFFICE_2019, max_errors=0).validate(path)
    assert [str(error) for error in result.errors] == []


def test_a_captionless_table_reads_back_with_a_header_row(word_data: bytes) -> None:
    word = docx.Document(io.BytesIO(word_data))
    assert len(word.tables) == 4
    table = word.tables[1]
    header = table._tbl.tr_lst[0]
    assert header.trPr.find(qn("w:tblHeader")) is not None
    assert [cell.text for cell in table.rows[0].cells] == ["Bron", "Jaar"]
    assert [cell.text for cell in table.rows[1].cells] == ["Politie", "2019"]
    assert table.rows[1].cells[1].paragraphs[0].alignment == 2  # RIGHT
    caption = table._tbl.tblPr.find(qn("w:tblCaption")).get(qn("w:val"))
    assert caption == "Bron, Jaar"
    assert "None" not in table._tbl.tblPr.find(qn("w:tblDescription")).get(qn("w:val"))


def test_captioned_tables_are_numbered_skipping_captionless_ones(word_data: bytes,
                                                                 document: Document) -> None:
    word = docx.Document(io.BytesIO(word_data))
    captions = [p.text for p in word.paragraphs if p.style.name == "Caption"]
    assert captions == ["Tabel 1: Geregistreerde misdrijven in 2019",
                        "Tabel 2: Meldingen per wijk"]
    titles = [t._tbl.tblPr.find(qn("w:tblCaption")).get(qn("w:val")) for t in word.tables]
    assert titles == ["Tabel 1: Geregistreerde misdrijven in 2019", "Bron, Jaar", "Bron, Jaar",
                      "Tabel 2: Meldingen per wijk"]
    text = render_markdown(document)
    assert "**Tabel 1:** Geregistreerde misdrijven in 2019" in text
    assert "**Tabel 2:** Meldingen per wijk" in text
    assert "Tabel 3" not in text


def test_touching_tables_are_kept_apart_by_one_paragraph(word_data: bytes) -> None:
    word = docx.Document(io.BytesIO(word_data))
    body = list(word.element.body)
    first, second = (body.index(table._tbl) for table in word.tables[1:3])
    [between] = body[first + 1:second]
    assert between.tag == qn("w:p") and not between.xpath("string(.)")


def test_the_markdown_of_a_captionless_table_is_a_gfm_table() -> None:
    (table,) = markdown_blocks(SOURCES)
    text = render_markdown(_document(Paragraph((Span("Vooraf."),)), table))
    body = text.split("## 1 Cijfers\n\n", 1)[1]
    assert body == ("Vooraf.\n\n"
                    "| Bron    | Jaar |\n"
                    "| ------- | ---: |\n"
                    "| Politie | 2019 |\n")
    assert markdown_blocks(body)[1] == table


def test_a_captionless_table_keeps_its_anchor_and_review_in_the_header() -> None:
    table = Table(None, (Column("Partner"), Column("Rol")), (Row(("Politie", "handhaving")),),
                  anchor="partners", review="Urk voegt deze tabel toe.")
    link = Paragraph((Span("zie de tabel", link="#partners"),))
    data = render_docx(_document(link, table), DocxOptions(source_date_epoch=0))
    assert audit_docx(data) == []
    word = docx.Document(io.BytesIO(data))
    first_cell = word.tables[0]._tbl.tr_lst[0].tc_lst[0]
    [bookmark] = first_cell.iter(qn("w:bookmarkStart"))
    anchor = word.element.body.find(f".//{qn('w:hyperlink')}").get(qn("w:anchor"))
    assert bookmark.get(qn("w:name")) == anchor
    assert list(first_cell.iter(qn("w:commentRangeStart")))
