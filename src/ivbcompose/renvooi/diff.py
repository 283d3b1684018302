"""The differences between two laid-out documents, as change marks in the IR.

`mark_changes` aligns the blocks of the earlier and the new document
(difflib's SequenceMatcher over whole blocks), then pairs, in order, the blocks
of each changed stretch that are of the same kind and alike (a paragraph with a
paragraph, a table with the same columns, a heading of the same item) and
compares those word by word: inside paragraphs, headings, list items and table
cells only the words that changed are marked. A block without a partner is
marked inserted or deleted as a whole. What comes out holds both versions:
`marks.accept_all` gives the new one, `marks.reject_all` the earlier one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import replace
from difflib import SequenceMatcher
from typing import TypeVar

from ..document import (
    Block,
    Change,
    Chart,
    Column,
    Heading,
    ListBlock,
    ListItem,
    PageBreak,
    Paragraph,
    Row,
    Span,
    Table,
    TableOfContents,
)
from .marks import joined

__all__ = ["SIMILAR", "mark_changes", "mark_words"]

# Two blocks of a changed stretch at least this alike (difflib's ratio of their
# words) are one block whose words changed; less alike, one replaced the other.
SIMILAR = 0.5
_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")
_T = TypeVar("_T")


def mark_changes(old: Sequence[Block], new: Sequence[Block]) -> list[Block]:
    """The blocks of `new` with what changed since `old` marked, deleted blocks included.

    Page breaks and the table of contents are the new document's: they hold no
    text of their own to compare.
    """
    result: list[Block] = []
    for before, after in _pairs(old, new, _key, _kind, _similar):
        if after is None:
            if before is not None and not isinstance(before, PageBreak | TableOfContents):
                result.append(_whole(before, "deleted"))
        elif before is None:
            result.append(_whole(after, "inserted"))
        else:
            result.append(_merge(before, after))
    return result


def mark_words(old: Sequence[Span], new: Sequence[Span]) -> tuple[Span, ...]:
    """The spans of `new` with the words deleted from `old` and inserted in `new` marked.

    A word whose formatting (bold, italic, link) changed counts as replaced. The
    spaces between two changes belong to them, so "a b" → "c d" reads as one
    replacement, not two with an unchanged space between.
    """
    before, after = _tokens(old), _tokens(new)
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    segments: list[tuple[bool, list[Span], list[Span]]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        segments.append((tag == "equal", before[i1:i2], after[j1:j2]))
    folded: list[tuple[bool, list[Span], list[Span]]] = []
    for index, (equal, gone, come) in enumerate(segments):
        between = 0 < index < len(segments) - 1
        if equal and between and all(not span.text.strip() for span in come):
            equal = False  # only spaces between two changes: part of them
        if not equal and folded and not folded[-1][0]:
            _, was_gone, was_come = folded.pop()
            gone, come = was_gone + gone, was_come + come
        folded.append((equal, list(gone), list(come)))
    spans: list[Span] = []
    for equal, gone, come in folded:
        if equal:
            spans.extend(come)
        else:
            spans.extend(replace(span, change="deleted") for span in gone)
            spans.extend(replace(span, change="inserted") for span in come)
    return joined(spans)


def _tokens(spans: Sequence[Span]) -> list[Span]:
    """Words, spaces and punctuation, each a span with its formatting and no change."""
    return [Span(token, span.bold, span.italic, span.link) for span in spans
            for token in _TOKEN.findall(span.text)]


def _pairs(old: Sequence[_T], new: Sequence[_T], key: Callable[[_T], Hashable],
           kind: Callable[[_T], Hashable],
           similar: Callable[[_T, _T], bool]) -> Iterator[tuple[_T | None, _T | None]]:
    """The two sequences aligned: (old, new) for what stayed or changed, (old, None) for
    what was deleted, (None, new) for what was inserted; deletions before insertions."""
    keys_old, keys_new = [key(x) for x in old], [key(x) for x in new]
    matcher = SequenceMatcher(None, keys_old, keys_new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            yield from zip(old[i1:i2], new[j1:j2], strict=True)
            continue
        yield from _partners(old[i1:i2], new[j1:j2],
                             lambda a, b: kind(a) == kind(b) and similar(a, b))


def _partners(gone: Sequence[_T], come: Sequence[_T],
              alike: Callable[[_T, _T], bool]) -> Iterator[tuple[_T | None, _T | None]]:
    """A changed stretch: each earlier item paired with the first alike new item after the
    last pair (in order, so nothing moves), the rest deleted or inserted."""
    start = 0
    for before in gone:
        partner = next((j for j in range(start, len(come)) if alike(before, come[j])), None)
        if partner is None:
            yield before, None
            continue
        for after in come[start:partner]:
            yield None, after
        yield before, come[partner]
        start = partner + 1
    for after in come[start:]:
        yield None, after


def _key(block: Block) -> Hashable:
    """What makes two blocks the same: everything but a review note."""
    if isinstance(block, Heading | Paragraph | ListBlock | Table):
        return replace(block, review=None)
    return block


def _kind(block: Block) -> Hashable:
    """What two blocks must share to be compared word by word."""
    match block:
        case Heading():
            return "heading", block.level, block.numbered
        case Paragraph():
            return "paragraph", block.style
        case ListBlock():
            return "list", block.ordered
        case Table():
            return "table", len(block.columns), block.caption is None
    return type(block).__name__


def _similar(before: Block, after: Block) -> bool:
    match before, after:
        case (Heading(), Heading()) | (Table(), Table()) if before.anchor is not None:
            # The same item (its id), however much its wording changed.
            return before.anchor == after.anchor or _ratio(_text(before), _text(after)) >= SIMILAR
        case (Chart(), Chart()) | (TableOfContents(), TableOfContents()) | \
                (PageBreak(), PageBreak()):
            # A chart is drawn whole: a changed one replaces the earlier one.
            return not isinstance(before, Chart)
    return _ratio(_text(before), _text(after)) >= SIMILAR


def _ratio(a: str, b: str) -> float:
    return SequenceMatcher(None, _TOKEN.findall(a), _TOKEN.findall(b), autojunk=False).ratio()


def _text(block: Block | ListItem | Row) -> str:
    match block:
        case Heading():
            return block.text
        case Paragraph():
            return "".join(span.text for span in block.spans)
        case ListBlock():
            return "\n".join(_text(item) for item in block.items)
        case ListItem():
            return "\n".join(_text(child) for child in block.blocks)
        case Row():
            return "\t".join(block.cells)
        case Table():
            return "\n".join([block.caption or "", *(c.label for c in block.columns),
                              *(_text(row) for row in block.rows)])
    return ""


def _whole(block: Block, change: Change) -> Block:
    if isinstance(block, PageBreak | TableOfContents):
        return block
    return replace(block, change=change)


def _merge(before: Block, after: Block) -> Block:
    if _key(before) == _key(after):
        return after
    match before, after:
        case Heading(), Heading():
            return replace(after, marked=mark_words((Span(before.text),), (Span(after.text),)))
        case Paragraph(), Paragraph():
            return replace(after, spans=mark_words(before.spans, after.spans))
        case ListBlock(), ListBlock():
            return replace(after, items=_items(before.items, after.items))
        case Table(), Table():
            return _table(before, after)
    return after


def _items(old: Sequence[ListItem], new: Sequence[ListItem]) -> tuple[ListItem, ...]:
    items: list[ListItem] = []
    for before, after in _pairs(old, new, lambda item: item, lambda _: "item",
                                lambda a, b: _ratio(_text(a), _text(b)) >= SIMILAR):
        if after is None:
            assert before is not None
            items.append(ListItem(tuple(_whole(b, "deleted") for b in before.blocks)))  # type: ignore[misc]
        elif before is None:
            items.append(ListItem(tuple(_whole(b, "inserted") for b in after.blocks)))  # type: ignore[misc]
        else:
            items.append(ListItem(tuple(mark_changes(before.blocks, after.blocks))))  # type: ignore[arg-type]
    return tuple(items)


def _table(before: Table, after: Table) -> Table:
    columns = tuple(
        new if old.label == new.label else
        Column(new.label, new.align, mark_words((Span(old.label),), (Span(new.label),)))
        for old, new in zip(before.columns, after.columns, strict=True))
    caption: tuple[Span, ...] = ()
    if before.caption != after.caption and before.caption is not None \
            and after.caption is not None:
        caption = mark_words((Span(before.caption),), (Span(after.caption),))
    rows: list[Row] = []
    for old, new in _pairs(before.rows, after.rows, lambda row: row,
                           lambda row: len(row.cells), _similar_rows):
        if new is None:
            assert old is not None
            rows.append(replace(old, change="deleted"))
        elif old is None:
            rows.append(replace(new, change="inserted"))
        elif old.cells == new.cells:
            rows.append(new)
        else:
            rows.append(replace(new, marked=tuple(
                mark_words((Span(a),), (Span(b),)) for a, b in zip(old.cells, new.cells,
                                                                   strict=True))))
    notes: list[tuple[Span, ...]] = []
    if before.notes != after.notes:
        for old_note, new_note in _pairs(before.notes, after.notes, lambda note: note,
                                         lambda _: "note",
                                         lambda a, b: _ratio(a, b) >= SIMILAR):
            if new_note is None:
                notes.append((Span(old_note or "", change="deleted"),))
            elif old_note is None:
                notes.append((Span(new_note, change="inserted"),))
            else:
                notes.append(mark_words((Span(old_note),), (Span(new_note),)))
    return replace(after, columns=columns, rows=tuple(rows), caption_marked=caption,
                   notes_marked=tuple(notes))


def _similar_rows(before: Row, after: Row) -> bool:
    # A row of the same thing (its first cell, e.g. a year or a measure) whose figures changed.
    return (bool(before.cells) and before.cells[0] == after.cells[0]) or \
        _ratio(_text(before), _text(after)) >= SIMILAR
