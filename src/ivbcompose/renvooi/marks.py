"""Accepting or rejecting every change of a renvooi, on the document IR.

What a word processor does with "accept all" and "reject all", done on the IR:
`accept_all` of a renvooi is the new document, `reject_all` the earlier one
(both up to `normalised`: spans of equal formatting joined). The tests hold the
diff to that, and a writer without change marks can draw `accept_all` of a
renvooi instead of showing deleted text as if it stood.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from ..document import (
    Block,
    Change,
    Chart,
    Column,
    Document,
    Heading,
    ListBlock,
    ListItem,
    Paragraph,
    Row,
    Span,
    Table,
)

__all__ = ["accept_all", "changed", "joined", "normalised", "reject_all"]


def accept_all(document: Document) -> Document:
    """The document with every insertion kept and every deletion gone: the new version."""
    page = document.title_page
    return replace(document, blocks=_resolve(document.blocks, drop="deleted"),
                   title_page=replace(page, earlier=None) if page is not None else page)


def reject_all(document: Document) -> Document:
    """The document with every deletion kept and every insertion gone: the earlier version."""
    page = document.title_page
    return replace(document, blocks=_resolve(document.blocks, drop="inserted"),
                   title_page=page.earlier or page if page is not None else page)


def normalised(document: Document) -> Document:
    """The document with adjacent spans of equal formatting joined, as both versions of a
    renvooi come out of `accept_all` and `reject_all`; nothing else changes."""
    return replace(document, blocks=_resolve(document.blocks, drop=None))


def changed(document: Document) -> bool:
    """Whether the document holds any insertion or deletion."""
    return normalised(accept_all(document)) != normalised(reject_all(document))


def joined(spans: Iterable[Span]) -> tuple[Span, ...]:
    """Spans with empty ones left out and neighbours of equal formatting and change merged."""
    merged: list[Span] = []
    for span in spans:
        if not span.text:
            continue
        last = merged[-1] if merged else None
        if last is not None and _look(last) == _look(span):
            merged[-1] = replace(last, text=last.text + span.text)
        else:
            merged.append(span)
    return tuple(merged)


def _look(span: Span) -> tuple[bool, bool, str | None, Change | None]:
    return span.bold, span.italic, span.link, span.change


def _resolve(blocks: Iterable[Block], drop: Change | None) -> tuple[Block, ...]:
    kept: list[Block] = []
    for block in blocks:
        if drop is not None and getattr(block, "change", None) == drop:
            continue
        kept.append(_block(block, drop))
    return tuple(kept)


def _block(block: Block, drop: Change | None) -> Block:
    match block:
        case Heading():
            if drop is None:
                return block
            # `text` is the new wording; the marked words also hold the earlier one.
            text = _text(block.marked, drop) if block.marked else block.text
            return replace(block, text=text, marked=(), change=None)
        case Paragraph():
            return replace(block, spans=_spans(block.spans, drop),
                           change=None if drop is not None else block.change)
        case ListBlock():
            items = tuple(item for item in (_item(item, drop) for item in block.items)
                          if item.blocks)
            return replace(block, items=items,
                           change=None if drop is not None else block.change)
        case Table():
            return _table(block, drop) if drop is not None else replace(
                block, caption_marked=joined(block.caption_marked),
                notes_marked=tuple(joined(note) for note in block.notes_marked))
        case Chart():
            return replace(block, change=None) if drop is not None else block
    return block


def _item(item: ListItem, drop: Change | None) -> ListItem:
    resolved = _resolve(item.blocks, drop)
    # An item whose every paragraph was inserted (or deleted) goes with them.
    kept = tuple(b for b in resolved if not (isinstance(b, Paragraph) and not b.spans)
                 and not (isinstance(b, ListBlock) and not b.items))
    return ListItem(kept)  # type: ignore[arg-type]


def _spans(spans: Iterable[Span], drop: Change | None) -> tuple[Span, ...]:
    if drop is None:
        return joined(spans)
    return joined(replace(span, change=None) for span in spans if span.change != drop)


def _text(spans: Iterable[Span], drop: Change) -> str:
    return "".join(span.text for span in spans if span.change != drop)


def _table(table: Table, drop: Change) -> Table:
    rejecting = drop == "inserted"
    columns = tuple(Column(_text(c.marked, drop) if rejecting and c.marked else c.label,
                           c.align) for c in table.columns)
    rows = tuple(_row(row, drop) for row in table.rows if row.change != drop)
    caption = table.caption
    if rejecting and table.caption_marked:
        caption = _text(table.caption_marked, drop)
    notes = table.notes
    if rejecting and table.notes_marked:
        notes = tuple(text for text in (_text(note, drop) for note in table.notes_marked)
                      if text)
    return replace(table, caption=caption, columns=columns, rows=rows, notes=notes,
                   change=None, caption_marked=(), notes_marked=())


def _row(row: Row, drop: Change) -> Row:
    cells = row.cells
    if drop == "inserted" and row.marked:
        cells = tuple(_text(cell, drop) for cell in row.marked)
    return replace(row, cells=cells, change=None, marked=())
