"""A rough page estimate, so the prefilled table of contents shows page numbers.

Word recomputes the table of contents when it opens the file; LibreOffice
(and so a PDF made with it) shows the prefilled result as it is. Lines are
estimated from character counts and the house style's sizes; every chapter
starts on a new page, so an error stays within one chapter. The estimate is
only a fallback: a converter that updates indexes gets exact numbers.
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

__all__ = ["PageGeometry", "estimate_heading_pages"]

_CHAR_WIDTH_EM = 0.5  # average width of a character of Dutch text in Arial
_LINE_EM = 1.15  # Arial's line height, before line spacing


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
_HEADINGS = {1: _Metrics(18, 1.0, after=24), 2: _Metrics(14, 1.0, before=18, after=6),
             3: _Metrics(11.5, 1.0, before=12, after=4)}


@dataclass(frozen=True)
class PageGeometry:
    """The writing area of a page, in points."""

    width: float
    height: float


class _Pager:
    """Places lines top to bottom and counts pages."""

    def __init__(self, geometry: PageGeometry) -> None:
        self.geometry = geometry
        self.page = 1
        self.used = 0.0

    def new_page(self) -> None:
        if self.used > 0:
            self.page += 1
            self.used = 0.0

    def room(self) -> float:
        return self.geometry.height - self.used

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


def estimate_heading_pages(blocks: Sequence[Block], geometry: PageGeometry) -> list[int]:
    """The estimated page of each heading in `blocks`, in order; the cover is page 1."""
    pager = _Pager(geometry)
    pager.used = 1.0  # the cover
    pages: list[int] = []
    headings = [block for block in blocks if isinstance(block, Heading)]
    pending_break = True
    for block in blocks:
        if isinstance(block, PageBreak):
            pending_break = True
            continue
        if pending_break or isinstance(block, (TableOfContents,)) or (
                isinstance(block, Heading) and block.level == 1):
            pager.new_page()
            pending_break = False
        if isinstance(block, Heading):
            metrics = _HEADINGS.get(block.level, _BODY)
            if pager.room() < metrics.before + metrics.line + 3 * _BODY.line:
                pager.new_page()  # keep with next: a heading never ends a page
            pager.text(block.text, metrics)
            pages.append(pager.page)
        elif isinstance(block, TableOfContents):
            pager.text(block.title, _HEADINGS[1])
            for heading in headings:
                if heading.level <= block.depth:
                    pager.text(heading.text, _TOC, geometry.width - 60)
        else:
            _place_block(block, pager)
    return [max(page, 1) for page in pages]


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
    count = max(len(table.columns), 1)
    width = pager.geometry.width / count
    for cells in [tuple(c.label for c in table.columns), *(row.cells for row in table.rows)]:
        lines = max((_lines(cell, _CELL, width - 9) for cell in cells), default=1)
        pager.place(lines * _CELL.line + _CELL.before + _CELL.after)
    for note in table.notes:
        pager.text(note, _NOTE)
    pager.used += _BODY.after


def _lines(text: str, metrics: _Metrics, width: float) -> int:
    per_line = max(int(width / (metrics.size * _CHAR_WIDTH_EM)), 10)
    return sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))
