"""Body blocks: headings, paragraphs and lists, and the dispatch over all blocks.

Every renderer returns the body elements for its block; `render_blocks` appends
them and turns a pending page break into `pageBreakBefore` on the next
paragraph, so no empty paragraph is ever written for spacing or breaking (the
one exception keeps two tables that follow each other apart). A chapter starts
on a new page only where the layout put a page break that the page plan makes
(`pages.py`), whatever the heading style says. A renvooi's block that was
inserted or deleted as a whole is marked as a tracked change here (`tracked.py`),
its changed words by `inline.py`.
"""

from __future__ import annotations

from collections.abc import Iterable

from docx.oxml.ns import qn

from ...document import (
    Block,
    Change,
    Chart,
    Heading,
    ListBlock,
    PageBreak,
    Paragraph,
    Table,
    TableOfContents,
)
from . import oxml
from .context import Context, State
from .inline import span_content
from .oxml import Element
from .pages import CHAPTER_GAP_PT
from .tables import render_table
from .toc import render_toc
from .tracked import mark_paragraph

__all__ = ["emit", "render_blocks"]

_PARAGRAPH_ROLES = {"body": "normal", "lead": "lead", "note": "note"}
_MAX_LIST_STYLE_LEVEL = 3


def render_blocks(blocks: Iterable[Block], body: Element, ctx: Context, state: State) -> None:
    """Append every block to `body` in order."""
    for block in blocks:
        if isinstance(block, PageBreak):
            made = state.page_break_index >= len(ctx.page_breaks) or \
                ctx.page_breaks[state.page_break_index]
            state.page_break_index += 1
            state.page_break_pending = state.page_break_pending or made
            continue
        emit(body, _render(block, ctx, state), ctx, state)
        # A table ends flush with its last row (or note): open a gap before what follows.
        state.gap_pending = isinstance(block, Table)


def emit(body: Element, elements: list[Element], ctx: Context, state: State) -> None:
    """Append `elements` to the body, starting them on a new page if one is pending."""
    if not elements:
        return
    if elements[0].tag == qn("w:tbl") and _last_block_is_table(body):
        # Word and LibreOffice show two touching tables as one: keep them apart. The
        # separating paragraph is the only empty one written (the audit allows it).
        elements = [oxml.paragraph(None), *elements]
        state.gap_pending = False
    first = elements[0]
    if state.page_break_pending:
        if first.tag == qn("w:p") and not _style_breaks_page(first, ctx):
            oxml.insert_ordered(oxml.ppr_of(first), oxml.el("w:pageBreakBefore"),
                                oxml.PPR_ORDER)
        state.page_break_pending = False
    if state.gap_pending:
        _open_gap(first, ctx)
        state.gap_pending = False
    for element in elements:
        oxml.append_body_block(body, element)


def _render(block: Block, ctx: Context, state: State) -> list[Element]:
    if isinstance(block, Heading):
        return [_heading(block, ctx, state)]
    if isinstance(block, Paragraph):
        return _paragraph(block, ctx, state)
    if isinstance(block, ListBlock):
        elements = _list(block, ctx, state, depth=1, change=block.change)
        if elements:
            # The last item takes the body's space after, not the tight list spacing.
            oxml.update_child(oxml.ppr_of(elements[-1]), "w:spacing", oxml.PPR_ORDER,
                              after=str(ctx.styles.paragraph_gap))
        if elements and block.review:
            state.reviews.append((elements[0], block.review))
        return elements
    if isinstance(block, Table):
        return render_table(block, ctx, state)
    if isinstance(block, TableOfContents):
        return render_toc(block, ctx)
    if isinstance(block, Chart):
        return _chart(block, ctx)
    raise TypeError(f"unknown block type {type(block).__name__}")


def _chart(chart: Chart, ctx: Context) -> list[Element]:
    """The chart as a native Word chart with its alternative text, and its caption below."""
    drawing = oxml.paragraph(ctx.styles["normal"], oxml.el("w:r", None,
                                                          oxml.el("w:drawing", None,
                                                                  ctx.chart(chart))))
    # The caption is below the chart: the chart keeps with it.
    oxml.insert_ordered(oxml.ppr_of(drawing), oxml.el("w:keepNext"), oxml.PPR_ORDER)
    elements = [drawing,
                oxml.paragraph(ctx.styles["caption"], oxml.run(f"Grafiek: {chart.caption}"))]
    if chart.change:
        for p in elements:
            mark_paragraph(p, chart.change)
    return elements


def _last_block_is_table(body: Element) -> bool:
    last = next((child for child in reversed(body) if child.tag in (qn("w:p"), qn("w:tbl"))),
                None)
    return last is not None and last.tag == qn("w:tbl")


def _open_gap(first: Element, ctx: Context) -> None:
    """Space out running text that follows a table; headings bring their own space."""
    if first.tag != qn("w:p"):
        return
    ppr = oxml.find(first, "w:pPr")
    style = oxml.find(ppr, "w:pStyle") if ppr is not None else None
    spaced = {ctx.styles[role] for role in ("heading1", "heading2", "heading3", "caption")}
    if style is not None and style.get(qn("w:val")) in spaced:
        return
    oxml.update_child(oxml.ppr_of(first), "w:spacing", oxml.PPR_ORDER,
                      before=str(ctx.styles.paragraph_gap))


def _style_breaks_page(p: Element, ctx: Context) -> bool:
    ppr = oxml.find(p, "w:pPr")
    if ppr is None:
        return False
    direct = oxml.find(ppr, "w:pageBreakBefore")
    if direct is not None:
        return direct.get(qn("w:val"), "true") not in ("0", "false", "off")
    style = oxml.find(ppr, "w:pStyle")
    return style is not None and ctx.styles.breaks_page(style.get(qn("w:val"), ""))


def _heading(heading: Heading, ctx: Context, state: State) -> Element:
    entry = ctx.outline[state.heading_index]
    state.heading_index += 1
    style_id = ctx.styles[f"heading{heading.level}"]
    words = span_content(heading.marked, ctx) if heading.marked else [oxml.run(heading.text)]
    text = oxml.bookmark(state.bookmark_id(), entry.bookmark, *words)
    p = oxml.paragraph(style_id, *text)
    ppr = oxml.ppr_of(p)
    if heading.level == 1 and not state.page_break_pending:
        if ctx.styles.breaks_page(style_id):
            # A reference style that starts every chapter on a new page yields to the
            # document's choice (`chapter_start`).
            oxml.insert_ordered(ppr, oxml.el("w:pageBreakBefore", {"w:val": "0"}),
                                oxml.PPR_ORDER)
        if ctx.styles.is_ours(f"heading{heading.level}"):
            # The house style's chapter heading has no space above: it usually tops a
            # page. One that follows text on the same page is set apart from it.
            oxml.update_child(ppr, "w:spacing", oxml.PPR_ORDER,
                              before=str(round(CHAPTER_GAP_PT * 20)))
    if not heading.numbered:
        oxml.insert_ordered(ppr, oxml.no_numbering(), oxml.PPR_ORDER)
        # LibreOffice takes a heading without its list numbering out of the
        # outline, and so out of an updated table of contents; a direct
        # outline level keeps it there (Word reads it the same as the style's).
        oxml.set_child(ppr, "w:outlineLvl", oxml.PPR_ORDER, val=str(heading.level - 1))
    if heading.change:
        mark_paragraph(p, heading.change)
    if heading.review:
        state.reviews.append((p, heading.review))
    return p


def _paragraph(paragraph: Paragraph, ctx: Context, state: State) -> list[Element]:
    content = span_content(paragraph.spans, ctx)
    if not content:
        return []
    role = _PARAGRAPH_ROLES[paragraph.style]
    style_id = None if role == "normal" else ctx.styles[role]
    p = oxml.paragraph(style_id, *content)
    if paragraph.change:
        mark_paragraph(p, paragraph.change)
    if paragraph.review:
        state.reviews.append((p, paragraph.review))
    return [p]


def _list(block: ListBlock, ctx: Context, state: State, depth: int,
          change: Change | None = None) -> list[Element]:
    """The paragraphs of a list; nested lists follow their item one level deeper.

    `change` marks the whole list (a renvooi's list inserted or deleted), else each
    item paragraph and nested list carries its own.
    """
    if block.ordered:
        num_id = state.numbering.add_num(ctx.lists.ordered_abstract, restart=True)
    else:
        num_id = ctx.lists.bullet_num
    style_level = min(depth, _MAX_LIST_STYLE_LEVEL)
    item_style = ctx.styles[f"{'number' if block.ordered else 'bullet'}{style_level}"]
    continue_style = ctx.styles[f"continue{style_level}"]
    elements: list[Element] = []
    for item in block.items:
        first = True
        for child in item.blocks:
            if isinstance(child, ListBlock):
                elements.extend(_list(child, ctx, state, depth + 1, change or child.change))
                continue
            content = span_content(child.spans, ctx)
            if not content:
                continue
            p = oxml.paragraph(item_style if first else continue_style, *content)
            if first:
                oxml.insert_ordered(oxml.ppr_of(p), oxml.numbering(num_id, depth - 1),
                                    oxml.PPR_ORDER)
            marked = change or child.change
            if marked:
                mark_paragraph(p, marked)
            if child.review:
                state.reviews.append((p, child.review))
            elements.append(p)
            first = False
    return elements
