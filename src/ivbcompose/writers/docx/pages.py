"""A rough page estimate, so the prefilled table of contents shows page numbers.

Word recomputes the table of contents when it opens the file; LibreOffice
(and so a PDF made with it) shows the prefilled result as it is. Lines are
estimated from character counts and the house style's sizes. The estimate is
only a fallback for page numbers: a converter that updates indexes gets exact
ones. It also decides the page breaks that depend on how full a page is
(`PageBreak.min_fill`), which no word processor can be asked to do; the
decision is written into the document, so Word and LibreOffice agree on it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ...document import (
    Block,
    Chart,
    Heading,
    ListBlock,
    PageBreak,
    Paragraph,
    Table,
    TableOfContents,
)
from .columns import column_widths

__all__ = ["PageGeometry", "PagePlan", "plan_pages"]

_CHAR_WIDTH_EM = 0.45  # average width of a character of Dutch text in Arial
_LINE_EM = 1.15  # Arial's line height, before line spacing
# How far off the estimate of a page's fill may be, as a fraction of the page: a
# conditional break is made only when the page is surely full enough. In doubt,
# the next chapter follows on the same page, which never leaves a page emptier.
_MARGIN = 0.1
# These metrics put about 6% more height on a page than LibreOffice draws (measured
# on the fixture documents, whose pages are mostly tables and lists); the pager
# counts with a page that much taller.
_FIT = 1.06


@dataclass(frozen=True)
class _Metrics:
    """How one kind of paragraph takes space, in points."""

    size: float
    spacing: float = 1.15
    before: float = 0.0
    after: float = 8.0
    indent: float = 0.0

    @property
    def line(self) -> float:
        return self.size * _LINE_EM * self.spacing


_BODY = _Metrics(10.5)
_LEAD = _Metrics(12, 1.2, after=10)
_NOTE = _Metrics(8, 1.0, before=4, after=3)
_LIST = _Metrics(10.5, after=3, indent=20)
_TOC = _Metrics(10.5, after=2)
_CAPTION = _Metrics(9.5, 1.0, before=10, after=4)
_CELL = _Metrics(9, 1.0, before=2.85, after=2.85)
_CELL_PADDING = 8.5  # the house table style's left and right cell margins together
_HEADINGS = {1: _Metrics(18, 1.0, after=24), 2: _Metrics(14, 1.0, before=18, after=6),
             3: _Metrics(11.5, 1.0, before=12, after=4)}
# The space above a chapter heading that does not start a page (see blocks.py).
CHAPTER_GAP_PT = 30.0


@dataclass(frozen=True)
class PageGeometry:
    """The writing area of a page, in points."""

    width: float
    height: float


class _Pager:
    """Places lines top to bottom and counts pages."""

    def __init__(self, geometry: PageGeometry) -> None:
        self.geometry = geometry
        self.height = geometry.height * _FIT
        self.page = 1
        self.used = 0.0

    def new_page(self) -> None:
        if self.used > 0:
            self.page += 1
            self.used = 0.0

    def room(self) -> float:
        return self.height - self.used

    def place(self, height: float) -> None:
        if height > self.room() and self.used > 0:
            self.new_page()
        self.used += height

    def text(self, text: str, metrics: _Metrics, width: float | None = None) -> None:
        lines = _lines(text, metrics, (width or self.geometry.width) - metrics.indent)
        self.used += metrics.before if self.used > 0 else 0.0
        for _ in range(lines):
            self.place(metrics.line)
        self.used += metrics.after


@dataclass(frozen=True)
class PagePlan:
    """The estimated page of each heading, and whether each page break is made.

    `breaks` has one entry per `PageBreak` block, in order: True where the
    next block starts a new page.
    """

    heading_pages: tuple[int, ...]
    breaks: tuple[bool, ...]


def plan_pages(blocks: Sequence[Block], geometry: PageGeometry) -> PagePlan:
    """Lay `blocks` out on estimated pages; the cover is page 1."""
    pager = _Pager(geometry)
    pager.used = 1.0  # the cover
    pages: list[int] = []
    breaks: list[bool] = []
    headings = [block for block in blocks if isinstance(block, Heading)]
    pending_break = True
    for block in blocks:
        if isinstance(block, PageBreak):
            made = block.min_fill <= 0 or \
                pager.used >= (block.min_fill + _MARGIN) * pager.height
            breaks.append(made)
            pending_break = pending_break or made
            continue
        if pending_break or isinstance(block, TableOfContents):
            pager.new_page()
        elif isinstance(block, Heading) and block.level == 1 and pager.used > 0:
            pager.used += CHAPTER_GAP_PT
        pending_break = False
        if isinstance(block, Heading):
            metrics = _HEADINGS.get(block.level, _BODY)
            if pager.room() < metrics.before + metrics.line + metrics.after + _BODY.line:
                pager.new_page()  # kept with the first line of what follows
            pager.text(block.text, metrics)
            pages.append(pager.page)
        elif isinstance(block, TableOfContents):
            pager.text(block.title, _HEADINGS[1])
            for heading in headings:
                if heading.level <= block.depth:
                    pager.text(heading.text, _TOC, geometry.width - 60)
        else:
            _place_block(block, pager)
    return PagePlan(tuple(max(page, 1) for page in pages), tuple(breaks))


def _place_block(block: Block, pager: _Pager) -> None:
    if isinstance(block, Paragraph):
        metrics = {"lead": _LEAD, "note": _NOTE}.get(block.style, _BODY)
        pager.text("".join(span.text for span in block.spans), metrics)
    elif isinstance(block, ListBlock):
        _place_list(block, pager, 1)
    elif isinstance(block, Table):
        _place_table(block, pager)
    elif isinstance(block, Chart):
        pager.place(block.width_cm * 0.45 * 28.35)  # its height in points, as drawn
        pager.text(block.caption, _BODY)


def _place_list(block: ListBlock, pager: _Pager, depth: int) -> None:
    width = pager.geometry.width - 20 * (depth - 1)
    for item in block.items:
        for child in item.blocks:
            if isinstance(child, ListBlock):
                _place_list(child, pager, depth + 1)
            else:
                pager.text("".join(span.text for span in child.spans), _LIST, width)


def _place_table(table: Table, pager: _Pager) -> None:
    caption = _CAPTION.line if table.caption is not None else 0.0
    if pager.room() < caption + 3 * (_CELL.line + 6):
        pager.new_page()
    if table.caption is not None:
        pager.text(table.caption, _CAPTION)
    widths = [twips / 20 for twips in column_widths(table, round(pager.geometry.width * 20))]
    for cells in [tuple(c.label for c in table.columns), *(row.cells for row in table.rows)]:
        lines = max((_lines(cell, _CELL, width - _CELL_PADDING)
                     for cell, width in zip(cells, widths, strict=False)), default=1)
        pager.place(lines * _CELL.line + _CELL.before + _CELL.after)
    for note in table.notes:
        pager.text(note, _NOTE)
    pager.used += _BODY.after


def _lines(text: str, metrics: _Metrics, width: float) -> int:
    per_line = max(int(width / (metrics.size * _CHAR_WIDTH_EM)), 10)
    return sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))
