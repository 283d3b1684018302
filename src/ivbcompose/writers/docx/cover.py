"""The title page: organisation, title, period, and the document's state.

It is the first page of the only section; the section's distinct first-page
header and footer keep page numbers off it while still showing the banner.
"""

from __future__ import annotations

from pathlib import Path

from docx.oxml.ns import qn

from ...document import Image, TitlePage
from .. import title_page_facts
from . import oxml
from .context import Context
from .inline import run_properties
from .oxml import Element

__all__ = ["render_cover"]


def render_cover(page: TitlePage, ctx: Context) -> list[Element]:
    """The paragraphs of the title page, top to bottom."""
    styles = ctx.styles
    elements: list[Element] = []
    if page.logo is not None:
        elements.append(oxml.paragraph(styles["cover_logo"], _picture(page.logo, ctx)))
    elements.append(oxml.paragraph(styles["cover_org"], oxml.run(page.organisation)))
    elements.append(oxml.paragraph(styles["title"], oxml.run(page.title)))
    if page.subtitle:
        elements.append(oxml.paragraph(styles["subtitle"], oxml.run(page.subtitle)))
    elements.append(oxml.paragraph(styles["cover_period"], oxml.run(page.period)))
    for label, value in title_page_facts(page):
        # "Label: value" in real characters, not a tab to an aligned column: a PDF
        # carries no character for a tab, so text extraction and screen readers got
        # "Opgesteld doorTeam …", or all labels first and all values after them.
        elements.append(oxml.paragraph(
            styles["cover_meta"],
            oxml.run(f"{label}:", run_properties(bold=True)), oxml.run(f" {value}"),
        ))
    if page.adoption:
        elements.append(oxml.paragraph(styles["cover_adoption"], oxml.run(page.adoption)))
    return elements


def _picture(image: Image, ctx: Context) -> Element:
    """A run holding the image inline, with its alternative text where readers look."""
    path = Path(image.path)
    if not path.is_absolute() and ctx.resource_dir is not None:
        path = ctx.resource_dir / path
    inline = ctx.picture(path, image.width_cm)
    for props in inline.iter(qn("wp:docPr"), qn("pic:cNvPr")):
        props.set("descr", image.alt_text)
    return oxml.el("w:r", None, oxml.el("w:drawing", None, inline))
