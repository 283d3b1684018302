"""The table of contents: a real TOC field whose result is already filled in.

Word rebuilds the field when it opens the file (the field is dirty and
settings ask for an update), but a reader of a freshly built file, or of a PDF
made by LibreOffice, sees the entries at once: numbered, linked to the
headings' bookmarks, with PAGEREF fields for the page numbers.
"""

from __future__ import annotations

from ...document import TableOfContents
from . import oxml
from .context import Context, OutlineEntry
from .oxml import Element

__all__ = ["render_toc"]

_EMPTY_TOC = "Geen koppen gevonden; werk de inhoudsopgave bij."


def render_toc(toc: TableOfContents, ctx: Context) -> list[Element]:
    """The title paragraph and one paragraph per heading up to `toc.depth`."""
    depth = max(1, min(toc.depth, 3))
    title = oxml.paragraph(ctx.styles["toc_heading"], oxml.run(toc.title))
    # Word's own "TOC Heading" is based on Heading 1 and would inherit its number.
    oxml.insert_ordered(oxml.ppr_of(title), oxml.no_numbering(), oxml.PPR_ORDER)
    instruction = f'TOC \\o "1-{depth}" \\h \\z \\u'
    entries = [entry for entry in ctx.outline if entry.level <= depth]
    if not entries:
        placeholder = oxml.paragraph(
            ctx.styles["toc1"],
            *oxml.field_begin(instruction, dirty=True), oxml.run(_EMPTY_TOC), oxml.field_end(),
        )
        return [title, placeholder]
    paragraphs = [_entry(entry, ctx) for entry in entries]
    for run in reversed(oxml.field_begin(instruction, dirty=True)):
        paragraphs[0].insert(1, run)
    paragraphs[-1].append(oxml.field_end())
    return [title, *paragraphs]


def _entry(entry: OutlineEntry, ctx: Context) -> Element:
    """'2.1 <tab> Planning <tab> page', all one hyperlink to the heading's bookmark."""
    runs: list[Element] = []
    if entry.number:
        runs += [oxml.run(entry.number), oxml.tab_run()]
    runs += [oxml.run(entry.text), oxml.tab_run()]
    runs += oxml.complex_field(f"PAGEREF {entry.bookmark} \\h", str(entry.page))
    return oxml.paragraph(ctx.styles[f"toc{entry.level}"],
                          oxml.hyperlink(*runs, anchor=entry.bookmark))
