"""Content model → document IR: this is where "how an IVB looks" lives.

The frame around the chapters (title page, contents, the appendix of local
differences) is laid out in `frame.py` and `account.py`; the chapters follow
the outline the shared part wrote, each block through the layout function its
type registered (`registry.py`). Writers only draw what this returns.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from ..account import account_blocks, in_document_order, mark_for_review
from ..differences import Difference
from ..document import Block, Document, Heading, PageBreak, TableOfContents
from ..model import BlockModel, Ivb, Section
from ..model.meta import ChapterStart
from ..money import MeasureCost, costs_for
from .blocks import BlockContext, text_blocks
from .confidential import MarkedBlocks, banner, marked, marked_differences
from .frame import footer, metadata, status_banner, title_page

__all__ = ["AUTO_MIN_FILL", "BlockLayout", "LayoutOptions", "chapter_break", "lay_out"]

# How full a page must be before a chapter may leave the rest of it empty ("auto").
AUTO_MIN_FILL = 1 / 3


class BlockLayout(Protocol):
    """What lays out a block: the registry of block types (`registry.BLOCK_TYPES`)."""

    def lay_out(self, block: BlockModel, ctx: BlockContext) -> list[Block]: ...


@dataclass(frozen=True)
class LayoutOptions:
    """How to lay out one municipality's document.

    `logo_path` is the resolved path of the municipality's logo, if it has one;
    `differences` are its local differences from the shared part, listed in the
    appendix; `review` also marks each of them where it shows in the document.
    `internal` lays out the internal document: "VERTROUWELIJK" in every page
    header (a document that holds a confidential item gets it all the same).
    """

    municipality_id: str = ""
    logo_path: str | None = None
    differences: tuple[Difference, ...] = ()
    review: bool = False
    internal: bool = False


def lay_out(ivb: Ivb, blocks: BlockLayout, options: LayoutOptions | None = None) -> Document:
    """The whole document for one municipality; `blocks` lays out each content block."""
    options = options or LayoutOptions()
    # Confidential items (only an internal composition has them) are marked before any
    # block shows their names; the page header says so on every page.
    header = banner(status_banner(ivb.document), ivb, options.internal)
    ivb, blocks = marked(ivb), MarkedBlocks(blocks)
    # Worked out once: the measures' tables, the finances and the cycle all show costs.
    costs = {cost.measure.id: cost for cost in costs_for(ivb, options.municipality_id)}
    body: list[Block] = [TableOfContents(), PageBreak()]
    for index, chapter in enumerate(ivb.chapters):
        if index:
            body += chapter_break(ivb.document.chapter_start)
        body += _section(chapter, 1, ivb, blocks, options, costs)
    found = marked_differences(in_document_order(options.differences, body), ivb)
    body += chapter_break(ivb.document.chapter_start)
    body += account_blocks(ivb.municipality, ivb.basisteam, found)
    if options.review:
        body = mark_for_review(body, ivb.municipality, options.differences)
    return Document(
        metadata=metadata(ivb),
        title_page=title_page(ivb, options.logo_path),
        blocks=tuple(body),
        banner=header,
        footer=footer(ivb),
    )


def chapter_break(choice: ChapterStart) -> list[Block]:
    """What comes between two chapters (the appendix counts as one) in the house style.

    "auto" breaks the page only when the page the previous chapter ends on is
    at least a third full: a chapter that spills a few lines onto a page, or a
    chapter of three lines on a page of its own, is followed on the same page
    by the next chapter (whose heading keeps with its text) instead of leaving
    that page near empty. Only a writer with pages can tell how full a page is.
    """
    match choice:
        case "new_page":
            return [PageBreak()]
        case "flow":
            return []
    return [PageBreak(min_fill=AUTO_MIN_FILL)]


def _section(section: Section, level: int, ivb: Ivb, blocks: BlockLayout,
             options: LayoutOptions, costs: Mapping[str, MeasureCost]) -> list[Block]:
    ctx = BlockContext(level, options.municipality_id, ivb, costs)
    result: list[Block] = [Heading(level, section.title, section.id),
                           *text_blocks(section.intro), *text_blocks(section.body)]
    for block in section.blocks:
        result += blocks.lay_out(block, ctx)
    for child in section.sections:
        result += _section(child, level + 1, ivb, blocks, options, costs)
    return result
