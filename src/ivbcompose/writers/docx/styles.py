"""The house style: which styles a document needs and how they look by default.

The writer refers to styles by *role* ("heading1", "caption"); this module
turns roles into the style ids of the document at hand. Without a reference
document the whole style sheet is replaced by the built-in house style. With
one, its styles win: only roles it lacks are added, found by style *name*,
because a reference made in Dutch Word calls Heading 1 "Kop1" in its ids.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from docx.oxml.ns import qn

from . import oxml
from .oxml import Element

__all__ = ["HOUSE_COLOUR", "StyleMap", "install_styles"]

HOUSE_COLOUR = "1F4E79"
_TEXT = "262626"
_MUTED = "595959"
_RULE = "BFBFBF"
_BANNER = "B22222"
# Arial is on every Word installation; LibreOffice maps it to the metric-compatible
# Liberation Sans, so both render the same line breaks.
_FONT = "Arial"

StyleKind = Literal["paragraph", "character", "table", "numbering"]


@dataclass(frozen=True)
class StyleSpec:
    """One style of the house style, written as the XML inside its w:style."""

    role: str
    name: str
    style_id: str
    kind: StyleKind = "paragraph"
    based_on: str | None = "normal"
    next: str | None = None
    body: str = ""
    default: bool = False
    priority: int | None = None


@dataclass(frozen=True)
class StyleMap:
    """Role → style id of the document being written, plus facts the writer needs.

    `numbered_headings`: the heading styles take our numbering (a reference
    document may bring its own). `added`: roles whose style we added, so they
    look like the house style. `paragraph_gap`: Normal's space after, in twips.
    """

    ids: Mapping[str, str]
    page_breaking: frozenset[str]
    numbered_headings: bool
    added: frozenset[str] = frozenset()
    paragraph_gap: int = 160

    def __getitem__(self, role: str) -> str:
        return self.ids[role]

    def is_ours(self, role: str) -> bool:
        """Whether the style of `role` comes from the house style, not a reference."""
        return role in self.added

    def breaks_page(self, style_id: str) -> bool:
        """Whether paragraphs of style `style_id` start on a new page by their style."""
        return style_id in self.page_breaking


def install_styles(
    styles: Element, *, text_width: int, language: str, replace: bool
) -> StyleMap:
    """Make every role available in `styles` (the w:styles element); return the map.

    `replace` drops the existing styles for the house style (no reference
    document); otherwise existing styles are kept and only missing roles added.
    """
    specs = _house_styles(text_width)
    if replace:
        for style in oxml.findall(styles, "w:style"):
            styles.remove(style)
        _set_doc_defaults(styles)
    ids: dict[str, str] = {}
    added: set[str] = set()
    by_name = _styles_by_name(styles)
    taken = {s.get(qn("w:styleId")) for s in oxml.findall(styles, "w:style")}
    for spec in specs:
        existing = by_name.get((spec.kind, spec.name.lower()))
        if existing is not None:
            ids[spec.role] = existing
            continue
        style_id = _unique_id(spec.style_id, taken)
        taken.add(style_id)
        styles.append(_style_element(spec, style_id, ids))
        ids[spec.role] = style_id
        added.add(spec.role)
    _set_language(styles, ids["normal"], language)
    for role in _KEPT_WITH_NEXT:
        _keep_with_next(styles, ids[role])
    heading_style = _style_by_id(styles, ids["heading1"])
    return StyleMap(
        ids=MappingProxyType(ids),
        page_breaking=frozenset(
            ids[role] for role in ("heading1", "toc_heading")
            if _inherits(styles, ids[role], "w:pageBreakBefore")
        ),
        numbered_headings=not _has_numbering(heading_style),
        added=frozenset(added),
        paragraph_gap=_space_after(styles, ids["normal"]),
    )


def link_numbering(styles: Element, style_id: str, num_id: int, level: int) -> None:
    """Give paragraph style `style_id` the numbering `num_id` at `level` (0-based)."""
    style = _style_by_id(styles, style_id)
    if style is None:
        return
    ppr = oxml.find(style, "w:pPr")
    if ppr is None:
        ppr = oxml.insert_ordered(style, oxml.el("w:pPr"), _STYLE_ORDER)
    numpr = oxml.el("w:numPr")
    if level:
        numpr.append(oxml.el("w:ilvl", {"w:val": str(level)}))
    numpr.append(oxml.el("w:numId", {"w:val": str(num_id)}))
    oxml.insert_ordered(ppr, numpr, oxml.PPR_ORDER)


# A heading, or a caption above its table, never ends a page: also in a reference
# document's styles, which may not say so.
_KEPT_WITH_NEXT = ("heading1", "heading2", "heading3", "caption")


def _keep_with_next(styles: Element, style_id: str) -> None:
    if _inherits(styles, style_id, "w:keepNext"):
        return
    style = _style_by_id(styles, style_id)
    if style is None:
        return
    ppr = oxml.find(style, "w:pPr")
    if ppr is None:
        ppr = oxml.insert_ordered(style, oxml.el("w:pPr"), _STYLE_ORDER)
    keep = oxml.find(ppr, "w:keepNext")
    if keep is not None:  # switched off on purpose in the reference: on again
        ppr.remove(keep)
    oxml.insert_ordered(ppr, oxml.el("w:keepNext"), oxml.PPR_ORDER)


_STYLE_ORDER = (
    "w:name", "w:aliases", "w:basedOn", "w:next", "w:link", "w:autoRedefine", "w:hidden",
    "w:uiPriority", "w:semiHidden", "w:unhideWhenUsed", "w:qFormat", "w:locked",
    "w:personal", "w:personalCompose", "w:personalReply", "w:rsid", "w:pPr", "w:rPr",
    "w:tblPr", "w:trPr", "w:tcPr", "w:tblStylePr",
)


def _styles_by_name(styles: Element) -> dict[tuple[str, str], str]:
    found: dict[tuple[str, str], str] = {}
    for style in oxml.findall(styles, "w:style"):
        name = oxml.find(style, "w:name")
        kind = style.get(qn("w:type"), "paragraph")
        style_id = style.get(qn("w:styleId"))
        if name is not None and style_id:
            found.setdefault((kind, name.get(qn("w:val"), "").lower()), style_id)
    return found


def _style_by_id(styles: Element, style_id: str) -> Element | None:
    for style in oxml.findall(styles, "w:style"):
        if style.get(qn("w:styleId")) == style_id:
            return style
    return None


def _unique_id(wanted: str, taken: set[str | None]) -> str:
    candidate, counter = wanted, 1
    while candidate in taken:
        counter += 1
        candidate = f"{wanted}{counter}"
    return candidate


def _inherits(styles: Element, style_id: str, tag: str) -> bool:
    """Whether the style or one of its ancestors sets paragraph property `tag` on."""
    seen: set[str] = set()
    current: str | None = style_id
    while current and current not in seen:
        seen.add(current)
        style = _style_by_id(styles, current)
        if style is None:
            return False
        ppr = oxml.find(style, "w:pPr")
        prop = oxml.find(ppr, tag) if ppr is not None else None
        if prop is not None:
            return prop.get(qn("w:val"), "true") not in ("0", "false", "off")
        based = oxml.find(style, "w:basedOn")
        current = based.get(qn("w:val")) if based is not None else None
    return False


def _space_after(styles: Element, normal_id: str) -> int:
    """Normal's space after a paragraph in twips (its own, else the defaults', else 8 pt)."""
    candidates = [_style_by_id(styles, normal_id), oxml.find(styles, "w:docDefaults")]
    for holder in candidates:
        if holder is None:
            continue
        for spacing in holder.iter(qn("w:spacing")):
            value = spacing.get(qn("w:after"))
            if value is not None and value.isdigit() and spacing.getparent().tag == qn("w:pPr"):
                return int(value)
    return 160


def _has_numbering(style: Element | None) -> bool:
    ppr = oxml.find(style, "w:pPr") if style is not None else None
    return ppr is not None and oxml.find(ppr, "w:numPr") is not None


def _style_element(spec: StyleSpec, style_id: str, ids: Mapping[str, str]) -> Element:
    attrs = f'w:type="{spec.kind}" w:styleId="{style_id}"'
    if spec.default:
        attrs += ' w:default="1"'
    parts = [f'<w:name w:val="{spec.name}"/>']
    if spec.based_on and spec.based_on in ids:
        parts.append(f'<w:basedOn w:val="{ids[spec.based_on]}"/>')
    if spec.next and (spec.next in ids or spec.next == spec.role):
        parts.append(f'<w:next w:val="{ids.get(spec.next, style_id)}"/>')
    if spec.priority is not None:
        parts.append(f'<w:uiPriority w:val="{spec.priority}"/>')
    if spec.priority is not None and spec.priority < 30 and not spec.default:
        # Shown in Word's style gallery, so an editor finds the house styles.
        parts.append("<w:qFormat/>")
    (style,) = oxml.parse_w(f"<w:style {attrs}>{''.join(parts)}{spec.body}</w:style>")
    return style


def _set_doc_defaults(styles: Element) -> None:
    old = oxml.find(styles, "w:docDefaults")
    (defaults,) = oxml.parse_w(
        "<w:docDefaults><w:rPrDefault><w:rPr>"
        f'<w:rFonts w:ascii="{_FONT}" w:hAnsi="{_FONT}" w:eastAsia="{_FONT}" w:cs="{_FONT}"/>'
        '<w:sz w:val="21"/><w:szCs w:val="21"/><w:lang w:val="nl-NL"/>'
        "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"
        '<w:spacing w:after="160" w:line="276" w:lineRule="auto"/>'
        "</w:pPr></w:pPrDefault></w:docDefaults>"
    )
    if old is not None:
        old.addprevious(defaults)
        styles.remove(old)
    else:
        styles.insert(0, defaults)


def _set_language(styles: Element, normal_id: str, language: str) -> None:
    """Put the text language in the defaults and in Normal, where spelling checks look."""
    defaults = oxml.find(styles, "w:docDefaults")
    if defaults is None:
        defaults = oxml.el("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = oxml.find(defaults, "w:rPrDefault")
    if rpr_default is None:
        rpr_default = oxml.el("w:rPrDefault")
        defaults.insert(0, rpr_default)
    targets = [rpr_default]
    normal = _style_by_id(styles, normal_id)
    if normal is not None:
        targets.append(normal)
    for target in targets:
        rpr = oxml.find(target, "w:rPr")
        if rpr is None:
            rpr = oxml.insert_ordered(target, oxml.el("w:rPr"), _STYLE_ORDER)
        oxml.set_child(rpr, "w:lang", oxml.RPR_ORDER, val=language)


def _rpr(size: int | None = None, colour: str | None = None, *flags: str) -> str:
    """Run properties in schema order: flags such as "b", "i", "smallCaps"."""
    order = ("b", "i", "caps", "smallCaps")
    parts = [f"<w:{flag}/>" for flag in order if flag in flags]
    if colour:
        parts.append(f'<w:color w:val="{colour}"/>')
    if size:
        parts.append(f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>')
    return f"<w:rPr>{''.join(parts)}</w:rPr>"


def _spacing(before: int = 0, after: int = 0, line: int | None = None) -> str:
    line_attrs = f' w:line="{line}" w:lineRule="auto"' if line else ""
    return f'<w:spacing w:before="{before}" w:after="{after}"{line_attrs}/>'


def _heading(level: int, size: int, before: int, after: int, extra: str = "") -> StyleSpec:
    # No page break in the style: whether a chapter starts a page is the document's
    # choice (`chapter_start`), written on each chapter heading.
    return StyleSpec(
        role=f"heading{level}", name=f"heading {level}", style_id=f"Heading{level}",
        next="normal", priority=9,
        body=(f"<w:pPr><w:keepNext/><w:keepLines/>{extra}"
              f"{_spacing(before, after, 240)}"
              f'<w:outlineLvl w:val="{level - 1}"/></w:pPr>'
              + _rpr(size, HOUSE_COLOUR, "b")),
    )


def _list_style(role: str, name: str, style_id: str) -> StyleSpec:
    # Indentation comes from the numbering level, so a list looks the same
    # whether Word applies it through the style or the paragraph.
    return StyleSpec(role=role, name=name, style_id=style_id, priority=36,
                     body=f"<w:pPr>{_spacing(0, 60)}</w:pPr>")


def _house_styles(text_width: int) -> tuple[StyleSpec, ...]:
    """The built-in house style; parents come before the styles based on them."""
    right_tab = f'<w:tab w:val="right" w:pos="{text_width}"/>'
    # No right indent on the toc styles: LibreOffice hides text after a tab stop
    # that lies beyond the right indent, which took the page numbers away.
    toc_tab = f'<w:tab w:val="right" w:leader="dot" w:pos="{text_width}"/>'
    rule = f'w:val="single" w:sz="4" w:space="4" w:color="{_RULE}"'
    return (
        StyleSpec("normal", "Normal", "Normal", based_on=None, default=True, priority=0,
                  body=f"<w:pPr><w:widowControl/></w:pPr>{_rpr(None, _TEXT)}"),
        StyleSpec("default_font", "Default Paragraph Font", "DefaultParagraphFont",
                  kind="character", based_on=None, default=True, priority=1),
        StyleSpec("table_normal", "Normal Table", "TableNormal", kind="table",
                  based_on=None, default=True, priority=99,
                  body='<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>'
                       '<w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
                       '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>'
                       "</w:tblCellMar></w:tblPr>"),
        StyleSpec("no_list", "No List", "NoList", kind="numbering", based_on=None,
                  default=True, priority=99),
        _heading(1, 36, 0, 360,
                 f'<w:pBdr><w:bottom w:val="single" w:sz="8" w:space="6" '
                 f'w:color="{HOUSE_COLOUR}"/></w:pBdr>'),
        _heading(2, 28, 360, 120),
        _heading(3, 23, 240, 80),
        StyleSpec("title", "Title", "Title", next="normal", priority=10,
                  body=f"<w:pPr>{_spacing(0, 200, 228)}</w:pPr>"
                       + _rpr(60, HOUSE_COLOUR, "b")),
        StyleSpec("subtitle", "Subtitle", "Subtitle", next="normal", priority=11,
                  body=f"<w:pPr>{_spacing(0, 240, 240)}</w:pPr>" + _rpr(32, _MUTED)),
        StyleSpec("cover_org", "Voorblad organisatie", "VoorbladOrganisatie", priority=20,
                  body=f'<w:pPr><w:pBdr><w:top w:val="single" w:sz="36" w:space="12" '
                       f'w:color="{HOUSE_COLOUR}"/></w:pBdr>{_spacing(0, 3400)}</w:pPr>'
                       # Neither small caps nor letter spacing: LibreOffice draws small
                       # caps in two sizes and spaced letters apart, and the PDF's text
                       # then reads "G EMEENTE D RONTEN". The name is written as it is.
                       + _rpr(28, HOUSE_COLOUR, "b")),
        StyleSpec("cover_logo", "Voorblad logo", "VoorbladLogo", priority=20,
                  body=f"<w:pPr>{_spacing(0, 360)}</w:pPr>"),
        StyleSpec("cover_period", "Voorblad periode", "VoorbladPeriode", priority=20,
                  body=f"<w:pPr>{_spacing(0, 4200)}</w:pPr>" + _rpr(28, HOUSE_COLOUR)),
        StyleSpec("cover_meta", "Voorblad gegevens", "VoorbladGegevens", priority=20,
                  body=f'<w:pPr><w:pBdr><w:top {rule}/><w:bottom {rule}/></w:pBdr>'
                       f"{_spacing(0, 60, 240)}</w:pPr>" + _rpr(19, _MUTED)),
        StyleSpec("cover_adoption", "Voorblad vaststelling", "VoorbladVaststelling",
                  based_on="cover_meta", priority=20,
                  body=f"<w:pPr>{_spacing(60, 60, 240)}</w:pPr>" + _rpr(None, None, "i")),
        StyleSpec("lead", "Inleiding", "Inleiding", next="normal", priority=20,
                  body=f"<w:pPr>{_spacing(0, 200, 288)}</w:pPr>" + _rpr(24, "404040")),
        StyleSpec("note", "Toelichting", "Toelichting", priority=20,
                  body=f"<w:pPr>{_spacing(80, 60, 240)}</w:pPr>" + _rpr(16, _MUTED)),
        StyleSpec("caption", "caption", "Caption", next="normal", priority=35,
                  body=f"<w:pPr><w:keepNext/>{_spacing(200, 80, 240)}</w:pPr>"
                       + _rpr(19, HOUSE_COLOUR, "b")),
        StyleSpec("table_text", "Tabeltekst", "Tabeltekst", priority=20,
                  body=f"<w:pPr>{_spacing(0, 0, 240)}</w:pPr>" + _rpr(18)),
        StyleSpec("toc_heading", "TOC Heading", "TOCHeading", next="normal", priority=39,
                  body=f"<w:pPr><w:keepNext/><w:pageBreakBefore/>"
                       f'<w:pBdr><w:bottom w:val="single" w:sz="8" w:space="6" '
                       f'w:color="{HOUSE_COLOUR}"/></w:pBdr>{_spacing(0, 360, 240)}'
                       f'<w:outlineLvl w:val="9"/></w:pPr>' + _rpr(36, HOUSE_COLOUR, "b")),
        StyleSpec("toc1", "toc 1", "TOC1", next="normal", priority=39,
                  body=f"<w:pPr><w:keepNext/><w:tabs>{toc_tab}</w:tabs>"
                       f"{_spacing(160, 40)}"
                       '<w:ind w:left="567" w:hanging="567"/></w:pPr>'
                       + _rpr(None, None, "b")),
        StyleSpec("toc2", "toc 2", "TOC2", next="normal", priority=39,
                  body=f"<w:pPr><w:tabs>{toc_tab}</w:tabs>{_spacing(0, 40)}"
                       '<w:ind w:left="1276" w:hanging="709"/></w:pPr>'),
        StyleSpec("toc3", "toc 3", "TOC3", next="normal", priority=39,
                  body=f"<w:pPr><w:tabs>{toc_tab}</w:tabs>{_spacing(0, 40)}"
                       '<w:ind w:left="2127" w:hanging="851"/></w:pPr>'),
        _list_style("bullet1", "List Bullet", "ListBullet"),
        _list_style("bullet2", "List Bullet 2", "ListBullet2"),
        _list_style("bullet3", "List Bullet 3", "ListBullet3"),
        _list_style("number1", "List Number", "ListNumber"),
        _list_style("number2", "List Number 2", "ListNumber2"),
        _list_style("number3", "List Number 3", "ListNumber3"),
        *(
            StyleSpec(f"continue{level}", "List Continue" + (f" {level}" if level > 1 else ""),
                      "ListContinue" + (str(level) if level > 1 else ""), priority=36,
                      body=f'<w:pPr>{_spacing(0, 60)}<w:ind w:left="{397 * level}"/></w:pPr>')
            for level in (1, 2, 3)
        ),
        StyleSpec("header", "header", "Header", priority=99,
                  body=f"<w:pPr><w:tabs>{right_tab}</w:tabs>{_spacing(0, 0, 240)}</w:pPr>"
                       + _rpr(16, _MUTED)),
        StyleSpec("footer", "footer", "Footer", priority=99,
                  body=f"<w:pPr><w:pBdr><w:top {rule}/></w:pBdr><w:tabs>{right_tab}</w:tabs>"
                       f"{_spacing(0, 0, 240)}</w:pPr>" + _rpr(16, _MUTED)),
        StyleSpec("banner", "Markering", "Markering", based_on="header", priority=20,
                  body='<w:pPr><w:jc w:val="right"/></w:pPr>'
                       # The text is in capitals already; spaced letters would
                       # extract as "C O N C E P T".
                       + _rpr(18, _BANNER, "b")),
        StyleSpec("hyperlink", "Hyperlink", "Hyperlink", kind="character",
                  based_on="default_font", priority=99,
                  body=f'<w:rPr><w:color w:val="{HOUSE_COLOUR}"/><w:u w:val="single"/></w:rPr>'),
        StyleSpec("table", "Tabel IVB", "TabelIVB", kind="table", based_on="table_normal",
                  priority=20, body=_table_style_body()),
    )


def _table_style_body() -> str:
    """Light horizontal rules; the header row filled in the house colour."""
    edge = f'w:val="single" w:sz="8" w:space="0" w:color="{HOUSE_COLOUR}"'
    inner = 'w:val="single" w:sz="4" w:space="0" w:color="D9D9D9"'
    return (
        f"<w:pPr>{_spacing(0, 0, 240)}</w:pPr>"
        '<w:tblPr><w:tblStyleRowBandSize w:val="1"/><w:tblStyleColBandSize w:val="1"/>'
        f"<w:tblBorders><w:top {edge}/><w:bottom {edge}/><w:insideH {inner}/></w:tblBorders>"
        '<w:tblCellMar><w:top w:w="57" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>'
        '<w:bottom w:w="57" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>'
        "</w:tblPr>"
        '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:color w:val="FFFFFF"/></w:rPr>'
        "<w:trPr><w:tblHeader/></w:trPr>"
        f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{HOUSE_COLOUR}"/></w:tcPr>'
        "</w:tblStylePr>"
    )
