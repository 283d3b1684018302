"""The appendix of a renvooi: every change since the earlier version, in words.

The marks in the text show a change by how it looks (underlined, struck
through, in colour); this appendix says the same in words, so nothing is told
by colour alone and a reader of a printed copy or a screen reader misses
nothing. It is laid out from the marked blocks themselves, in document order:
one row per changed heading, paragraph, list item, table row or chart. A
section added or removed as a whole is one row, not one per paragraph in it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ..document import (
    Block,
    Change,
    Chart,
    Column,
    Heading,
    ListBlock,
    ListItem,
    Paragraph,
    Row,
    Span,
    Table,
)
from ..writers import heading_numbers

__all__ = ["APPENDIX_ANCHOR", "appendix_title", "change_rows", "renvooi_appendix"]

APPENDIX_ANCHOR = "wijzigingen-renvooi"
_SNIPPET_WORDS = 12
_MAX_PIECES = 3
_ADDED = {"inserted": "toegevoegd", "deleted": "verwijderd"}


def appendix_title(version: str) -> str:
    """'Bijlage: Wijzigingen ten opzichte van versie 0.9'."""
    return f"Bijlage: Wijzigingen ten opzichte van versie {version}"


def renvooi_appendix(blocks: Sequence[Block], old_version: str, old_date: str,
                     new_version: str, new_date: str) -> list[Block]:
    """The appendix's heading, introduction and table of changes of the marked `blocks`."""
    title = appendix_title(old_version)
    result: list[Block] = [Heading(1, title, APPENDIX_ANCHOR, numbered=False)]
    rows = tuple(Row((place, what)) for place, what in change_rows(blocks))
    if not rows:
        result.append(Paragraph((Span(
            f"Versie {new_version} van {new_date} is inhoudelijk gelijk aan versie "
            f"{old_version} van {old_date}."),)))
        return result
    result.append(Paragraph((Span(
        f"Dit is versie {new_version} van {new_date}. Deze bijlage noemt elke wijziging ten "
        f"opzichte van versie {old_version} van {old_date}, in de volgorde van het document. "
        "In de tekst zelf zijn dezelfde wijzigingen gemarkeerd: wat is toegevoegd als "
        "invoeging, wat is geschrapt als verwijdering."),)))
    result.append(Table(f"Wijzigingen ten opzichte van versie {old_version}",
                        (Column("Onderdeel"), Column("Wijziging")), rows,
                        anchor="wijzigingen-renvooi-tabel"))
    return result


@dataclass
class _Walk:
    """Where the walk is: the heading the next change belongs to, and the section that
    was added or removed as a whole (its level and change), whose blocks it skips."""

    place: str = "Begin van het document"
    covered: tuple[int, Change] | None = None


def change_rows(blocks: Sequence[Block]) -> Iterator[tuple[str, str]]:
    """(where, what) for every change in `blocks`, in document order."""
    live = [b for b in blocks if isinstance(b, Heading) and b.change != "deleted"]
    numbers = dict(zip(map(id, live), heading_numbers(live), strict=True))
    walk = _Walk()
    for block in blocks:
        change = getattr(block, "change", None)
        if isinstance(block, Heading):
            if walk.covered is not None and (block.level <= walk.covered[0]
                                             or change != walk.covered[1]):
                walk.covered = None
            if walk.covered is not None:
                continue
            label = _label(block, numbers.get(id(block)))
            if change == "deleted":
                walk.covered = (block.level, change)
                yield block.text, f"{_part(block)} verwijderd"
                continue
            walk.place = label
            if change == "inserted":
                walk.covered = (block.level, change)
                yield label, f"{_part(block)} toegevoegd"
            elif block.marked:
                yield label, f"Titel gewijzigd: {_pieces(block.marked)}"
            continue
        if walk.covered is not None:
            if change == walk.covered[1]:
                continue
            walk.covered = None
        for what in _block_changes(block):
            yield walk.place, what


def _part(heading: Heading) -> str:
    return "Hoofdstuk" if heading.level == 1 else "Paragraaf"


def _label(heading: Heading, number: str | None) -> str:
    return f"{number} {heading.text}" if number else heading.text


def _block_changes(block: Block) -> Iterator[str]:
    change = getattr(block, "change", None)
    match block:
        case Paragraph():
            if change is not None:
                yield f"Alinea {_ADDED[change]}: {_quote(_plain(block.spans))}"
            elif _changed(block.spans):
                yield f"Tekst gewijzigd: {_pieces(block.spans)}"
        case ListBlock():
            if change is not None:
                yield f"Opsomming {_ADDED[change]}: {_quote(_item_text(block.items[0]))}" \
                    if block.items else f"Opsomming {_ADDED[change]}"
            else:
                yield from _item_changes(block.items)
        case Table():
            yield from _table_changes(block)
        case Chart():
            if change is not None:
                yield f"Grafiek {_ADDED[change]}: {_quote(block.caption)}"


def _item_changes(items: Sequence[ListItem]) -> Iterator[str]:
    for item in items:
        changes = {getattr(child, "change", None) for child in item.blocks}
        if len(changes) == 1 and None not in changes:
            (change,) = changes
            assert change is not None
            yield f"Opsommingspunt {_ADDED[change]}: {_quote(_item_text(item))}"
            continue
        for child in item.blocks:
            if isinstance(child, Paragraph):
                if child.change is not None:
                    yield f"Alinea {_ADDED[child.change]} in een opsommingspunt: " \
                          f"{_quote(_plain(child.spans))}"
                elif _changed(child.spans):
                    yield f"Opsommingspunt gewijzigd: {_pieces(child.spans)}"
            else:
                yield from _block_changes(child)


def _table_changes(table: Table) -> Iterator[str]:
    name = _quote(table.caption) if table.caption else "zonder titel"
    if table.change is not None:
        yield f"Tabel {_ADDED[table.change]}: {name}"
        return
    if table.caption_marked and _changed(table.caption_marked):
        yield f"Titel van tabel {name} gewijzigd: {_pieces(table.caption_marked)}"
    for column in table.columns:
        if column.marked and _changed(column.marked):
            yield f"Tabel {name}, kolomkop gewijzigd: {_pieces(column.marked)}"
    for row in table.rows:
        if row.change is not None:
            yield f"Tabel {name}, rij {_ADDED[row.change]}: {_quote(_row_text(row))}"
        elif row.marked and any(_changed(cell) for cell in row.marked):
            changed = [(column.label, cell) for column, cell in zip(table.columns, row.marked,
                                                                   strict=False)
                       if _changed(cell)]
            what = "; ".join(f"{label or 'kolom'} {_pieces(cell)}" for label, cell in changed)
            first = row.cells[0] if row.cells else ""
            yield f"Tabel {name}, rij {_quote(first)}: {what}"
    notes = [note for note in table.notes_marked if _changed(note)]
    if notes:
        yield f"Tabel {name}, toelichting gewijzigd: " + "; ".join(_pieces(n) for n in notes)


def _changed(spans: Sequence[Span]) -> bool:
    return any(span.change is not None for span in spans)


def _pieces(spans: Sequence[Span]) -> str:
    """"‘2022’ vervangen door ‘2023’; ‘en de wijken’ toegevoegd" for the changed words."""
    pieces: list[tuple[str, str]] = []
    gone = come = ""
    for span in (*spans, Span("")):
        if span.change == "deleted":
            gone += span.text
        elif span.change == "inserted":
            come += span.text
        else:
            if gone.strip() or come.strip():
                pieces.append((gone.strip(), come.strip()))
            gone = come = ""
    words = []
    for before, after in pieces[:_MAX_PIECES]:
        if before and after:
            words.append(f"{_quote(before)} vervangen door {_quote(after)}")
        elif after:
            words.append(f"{_quote(after)} toegevoegd")
        else:
            words.append(f"{_quote(before)} geschrapt")
    rest = len(pieces) - _MAX_PIECES
    if rest > 0:
        words.append(f"en nog {rest} {'wijziging' if rest == 1 else 'wijzigingen'}")
    return "; ".join(words)


def _plain(spans: Sequence[Span]) -> str:
    return "".join(span.text for span in spans)


def _item_text(item: ListItem) -> str:
    return next((_plain(child.spans) for child in item.blocks if isinstance(child, Paragraph)),
                "")


def _row_text(row: Row) -> str:
    return ", ".join(cell for cell in row.cells if cell)


def _quote(text: str) -> str:
    words = text.split()
    short = " ".join(words[:_SNIPPET_WORDS])
    return f"‘{short}…’" if len(words) > _SNIPPET_WORDS else f"‘{short}’"
