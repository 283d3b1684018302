"""renvooi/diff.py and marks.py: the differences of two documents as marks, word by word.

The promise: accepting every change of a renvooi gives the new document and
rejecting every change gives the earlier one, whatever changed; and inside a
paragraph, heading or table cell only the words that changed are marked.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ivbcompose.document import (
    Block,
    Column,
    Document,
    Heading,
    ListBlock,
    ListItem,
    PageBreak,
    Paragraph,
    Row,
    Span,
    Table,
)
from ivbcompose.renvooi import (
    accept_all,
    appendix_title,
    change_rows,
    changed,
    mark_changes,
    mark_words,
    normalised,
    reject_all,
    renvooi,
)
from ivbcompose.writers.markdown import render_markdown

from .versions import DELETED_PARAGRAPH, NEW_CHAPTER, NEW_PARAGRAPH, composed, two_folders


def words(*parts: tuple[str, str | None]) -> tuple[Span, ...]:
    return tuple(Span(text, change=change) for text, change in parts)  # type: ignore[arg-type]


def test_only_the_changed_word_is_marked() -> None:
    marked = mark_words((Span("in het eerste kwartaal"),), (Span("in het tweede kwartaal"),))
    assert marked == words(("in het ", None), ("eerste", "deleted"), ("tweede", "inserted"),
                           (" kwartaal", None))


def test_the_space_between_two_changes_belongs_to_them() -> None:
    marked = mark_words((Span("oude tekst blijft"),), (Span("nieuwe woorden blijft"),))
    assert marked == words(("oude tekst", "deleted"), ("nieuwe woorden", "inserted"),
                           (" blijft", None))


def test_a_word_whose_formatting_changed_is_replaced() -> None:
    marked = mark_words((Span("een "), Span("woord")), (Span("een "), Span("woord", bold=True)))
    assert marked == (Span("een "), Span("woord", change="deleted"),
                      Span("woord", bold=True, change="inserted"))


def test_blocks_without_a_partner_are_inserted_or_deleted_whole() -> None:
    old: list[Block] = [Heading(1, "Een"), Paragraph((Span("Blijft staan."),)),
                        Paragraph((Span("Gaat helemaal weg, want niemand wil dit."),)),
                        PageBreak()]
    new: list[Block] = [Heading(1, "Een"), Paragraph((Span("Blijft staan."),)),
                        ListBlock((ListItem((Paragraph((Span("Nieuw punt"),)),)),))]
    marked = mark_changes(old, new)
    assert marked == [old[0], old[1], replace(old[2], change="deleted"),  # type: ignore[type-var]
                      replace(new[2], change="inserted")]  # type: ignore[type-var]


def test_a_heading_of_the_same_item_keeps_its_place_and_marks_its_words() -> None:
    marked = mark_changes([Heading(2, "Doel van dit document", "doel")],
                          [Heading(2, "Doel en opzet van dit document", "doel")])
    assert marked == [Heading(2, "Doel en opzet van dit document", "doel",
                              marked=words(("Doel", None), (" en opzet", "inserted"),
                                           (" van dit document", None)))]
    # Of the same item (its id) however different the words: the one heading, not two.
    (renamed,) = mark_changes([Heading(2, "Doel", "doel")], [Heading(2, "Waarom", "doel")])
    assert isinstance(renamed, Heading) and renamed.change is None
    assert renamed.marked == words(("Doel", "deleted"), ("Waarom", "inserted"))


def test_table_rows_are_compared_row_by_row_and_cell_by_cell() -> None:
    columns = (Column("Jaar"), Column("Aantal", "right"))
    old = Table("Cijfers", columns, (Row(("2019", "10")), Row(("2020", "12")), Row(("2021", "9"))))
    new = Table("Cijfers", columns, (Row(("2019", "10")), Row(("2021", "11")), Row(("2022", "8"))))
    (table,) = mark_changes([old], [new])
    assert isinstance(table, Table) and table.change is None
    assert table.rows == (
        Row(("2019", "10")),
        Row(("2020", "12"), change="deleted"),
        Row(("2021", "11"), marked=(words(("2021", None)),
                                    words(("9", "deleted"), ("11", "inserted")))),
        Row(("2022", "8"), change="inserted"),
    )
    document = Document(None, None, (table,))  # type: ignore[arg-type]
    assert accept_all(document).blocks == (new,)
    assert reject_all(document).blocks == (old,)


def test_a_table_with_other_columns_replaces_the_earlier_one() -> None:
    old = Table("Cijfers", (Column("Jaar"),), (Row(("2019",)),))
    new = Table("Cijfers", (Column("Jaar"), Column("Aantal")), (Row(("2019", "1")),))
    assert mark_changes([old], [new]) == [replace(old, change="deleted"),
                                          replace(new, change="inserted")]


def _without_breaks(document: Document) -> list[Block]:
    return [b for b in normalised(document).blocks if not isinstance(b, PageBreak)]


def test_accept_all_gives_the_new_document_and_reject_all_the_earlier(tmp_path: Path) -> None:
    old_project, new_project = two_folders(tmp_path)
    _, old = composed(old_project)
    _, new = composed(new_project)
    marked = replace(new, blocks=tuple(mark_changes(old.blocks, new.blocks)))
    assert changed(marked)
    assert normalised(accept_all(marked)) == normalised(new)
    assert _without_breaks(reject_all(marked)) == _without_breaks(old)


def test_the_appendix_names_every_change_in_words(tmp_path: Path) -> None:
    old_project, new_project = two_folders(tmp_path)
    composition, new = composed(new_project)
    _, old = composed(old_project)
    result = renvooi(old, new, composition.ivb.document.chapter_start)
    heading = next(b for b in result.blocks if isinstance(b, Heading)
                   and b.text == appendix_title("0.9"))
    assert heading.text == "Bijlage: Wijzigingen ten opzichte van versie 0.9"
    assert not heading.numbered
    table = result.blocks[-1]
    assert isinstance(table, Table) and table.rows
    said = [" | ".join(row.cells) for row in table.rows]
    expected = [
        "‘veel’ toegevoegd", "‘zeker’ toegevoegd", "‘eerste’ vervangen door ‘tweede’",
        f"Alinea toegevoegd: ‘{NEW_PARAGRAPH}’", "Alinea verwijderd: ‘Dronten schrijft",
        "Titel gewijzigd: ‘en opzet’ toegevoegd",
        "‘Commissievergadering over’ vervangen door ‘Raadscommissie bespreekt’",
        "rij verwijderd: ‘Q4 2019, Analyse van het huidige veiligheidsbeleid, OOV’",
        "Opsommingspunt toegevoegd: ‘Reclassering Nederland’",
        f"{NEW_CHAPTER} | Hoofdstuk toegevoegd",
    ]
    for text in expected:
        assert any(text in line for line in said), (text, said)
    # In document order: the introduction's changes come before the process chapter's.
    assert said[0].startswith("1 Inleiding")
    # A chapter added whole is one row, not one per paragraph in it.
    assert not any("Halverwege de periode" in line for line in said)
    # The changes were all found once: the rows are the marks, nothing more.
    assert list(change_rows(result.blocks[:-4])) == [tuple(row.cells) for row in table.rows]


def test_two_equal_versions_give_no_marks_and_say_so(tmp_path: Path) -> None:
    old_project, _ = two_folders(tmp_path)
    composition, document = composed(old_project)
    result = renvooi(document, document, composition.ivb.document.chapter_start)
    assert not changed(result)
    last = result.blocks[-1]
    assert isinstance(last, Paragraph)
    assert "inhoudelijk gelijk aan versie 0.9" in last.spans[0].text


def test_markdown_marks_the_same_changes_as_text(tmp_path: Path) -> None:
    old_project, new_project = two_folders(tmp_path)
    composition, new = composed(new_project)
    _, old = composed(old_project)
    text = render_markdown(renvooi(old, new, composition.ivb.document.chapter_start))
    assert "{++veel ++}extra geld" in text
    assert "{--eerste--}{++tweede++} kwartaal" in text
    assert f"{{++{NEW_PARAGRAPH}++}}" in text
    assert f"{{--{DELETED_PARAGRAPH}" in text
    assert "| {--Q4 2019--}" in text
    assert "- {++Reclassering Nederland++}" in text
    assert "{--Commissievergadering over--}{++Raadscommissie bespreekt++}" in text
    chapter = next(line for line in text.splitlines() if NEW_CHAPTER in line
                   and line.startswith("## "))
    assert chapter.startswith("## {++") and chapter.endswith("++}")
    assert "## Bijlage: Wijzigingen ten opzichte van versie 0.9" in text
    # Without a renvooi the writer writes no marks at all.
    assert "{++" not in render_markdown(new) and "{--" not in render_markdown(new)
