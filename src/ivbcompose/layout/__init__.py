"""Content model → document IR: this is where "how an IVB looks" lives.

The frame around the chapters (title page, contents, the appendix of local
differences) is laid out in `frame.py` and `account.py`; the chapters follow
the outline the shared part wrote, each block through the layout function its
type registered (`registry.py`). Writers only draw what this returns.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from ..account import account_blocks, mark_for_review
from ..differences import Difference
from ..document import Block, Document, Heading, PageBreak, TableOfContents
from ..model import BlockModel, Ivb, Section
from .blocks import BlockContext, text_blocks
from .frame import footer, metadata, status_banner, title_page

__all__ = ["BlockLayout", "LayoutOptions", "lay_out"]


class BlockLayout(Protocol):
    """What lays out a block: the registry of block types (`registry.BLOCK_TYPES`)."""

    def lay_out(self, block: BlockModel, ctx: BlockContext) -> list[Block]: ...


@dataclass(frozen=True)
class LayoutOptions:
    """How to lay out one municipality's document.

    `logo_path` is the resolved path of the municipality's logo, if it has one;
    `differences` are its local differences from the shared part, listed in the
    appendix; `review` also marks each of them where it shows in the document.
    """

    municipality_id: str = ""
    logo_path: str | None = None
    differences: tuple[Difference, ...] = ()
    review: bool = False


def lay_out(ivb: Ivb, blocks: BlockLayout, options: LayoutOptions | None = None) -> Document:
    """The whole document for one municipality; `blocks` lays out each content block."""
    options = options or LayoutOptions()
    body: list[Block] = [TableOfContents(), PageBreak()]
    for chapter in ivb.chapters:
        body += _section(chapter, 1, ivb, blocks, options)
    body += account_blocks(ivb.municipality, ivb.basisteam, options.differences)
    if options.review:
        body = mark_for_review(body, ivb.municipality, options.differences)
    return Document(
        metadata=metadata(ivb),
        title_page=title_page(ivb, options.logo_path),
        blocks=tuple(body),
        banner=status_banner(ivb.document),
        footer=footer(ivb),
    )


def _section(section: Section, level: int, ivb: Ivb, blocks: BlockLayout,
             options: LayoutOptions) -> list[Block]:
    ctx = BlockContext(level, options.municipality_id, ivb)
    result: list[Block] = [Heading(level, section.title, section.id),
                           *text_blocks(section.intro), *text_blocks(section.body)]
    for block in section.blocks:
        result += blocks.lay_out(block, ctx)
    for child in section.sections:
        result += _section(child, level + 1, ivb, blocks, options)
    return result
