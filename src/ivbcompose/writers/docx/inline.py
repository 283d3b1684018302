"""Inline text: spans become runs, with bold, italic and hyperlinks (and a renvooi's
insertions and deletions as tracked changes)."""

from __future__ import annotations

from collections.abc import Iterable

from ...document import Span
from . import oxml
from .context import Context
from .oxml import Element
from .tracked import mark_content

__all__ = ["run_properties", "span_content"]


def run_properties(
    *, bold: bool = False, italic: bool = False, style_id: str | None = None
) -> Element | None:
    """A w:rPr for the given character formatting, or None when there is none."""
    if not (bold or italic or style_id):
        return None
    rpr = oxml.el("w:rPr")
    if style_id:
        rpr.append(oxml.el("w:rStyle", {"w:val": style_id}))
    if bold:
        rpr.append(oxml.el("w:b"))
        rpr.append(oxml.el("w:bCs"))
    if italic:
        rpr.append(oxml.el("w:i"))
        rpr.append(oxml.el("w:iCs"))
    return rpr


def span_content(spans: Iterable[Span], ctx: Context, *, bold: bool = False) -> list[Element]:
    """The runs and hyperlinks for `spans`; `bold` makes every run bold (total rows)."""
    content: list[Element] = []
    for span in spans:
        if not span.text:
            continue
        if span.link is None:
            rpr = run_properties(bold=bold or span.bold, italic=span.italic)
            element = oxml.run(span.text, rpr)
        else:
            rpr = run_properties(bold=bold or span.bold, italic=span.italic,
                                 style_id=ctx.styles["hyperlink"])
            element = _link(span.link, oxml.run(span.text, rpr), ctx)
        content.extend(mark_content([element], span.change) if span.change else [element])
    return content


def _link(target: str, run: Element, ctx: Context) -> Element:
    """Internal links ("#anchor") point at a bookmark, others at a relationship."""
    if target.startswith("#"):
        anchor = target[1:]
        return oxml.hyperlink(run, anchor=ctx.anchors.get(anchor, anchor))
    return oxml.hyperlink(run, rel_id=ctx.relate_link(target))
