"""Page headers and footers: the banner on every page, "Pagina X van Y" below.

The title page is the first page of the section, which gets its own first-page
header (banner only) and no footer. A reference document's own headers and
footers are kept: the banner is added to its headers, and its footer replaces
ours when it has any content.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

from docx.oxml.ns import qn

from ...document import Document
from . import oxml
from .context import Context
from .oxml import Element

if TYPE_CHECKING:
    from docx.section import Section, _Footer, _Header

__all__ = ["frame_pages"]


def frame_pages(section: Section, document: Document, ctx: Context, styles: Element,
                *, keep_existing: bool) -> None:
    """Fill the headers and footers of `section` (the document's only section)."""
    section.different_first_page_header_footer = True
    banner = _banner(document.banner, ctx) if document.banner else None
    for header in (section.header, section.first_page_header):
        _header(header, banner, keep_existing=keep_existing)
    footer = section.footer
    if keep_existing and _has_content(footer):
        return
    footer.is_linked_to_previous = False
    _replace_content(footer.part.element, [_page_number_footer(document.footer, ctx, styles)])


def _banner(text: str, ctx: Context) -> Element:
    return oxml.paragraph(ctx.styles["banner"], oxml.run(text))


def _header(header: _Header, banner: Element | None, *, keep_existing: bool) -> None:
    if keep_existing and _has_content(header):
        if banner is not None:
            header.part.element.append(copy.deepcopy(banner))
        return
    if banner is None:
        return
    header.is_linked_to_previous = False
    _replace_content(header.part.element, [copy.deepcopy(banner)])


def _has_content(story: _Header | _Footer) -> bool:
    """Whether a reference header/footer exists and shows anything."""
    if story.is_linked_to_previous:
        return False
    root = story.part.element
    shown = (qn("w:t"), qn("w:instrText"), qn("w:fldSimple"), qn("w:drawing"), qn("w:pict"))
    return any(element.tag in shown for element in root.iter())


def _replace_content(root: Element, paragraphs: list[Element]) -> None:
    for child in list(root):
        root.remove(child)
    for paragraph in paragraphs:
        root.append(paragraph)


def _page_number_footer(text: str, ctx: Context, styles: Element) -> Element:
    """'<footer text> <tab> Pagina 3 van 12' with PAGE and NUMPAGES fields."""
    footer_style = ctx.styles["footer"]
    content: list[Element] = []
    if text:
        content += [oxml.run(text), oxml.tab_run()]
    content += [oxml.run("Pagina "), *oxml.complex_field("PAGE", "2"), oxml.run(" van "),
                *oxml.complex_field("NUMPAGES", "2")]
    p = oxml.paragraph(footer_style, *content)
    ppr = oxml.ppr_of(p)
    if text:
        oxml.insert_ordered(ppr, _footer_tabs(styles, footer_style, ctx.text_width),
                            oxml.PPR_ORDER)
    else:
        oxml.set_child(ppr, "w:jc", oxml.PPR_ORDER, val="right")
    return p


def _footer_tabs(styles: Element, style_id: str, text_width: int) -> Element:
    """One right tab at the text edge, clearing the style's own (e.g. Word's centre tab)."""
    tabs = oxml.el("w:tabs")
    for style in oxml.findall(styles, "w:style"):
        if style.get(qn("w:styleId")) != style_id:
            continue
        for tab in style.iter(qn("w:tab")):
            position = tab.get(qn("w:pos"), "")
            if position and position != str(text_width):
                tabs.append(oxml.el("w:tab", {"w:val": "clear", "w:pos": position}))
    tabs.append(oxml.el("w:tab", {"w:val": "right", "w:pos": str(text_width)}))
    return tabs
