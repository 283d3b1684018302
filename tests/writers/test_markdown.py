"""Tests for `ivbcompose.writers.markdown`, and for what the writers share (`writers`).

The Markdown tests compare whole outputs with the expected text, so any change
in what a reviewer sees in git shows up here. The shared part is the heading
numbering that both writers use and `write_atomically`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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
from ivbcompose.writers import heading_numbers, title_page_facts, write_atomically
from ivbcompose.writers.markdown import render_markdown

TITLE_PAGE = TitlePage(
    organisation="Gemeente Dronten", title="Integraal Veiligheidsbeleid",
    subtitle="Startnotitie", period="2020-2023", status="Concept", version="0.3",
    date="1 december 2019", adoption="Vastgesteld door de gemeenteraad op 9 januari 2020",
)
METADATA = Metadata(title="IVB", subject="IVB Dronten", author="Gemeente Dronten")


def _doc(*blocks: object, **kwargs: object) -> Document:
    return Document(metadata=METADATA, title_page=TITLE_PAGE, blocks=blocks,  # type: ignore[arg-type]
                    **kwargs)  # type: ignore[arg-type]


def _body(document: Document) -> str:
    """The output after the title block (which ends with the adoption line)."""
    return render_markdown(document).split("januari 2020*\n\n", 1)[1]


def _p(*parts: str | Span, review: str | None = None) -> Paragraph:
    return Paragraph(tuple(Span(p) if isinstance(p, str) else p for p in parts), review=review)


def _list(*items: str | tuple[str, ListBlock], ordered: bool = False) -> ListBlock:
    built = []
    for item in items:
        if isinstance(item, tuple):
            built.append(ListItem((_p(item[0]), item[1])))
        else:
            built.append(ListItem((_p(item),)))
    return ListBlock(tuple(built), ordered=ordered)


# -- Markdown -------------------------------------------------------------------------


def test_title_block() -> None:
    logo = Image("logo.png", "Logo van de gemeente Dronten")
    page = TitlePage(**{**TITLE_PAGE.__dict__, "logo": logo})
    document = Document(metadata=METADATA, title_page=page, blocks=(), banner="CONCEPT")
    assert render_markdown(document) == (
        "**CONCEPT**\n\n"
        "![Logo van de gemeente Dronten](logo.png)\n\n"
        "Gemeente Dronten\n\n"
        "# Integraal Veiligheidsbeleid\n\n"
        "*Startnotitie*\n\n"
        "2020-2023\n\n"
        "- Status: Concept\n- Versie: 0.3\n- Datum: 1 december 2019\n\n"
        "*Vastgesteld door de gemeenteraad op 9 januari 2020*\n"
    )


def test_headings_are_numbered_and_toc_lists_them() -> None:
    document = _doc(
        TableOfContents(), PageBreak(),
        Heading(1, "Inleiding"), Heading(2, "Aanleiding"), Heading(3, "Detail"),
        Heading(2, "Proces"), Heading(1, "Thema's"), Heading(2, "Ondermijning"),
        Heading(1, "Bijlage: Begrippen", numbered=False),
    )
    assert _body(document) == (
        "## Inhoud\n\n"
        "- 1 Inleiding\n  - 1.1 Aanleiding\n  - 1.2 Proces\n"
        "- 2 Thema's\n  - 2.1 Ondermijning\n- Bijlage: Begrippen\n\n"
        "## 1 Inleiding\n\n### 1.1 Aanleiding\n\n#### 1.1.1 Detail\n\n### 1.2 Proces\n\n"
        "## 2 Thema's\n\n### 2.1 Ondermijning\n\n## Bijlage: Begrippen\n"
    )


def test_inline_formatting_and_links() -> None:
    paragraph = _p("Zie ", Span("het CCV ", link="https://hetccv.nl/"), "en ",
                   Span("vooral", bold=True), Span(" dit", bold=True), " of ",
                   Span("dat", italic=True), ", ", Span("alles", bold=True, italic=True), ".")
    assert _body(_doc(paragraph)) == (
        "Zie [het CCV](https://hetccv.nl/) en **vooral dit** of *dat*, ***alles***.\n"
    )


def test_markup_characters_in_text_are_escaped() -> None:
    document = _doc(_p("2020. Een *ster*, [haken] en <b> & &amp;"), _p("# geen kop"))
    assert _body(document) == (
        "2020\\. Een \\*ster\\*, \\[haken\\] en \\<b> & \\&amp;\n\n\\# geen kop\n"
    )


def test_nested_and_adjacent_lists() -> None:
    document = _doc(
        _list("Terugkijken", ("Vernieuwen", _list("Analyse", "Gesprekken")), "Vaststellen",
              ordered=True),
        _list("Nieuwe lijst", ordered=True),
    )
    assert _body(document) == (
        "1. Terugkijken\n2. Vernieuwen\n   - Analyse\n   - Gesprekken\n3. Vaststellen\n\n"
        "<!-- -->\n\n1. Nieuwe lijst\n"
    )


def test_list_item_with_two_paragraphs_makes_a_loose_list() -> None:
    item = ListItem((_p("Eerste alinea."), _p("Tweede alinea.")))
    document = _doc(ListBlock((item, ListItem((_p("Volgende"),)))))
    assert _body(document) == "- Eerste alinea.\n\n  Tweede alinea.\n\n- Volgende\n"


def test_tables_are_pipe_tables_with_caption_and_notes() -> None:
    table = Table(
        caption="Criminaliteit",
        columns=(Column("Delict"), Column("2018", "right")),
        rows=(Row(("Woninginbraken", "121")), Row(("pogingen", "37"), indent=1),
              Row(("Totaal | alles", "1.655"), strong=True)),
        notes=("Bron: Politie.",),
    )
    second = Table(caption="Planning", columns=(Column("Actie"),), rows=(Row(("Opstellen",)),))
    assert _body(_doc(table, second)) == (
        "**Tabel 1:** Criminaliteit\n\n"
        "| Delict              |      2018 |\n"
        "| ------------------- | --------: |\n"
        "| Woninginbraken      |       121 |\n"
        "| &emsp;pogingen      |        37 |\n"
        "| **Totaal \\| alles** | **1.655** |\n\n"
        "Bron: Politie.\n\n"
        "**Tabel 2:** Planning\n\n"
        "| Actie     |\n| --------- |\n| Opstellen |\n"
    )


def test_review_notes_are_quoted() -> None:
    document = _doc(Heading(1, "Jeugd", review="Gewijzigd door Urk"), _p("Tekst", review="Nieuw"))
    assert _body(document) == (
        "## 1 Jeugd\n\n> **Opmerking:** Gewijzigd door Urk\n\nTekst\n\n"
        "> **Opmerking:** Nieuw\n"
    )


def test_output_is_stable() -> None:
    document = _doc(Heading(1, "Inleiding"), _p("Tekst"))
    assert render_markdown(document) == render_markdown(document)


# -- shared: heading numbers ----------------------------------------------------------


def test_heading_numbers_follow_word() -> None:
    blocks = (Heading(1, "A"), Heading(2, "A1"), Heading(1, "Bijlage", numbered=False),
              Heading(1, "B"), Heading(3, "B-diep"), Heading(2, "B1"))
    assert heading_numbers(blocks) == ["1", "1.1", None, "2", "2.1.1", "2.1"]


def test_heading_level_out_of_range_is_an_error() -> None:
    with pytest.raises(ValueError, match="heading level 4"):
        heading_numbers((Heading(4, "Te diep"),))


def test_title_page_facts_show_a_label_once_and_skip_empty_values() -> None:
    page = TitlePage(**{**TITLE_PAGE.__dict__, "version": "Versie 0.9", "date": ""})
    assert title_page_facts(page) == [("Status", "Concept"), ("Versie", "0.9")]


# -- shared: write_atomically ---------------------------------------------------------


def test_write_atomically_creates_parents_and_writes(tmp_path: Path) -> None:
    target = tmp_path / "build" / "dronten" / "ivb.docx"
    write_atomically(target, b"nieuw")
    assert target.read_bytes() == b"nieuw"
    assert os.listdir(target.parent) == ["ivb.docx"]
    write_atomically(target, b"vervangen")
    assert target.read_bytes() == b"vervangen"


def test_write_atomically_leaves_old_file_when_replace_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "ivb.docx"
    target.write_bytes(b"goed")

    def fail(source: str, destination: str) -> None:
        raise OSError("schijf vol")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="schijf vol"):
        write_atomically(target, b"half")
    assert target.read_bytes() == b"goed"
    assert os.listdir(tmp_path) == ["ivb.docx"]


def test_write_atomically_leaves_old_file_when_writing_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "ivb.docx"
    target.write_bytes(b"goed")

    def fail(fd: int) -> None:
        raise OSError("fsync mislukt")

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(OSError, match="fsync mislukt"):
        write_atomically(target, b"half")
    assert target.read_bytes() == b"goed"
    assert os.listdir(tmp_path) == ["ivb.docx"]
