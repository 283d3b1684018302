"""The Word writer: document IR → a finished, reproducible .docx.

`render_docx` reads as the pipeline it is: open the base document, install
styles and numbering, plan the outline, write the title page and the body,
frame the pages, set the properties, serialise. Only this package imports
python-docx or knows OOXML; `oxml` holds the raw XML builders.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from docx.document import Document as WordDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.shared import Cm

from ...document import Document
from .blocks import emit, render_blocks
from .chart import add_chart, document_font
from .context import Context, State, plan_outline
from .cover import render_cover
from .inputs import image_problem, reference_problem
from .numbering import ListNumbering, Numbering, install_numbering
from .oxml import Element
from .package import (
    attach_comments,
    fixed_time,
    open_base,
    page_geometry,
    set_a4_page,
    set_core_properties,
    set_settings,
    text_width,
    to_bytes,
)
from .pageframe import frame_pages
from .styles import StyleMap, install_styles, link_numbering
from .tracked import finish_revisions

__all__ = ["DocxOptions", "image_problem", "reference_problem", "render_docx"]

@dataclass(frozen=True)
class DocxOptions:
    """How to write the .docx.

    `reference_doc`: a .docx or .dotx whose styles, page setup, headers and
    footers are used (like pandoc's --reference-doc); None for the built-in
    house style. `source_date_epoch`: the time recorded as created/modified and
    on every zip entry, in seconds since 1970 (None: 2000-01-01). `resource_dir`:
    where relative image paths are resolved (None: the working directory).
    """

    reference_doc: Path | None = None
    source_date_epoch: int | None = None
    resource_dir: Path | None = None


def render_docx(document: Document, options: DocxOptions | None = None) -> bytes:
    """The complete .docx file for `document`, as bytes; writes no files."""
    options = options or DocxOptions()
    house_style = options.reference_doc is None
    word = open_base(options.reference_doc)
    section = word.sections[-1]
    if house_style:
        set_a4_page(section)
    width = text_width(section)
    styles = install_styles(word.styles.element, text_width=width,
                            language=document.metadata.language, replace=house_style)
    numbering = Numbering(_numbering_root(word, clear=house_style))
    lists = _install_numbering(word, styles, numbering, link_lists=house_style)
    outline, anchors, page_breaks = plan_outline(document.blocks, page_geometry(section))
    chart_font = document_font(word.styles.element, styles["normal"])
    ctx = Context(
        styles=styles, lists=lists, outline=outline, anchors=anchors, text_width=width,
        relate_link=lambda url: word.part.relate_to(url, RT.HYPERLINK, is_external=True),
        picture=lambda image, width_cm: word.part.new_pic_inline(
            image if not isinstance(image, Path) else str(image), width=Cm(width_cm)),
        chart=lambda chart: add_chart(word.part, chart, font=chart_font),
        resource_dir=options.resource_dir, page_breaks=page_breaks,
    )
    state = State(numbering=numbering)
    body = word.element.body
    emit(body, render_cover(document.title_page, ctx), ctx, state)
    state.page_break_pending = True
    render_blocks(document.blocks, body, ctx, state)
    frame_pages(section, document, ctx, word.styles.element, keep_existing=not house_style)
    when = fixed_time(options.source_date_epoch)
    # A renvooi's tracked changes are the municipality's, dated like the rest of the file.
    finish_revisions(body, document.metadata.author, when, state.next_bookmark_id + 1)
    attach_comments(word, state.reviews, when)
    set_core_properties(word, document.metadata, when)
    set_settings(word.settings.element, document.metadata.language)
    return to_bytes(word, when)


def _numbering_root(word: WordDocument, *, clear: bool) -> Element:
    root = word.part.numbering_part.element
    if clear:
        for child in list(root):
            root.remove(child)
    return root


def _install_numbering(word: WordDocument, styles: StyleMap, numbering: Numbering,
                       *, link_lists: bool) -> ListNumbering:
    """Add the numbering definitions and tie heading (and house list) styles to them."""
    heading_ids = (styles["heading1"], styles["heading2"], styles["heading3"])
    lists = install_numbering(numbering, heading_ids if styles.numbered_headings else None)
    style_root = word.styles.element
    if styles.numbered_headings:
        for level, style_id in enumerate(heading_ids):
            link_numbering(style_root, style_id, lists.heading_num, level)
    if link_lists:
        # So that an editor who applies "List Number" in Word gets numbers too.
        ordered_num = numbering.add_num(lists.ordered_abstract)
        for level in range(3):
            link_numbering(style_root, styles[f"bullet{level + 1}"], lists.bullet_num, level)
            link_numbering(style_root, styles[f"number{level + 1}"], ordered_num, level)
    return lists
