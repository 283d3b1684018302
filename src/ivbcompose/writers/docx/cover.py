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
from .tracked import mark_content, mark_paragraph

__all__ = ["render_cover"]


def render_cover(page: TitlePage, ctx: Context) -> list[Element]:
    """The paragraphs of the title page, top to bottom; in a renvooi (`page.earlier`), a
    line that changed as tracked changes of its value, one added or gone as a whole."""
    styles = ctx.styles
    elements: list[Element] = []
    if page.logo is not None:
        elements.append(oxml.paragraph(styles["cover_logo"], _picture(page.logo, ctx)))
    old = page.earlier
    for style, now, before in _lines(page, old):
        elements.append(_line(styles[style], now, before, old is not None))
    # "Label: value" in real characters, not a tab to an aligned column: a PDF carries no
    # character for a tab, so text extraction and screen readers got "Opgesteld doorTeam …",
    # or all labels first and all values after them.
    facts = dict(title_page_facts(page))
    earlier = dict(title_page_facts(old)) if old is not None else facts
    for label in dict.fromkeys([*facts, *earlier]):
        elements.append(_line(styles["cover_meta"], facts.get(label), earlier.get(label),
                              old is not None, label))
    if page.adoption or (old is not None and old.adoption):
        elements.append(_line(styles["cover_adoption"], page.adoption,
                              old.adoption if old is not None else page.adoption,
                              old is not None))
    return elements


def _lines(page: TitlePage, old: TitlePage | None
           ) -> list[tuple[str, str | None, str | None]]:
    """The cover's lines above the facts: (style key, text now, text in the earlier)."""
    earlier = old or page
    lines = [("cover_org", page.organisation, earlier.organisation),
             ("title", page.title, earlier.title),
             ("subtitle", page.subtitle, earlier.subtitle),
             ("cover_period", page.period, earlier.period)]
    return [line for line in lines if line[1] or line[2]]


def _line(style: str, now: str | None, before: str | None, tracked: bool,
          label: str | None = None) -> Element:
    """One paragraph of the cover ("Label: value" when `label` is given); tracked, where
    the texts differ the earlier one deleted and the new one inserted, and the whole
    paragraph marked where it is new or gone."""
    def head() -> list[Element]:
        return [oxml.run(f"{label}:", run_properties(bold=True))] if label else []

    space = " " if label else ""
    if not tracked or now == before or not now or not before:
        p = oxml.paragraph(style, *head(), oxml.run(f"{space}{now or before or ''}"))
        if tracked and now != before:
            mark_paragraph(p, "inserted" if now else "deleted")
        return p
    return oxml.paragraph(style, *head(),
                          *mark_content([oxml.run(f"{space}{before}")], "deleted"),
                          *mark_content([oxml.run(f"{space}{now}")], "inserted"))


def _picture(image: Image, ctx: Context) -> Element:
    """A run holding the image inline, with its alternative text where readers look."""
    path = Path(image.path)
    if not path.is_absolute() and ctx.resource_dir is not None:
        path = ctx.resource_dir / path
    inline = ctx.picture(path, image.width_cm)
    for props in inline.iter(qn("wp:docPr"), qn("pic:cNvPr")):
        props.set("descr", image.alt_text)
    return oxml.el("w:r", None, oxml.el("w:drawing", None, inline))
