"""What the block renderers read (Context) apart from what they accumulate (State).

The context is fixed before the first block is written: style ids, numbering
ids, the outline of all headings with their numbers and bookmark names, so
that the table of contents and links can point forward, and which of the
conditional page breaks are made. The state collects
what grows while writing: bookmark ids, the table counter, review notes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from ...document import Block, Chart, Heading, Table
from .. import heading_numbers
from .numbering import ListNumbering, Numbering
from .oxml import Element
from .pages import PageGeometry, plan_pages
from .styles import StyleMap

__all__ = ["Context", "OutlineEntry", "State", "plan_outline"]

_BOOKMARK_MAX = 40  # Word silently drops longer bookmark names


@dataclass(frozen=True)
class OutlineEntry:
    """One heading as the table of contents shows it."""

    level: int
    number: str | None
    text: str
    bookmark: str
    page: int


@dataclass(frozen=True)
class Context:
    """Read-only facts for rendering one document."""

    styles: StyleMap
    lists: ListNumbering
    outline: tuple[OutlineEntry, ...]
    anchors: Mapping[str, str]
    text_width: int
    relate_link: Callable[[str], str]
    picture: Callable[[Path | BinaryIO, float], Element]  # an image file, or its bytes
    chart: Callable[[Chart], Element]  # the wp:inline of a native chart, its part added
    resource_dir: Path | None = None
    page_breaks: tuple[bool, ...] = ()  # one per PageBreak block: is it made?


@dataclass
class State:
    """What accumulates while the body is written; one instance per render."""

    numbering: Numbering
    next_bookmark_id: int = 0
    heading_index: int = 0
    table_count: int = 0
    page_break_pending: bool = False
    page_break_index: int = 0
    gap_pending: bool = False
    reviews: list[tuple[Element, str]] = field(default_factory=list)

    def bookmark_id(self) -> int:
        """A fresh w:id for a bookmark."""
        self.next_bookmark_id += 1
        return self.next_bookmark_id


def plan_outline(
    blocks: Sequence[Block], geometry: PageGeometry
) -> tuple[tuple[OutlineEntry, ...], dict[str, str], tuple[bool, ...]]:
    """Number all headings, estimate their pages, and name bookmarks for headings and tables.

    Returns the outline (one entry per heading, in order), the map from IR
    anchors to bookmark names, used by internal links, and for each page break
    whether it is made (`PagePlan.breaks`).
    """
    taken: set[str] = set()
    anchors: dict[str, str] = {}
    outline: list[OutlineEntry] = []
    numbers = iter(heading_numbers(blocks))
    plan = plan_pages(blocks, geometry)
    pages = iter(plan.heading_pages)
    for block in blocks:
        if isinstance(block, Heading):
            name = _bookmark_name(block.anchor, f"_Kop{len(outline) + 1}", taken)
            outline.append(OutlineEntry(block.level, next(numbers), block.text, name,
                                        next(pages)))
            if block.anchor:
                anchors.setdefault(block.anchor, name)
        elif isinstance(block, Table) and block.anchor:
            anchors.setdefault(block.anchor, _bookmark_name(block.anchor, "_Tabel", taken))
    return tuple(outline), anchors, plan.breaks


def _bookmark_name(anchor: str | None, fallback: str, taken: set[str]) -> str:
    """A valid, unique bookmark name: a letter first, then letters, digits, underscores."""
    base = re.sub(r"\W+", "_", anchor, flags=re.ASCII).strip("_") if anchor else ""
    if not base or not base[0].isalpha():
        base = fallback + (f"_{base}" if base else "")
    base = base[:_BOOKMARK_MAX]
    name, counter = base, 1
    while name in taken:
        counter += 1
        suffix = f"_{counter}"
        name = base[: _BOOKMARK_MAX - len(suffix)] + suffix
    taken.add(name)
    return name
