"""Small builders for raw WordprocessingML: the only place that spells out OOXML.

Everything above this module talks in paragraphs, runs, fields and bookmarks;
the element names, attribute names and the schema's child order live here.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Iterable, Sequence

from docx.oxml.ns import NamespacePrefixedTag, nsdecls, qn
from docx.oxml.parser import oxml_parser, parse_xml
from lxml import etree

__all__ = [
    "append_body_block",
    "bookmark",
    "complex_field",
    "el",
    "escape",
    "field_begin",
    "field_end",
    "find",
    "findall",
    "hyperlink",
    "insert_ordered",
    "no_numbering",
    "numbering",
    "paragraph",
    "parse_w",
    "parse_w_once",
    "ppr_of",
    "run",
    "run_xml",
    "set_child",
    "tab_run",
    "update_child",
]

Element = etree._Element

# Child order of w:pPr (ECMA-376 CT_PPrBase + rPr/sectPr/pPrChange): inserting in
# order keeps Word from calling the file corrupt.
PPR_ORDER: tuple[str, ...] = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr",
    "w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs",
    "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
    "w:pPrChange",
)

# Child order of w:rPr (CT_RPr).
RPR_ORDER: tuple[str, ...] = (
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps",
    "w:strike", "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint",
    "w:noProof", "w:snapToGrid", "w:vanish", "w:webHidden", "w:color", "w:spacing",
    "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect",
    "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang",
    "w:eastAsianLayout", "w:specVanish", "w:oMath",
)

def el(tag: str, attrs: dict[str, str] | None = None, *children: Element) -> Element:
    """Return a new element `tag` ("w:p") with prefixed attributes and children."""
    clark, nsmap = _clark(tag)
    element = oxml_parser.makeelement(clark, nsmap=nsmap)
    for name, value in (attrs or {}).items():
        element.set(_qualified(name), value)
    for child in children:
        element.append(child)
    return element


# A document is a few hundred thousand elements of a few dozen tags: `OxmlElement` parses
# the prefixed name of each again, which was most of the Word writer's time. The same
# element (class, namespace declaration) made with the name worked out once per tag.
@functools.cache
def _clark(tag: str) -> tuple[str, dict[str, str]]:
    prefixed = NamespacePrefixedTag(tag)
    return prefixed.clark_name, prefixed.nsmap


@functools.cache
def _qualified(name: str) -> str:
    return qn(name)


def parse_w(xml: str) -> list[Element]:
    """Parse a fragment of elements written with `w:`/`r:` prefixes, no declarations."""
    # A few fragments (a row's properties, a cell's rule) are asked for thousands of times:
    # each is parsed once, and copied, which is many times faster than parsing.
    return [copy.deepcopy(element) for element in _parsed_w(xml)]


def parse_w_once(xml: str) -> list[Element]:
    """`parse_w` for a fragment made once (a table row with its texts): not remembered."""
    return list(_parse_fragment(xml))


def _parse_fragment(xml: str) -> tuple[Element, ...]:
    wrapper = parse_xml(f"<w:fragment {nsdecls('w', 'r')}>{xml}</w:fragment>")
    children = tuple(wrapper)
    for child in children:
        wrapper.remove(child)
    return children


_parsed_w = functools.lru_cache(maxsize=512)(_parse_fragment)


def escape(text: str, *, quote: bool = False) -> str:
    """`text` as XML character data (`quote`: as an attribute value, in double quotes).

    A carriage return is written as a reference: a parser would read it as a line end.
    """
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if quote:
        text = text.replace('"', "&quot;")
    return text.replace("\r", "&#13;")


def find(parent: Element, tag: str) -> Element | None:
    """Return the first child `tag` of `parent`, or None."""
    return parent.find(_qualified(tag))


def findall(parent: Element, tag: str) -> list[Element]:
    """Return all children `tag` of `parent`."""
    return list(parent.iterfind(_qualified(tag)))


def insert_ordered(parent: Element, child: Element, order: Sequence[str]) -> Element:
    """Insert `child` into `parent` at the place the schema's child `order` demands.

    An existing child with the same tag is replaced, so this doubles as "set".
    """
    tag = child.tag
    existing = parent.find(tag)
    if existing is not None:
        existing.addprevious(child)
        parent.remove(existing)
        return child
    successors = _successors(tuple(order), tag)
    for sibling in parent:
        if sibling.tag in successors:
            sibling.addprevious(child)
            return child
    parent.append(child)
    return child


@functools.cache
def _successors(order: tuple[str, ...], tag: str) -> frozenset[str]:
    """The tags `order` puts after `tag` (all of them for a tag it does not name)."""
    names = [qn(name) for name in order]
    position = names.index(tag) if tag in names else len(names)
    return frozenset(names[position + 1:])


def set_child(parent: Element, tag: str, order: Sequence[str], **attrs: str) -> Element:
    """Set (create or replace) the child `tag` of `parent` with attributes `attrs`.

    Attribute keywords name w: attributes without prefix (`val="1"`).
    """
    child = el(tag, {f"w:{name}": value for name, value in attrs.items()})
    return insert_ordered(parent, child, order)


def update_child(parent: Element, tag: str, order: Sequence[str], **attrs: str) -> Element:
    """Set attributes `attrs` on child `tag` of `parent`, creating the child if needed."""
    child = find(parent, tag)
    if child is None:
        child = insert_ordered(parent, el(tag), order)
    for name, value in attrs.items():
        child.set(_qualified(f"w:{name}"), value)
    return child


_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def run(text: str, rpr: Element | None = None) -> Element:
    """Return a w:r holding `text` (tabs and line breaks become w:tab / w:br)."""
    r = el("w:r")
    if rpr is not None:
        r.append(rpr)
    for kind, part in _run_parts(text):
        if kind == "w:t":
            t = el("w:t")
            t.text = part
            if part != part.strip():
                t.set(_XML_SPACE, "preserve")
            r.append(t)
        else:
            r.append(el(kind))
    return r


def run_xml(text: str, rpr: str = "") -> str:
    """`run(text)` as XML, with `rpr` (a w:rPr as XML): for content made as text."""
    parts = []
    for kind, part in _run_parts(text):
        if kind != "w:t":
            parts.append(f"<{kind}/>")
        elif part != part.strip():
            parts.append(f'<w:t xml:space="preserve">{escape(part)}</w:t>')
        else:
            parts.append(f"<w:t>{escape(part)}</w:t>")
    return f"<w:r>{rpr}{''.join(parts)}</w:r>"


def _run_parts(text: str) -> Iterable[tuple[str, str]]:
    """What a run of `text` holds, in order: ("w:t", words), ("w:br", ""), ("w:tab", "")."""
    for index, line in enumerate(text.split("\n")):
        if index:
            yield "w:br", ""
        for part_index, part in enumerate(line.split("\t")):
            if part_index:
                yield "w:tab", ""
            if part:
                yield "w:t", part


def tab_run() -> Element:
    """Return a run holding a single tab character."""
    return el("w:r", None, el("w:tab"))


def paragraph(style_id: str | None, *content: Element) -> Element:
    """Return a w:p with paragraph style `style_id` and the given runs/inline content."""
    p = el("w:p")
    if style_id is not None:
        ppr = el("w:pPr")
        ppr.append(el("w:pStyle", {"w:val": style_id}))
        p.append(ppr)
    for item in content:
        p.append(item)
    return p


def ppr_of(p: Element) -> Element:
    """Return the w:pPr of paragraph `p`, creating it as first child when absent."""
    ppr = find(p, "w:pPr")
    if ppr is None:
        ppr = el("w:pPr")
        p.insert(0, ppr)
    return ppr


def complex_field(
    instruction: str, result: Iterable[Element] | str, *, dirty: bool = False
) -> list[Element]:
    """Return the runs of a complex field: begin, instruction, separate, result, end.

    The result is what a reader sees before the field is updated, so it should
    be the right value whenever we can compute it.
    """
    begin_attrs = {"w:fldCharType": "begin"}
    if dirty:
        begin_attrs["w:dirty"] = "true"
    instr = el("w:instrText")
    instr.text = f" {instruction} "
    instr.set(_XML_SPACE, "preserve")
    result_runs = [run(result)] if isinstance(result, str) else list(result)
    return [
        el("w:r", None, el("w:fldChar", begin_attrs)),
        el("w:r", None, instr),
        el("w:r", None, el("w:fldChar", {"w:fldCharType": "separate"})),
        *result_runs,
        el("w:r", None, el("w:fldChar", {"w:fldCharType": "end"})),
    ]


def field_begin(instruction: str, *, dirty: bool = False) -> list[Element]:
    """Return the opening runs of a complex field that spans several paragraphs."""
    runs = complex_field(instruction, [], dirty=dirty)
    return runs[:-1]


def field_end() -> Element:
    """Return the closing run of a complex field opened with `field_begin`."""
    return el("w:r", None, el("w:fldChar", {"w:fldCharType": "end"}))


def bookmark(bookmark_id: int, name: str, *content: Element) -> list[Element]:
    """Return content wrapped in a bookmarkStart/bookmarkEnd pair."""
    start = el("w:bookmarkStart", {"w:id": str(bookmark_id), "w:name": name})
    end = el("w:bookmarkEnd", {"w:id": str(bookmark_id)})
    return [start, *content, end]


def hyperlink(*runs: Element, rel_id: str | None = None, anchor: str | None = None) -> Element:
    """Return a w:hyperlink to an external relationship or an internal bookmark."""
    attrs = {"w:history": "1"}
    if anchor is not None:
        attrs["w:anchor"] = anchor
    link = el("w:hyperlink", attrs, *runs)
    if rel_id is not None:
        link.set(qn("r:id"), rel_id)
    return link


def numbering(num_id: int, level: int) -> Element:
    """A w:numPr putting a paragraph in list `num_id` at `level` (0-based)."""
    return el(
        "w:numPr", None,
        el("w:ilvl", {"w:val": str(min(level, 8))}),
        el("w:numId", {"w:val": str(num_id)}),
    )


def no_numbering() -> Element:
    """A w:numPr that switches off numbering a paragraph would get from its style."""
    return numbering(0, 0)


def append_body_block(body: Element, block: Element) -> None:
    """Append a paragraph or table to the body, keeping the final w:sectPr last."""
    last = body[-1] if len(body) else None
    if last is not None and last.tag == qn("w:sectPr"):
        last.addprevious(block)
    else:
        body.append(block)
