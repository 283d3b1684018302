"""Accessibility audit of a finished .docx: the rules a reader with a screen reader relies on.

`audit_docx` reads the produced file back (not the IR), so it checks what a
reader actually gets, whichever writer or reference document made it. The
rules are the usual ones for accessible Word files (WCAG 2.1 applied to
office documents), each checked by construction, not by heuristics on looks:

- the text language is set in the styles, so spelling checks and screen
  readers pick Dutch (`text-language`);
- the document has a title and a language in its properties
  (`document-title`, `document-language`);
- every table's first row is marked as a header row (`table-header`);
- every image, and every chart, has alternative text or is marked decorative
  (`image-alt-text`): both are drawings with a wp:docPr, where Word keeps it;
- heading levels start at 1 and never skip a level (`heading-order`);
- lists are real lists, not typed bullets or numbers (`typed-list`);
- no empty paragraphs are used as spacing (`empty-paragraph`).

Empty paragraphs that the file format itself requires are allowed: one that
carries a section break (w:sectPr), and the last paragraph of the body or of
a table cell when it is the only block there or directly follows a table
(Word cannot end a document or a cell with a table, and every cell needs a
paragraph); and one between two tables, which would otherwise be shown as
one table. Paragraphs in headers and footers are not checked for emptiness.

Paragraphs are counted in document order over the whole body, table cells
included, starting at 1. A renvooi's tracked changes are judged as the document
reads once they are accepted: a deleted paragraph (its paragraph mark deleted)
is no heading, list or spacing, and deleted text is text, not emptiness.
"""

from __future__ import annotations

import functools
import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from ...document import TYPED_LIST_MARKER
from ...i18n import Message, tr

__all__ = ["RULES", "AuditFinding", "audit_docx"]

RULES: dict[str, str] = {
    "text-language": tr("the text language is set in the styles"),
    "document-title": tr("the document properties hold a title"),
    "document-language": tr("the document properties hold the language"),
    "table-header": tr("every table's first row is a header row"),
    "image-alt-text": tr("every image has alternative text or is marked decorative"),
    "heading-order": tr("headings start at level 1 and never skip a level"),
    "typed-list": tr("lists use list styles or numbering, not typed bullets or numbers"),
    "empty-paragraph": tr("no empty paragraphs are used as spacing"),
}

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_DC = "http://purl.org/dc/elements/1.1/"
_DECORATIVE = "{http://schemas.microsoft.com/office/drawing/2017/decorative}decorative"
_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CORE_PROPERTIES = (
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
)
# Parts of the main document that can hold images besides the body itself.
_STORY_RELS = ("header", "footer", "footnotes", "endnotes", "comments")
_BODY_TEXT_LEVEL = 9  # w:outlineLvl 9 means "body text", not a heading
_SNIPPET_WORDS = 6
_FALSE = ("0", "false", "off")
_TYPED_MARKER = TYPED_LIST_MARKER
# What makes a paragraph without text still show something.
_VISIBLE = ("drawing", "pict", "object", "fldChar", "fldSimple", "instrText", "sym",
            "footnoteReference", "endnoteReference", "delText")


@functools.cache  # asked a few hundred thousand times per document, of a few dozen names
def _w(name: str) -> str:
    return f"{{{_W}}}{name}"


_VISIBLE_TAGS = frozenset(_w(name) for name in _VISIBLE)


@dataclass(frozen=True)
class AuditFinding:
    """One broken rule: its code (a key of `RULES`), where and what, and how to fix it."""

    code: str
    message: str
    hint: str | None = None

    def __str__(self) -> str:
        text = f"{self.code}: {self.message}"
        return f"{text} (hint: {self.hint})" if self.hint else text


def audit_docx(data: bytes, *, language: str = "nl-NL") -> list[AuditFinding]:
    """Every accessibility finding in the .docx `data`, in rule order; [] when all is well.

    `language` is the expected text language (BCP 47, as Word writes it).
    Raises ValueError when `data` is not a Word document.
    """
    package = _Package(data)
    styles = _Styles(package.styles())
    body = package.body()
    paragraphs = _Paragraphs(body)
    findings: list[AuditFinding] = []
    findings += _check_text_language(styles, language)
    findings += _check_core_properties(package.core_properties(), language)
    findings += _check_table_headers(body)
    findings += _check_images(package, body, paragraphs)
    findings += _check_heading_order(paragraphs, styles)
    findings += _check_typed_lists(paragraphs, styles)
    findings += _check_empty_paragraphs(body, paragraphs)
    return findings


# -- reading the package ----------------------------------------------------------------


class _Package:
    """The parts of a .docx the rules read, found through relationships, not fixed names."""

    def __init__(self, data: bytes) -> None:
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile as error:
            raise ValueError("not a .docx file (not a zip package)") from error
        self.main = self._target("", _DOC_RELS + "/officeDocument")
        if self.main is None:
            raise ValueError("not a .docx file (no main document part)")
        self._main_rels = self._rels(self.main)

    def body(self) -> etree._Element:
        body = self._xml(self.main).find(_w("body"))
        if body is None:
            raise ValueError(f"{self.main} has no w:body")
        return body

    def styles(self) -> etree._Element | None:
        name = self._related(_DOC_RELS + "/styles")
        return self._xml(name) if name else None

    def core_properties(self) -> etree._Element | None:
        name = self._target("", _CORE_PROPERTIES)
        return self._xml(name) if name else None

    def stories(self) -> Iterator[tuple[str, etree._Element]]:
        """Headers, footers, notes and comments: the parts besides the body that show images."""
        for rel_type, target in self._main_rels:
            if rel_type.rsplit("/", 1)[-1] in _STORY_RELS:
                yield target, self._xml(target)

    def _related(self, rel_type: str) -> str | None:
        return next((target for kind, target in self._main_rels if kind == rel_type), None)

    def _target(self, source: str, rel_type: str) -> str | None:
        return next((target for kind, target in self._rels(source) if kind == rel_type), None)

    def _rels(self, source: str) -> list[tuple[str, str]]:
        """(type, part name) of the internal relationships of part `source` ("" = package)."""
        folder, name = posixpath.split(source)
        rels_name = posixpath.join(folder, "_rels", f"{name}.rels")
        if rels_name not in self._zip.namelist():
            return []
        found = []
        for rel in self._xml(rels_name).iter(f"{{{_PKG_RELS}}}Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join(folder, target))
            found.append((rel.get("Type", ""), path))
        return found

    def _xml(self, name: str) -> etree._Element:
        try:
            return etree.fromstring(self._zip.read(name))
        except KeyError as error:
            raise ValueError(f"the package lacks its part {name}") from error


class _Styles:
    """Paragraph styles by id, enough to resolve inherited properties through w:basedOn."""

    def __init__(self, root: etree._Element | None) -> None:
        self.root = root
        self.by_id: dict[str, etree._Element] = {}
        self.default_paragraph: str | None = None
        self._inherited: dict[tuple[str | None, str], etree._Element | None] = {}
        self._levels: dict[str | None, int | None] = {}
        for style in root.iter(_w("style")) if root is not None else ():
            if style.get(_w("type"), "paragraph") != "paragraph":
                continue
            style_id = style.get(_w("styleId"), "")
            self.by_id[style_id] = style
            if style.get(_w("default")) in ("1", "true", "on"):
                self.default_paragraph = style_id

    def chain(self, style_id: str | None) -> Iterator[etree._Element]:
        """The style and its ancestors, nearest first."""
        seen: set[str] = set()
        current = style_id or self.default_paragraph
        while current and current not in seen and current in self.by_id:
            seen.add(current)
            style = self.by_id[current]
            yield style
            based = style.find(_w("basedOn"))
            current = based.get(_w("val")) if based is not None else None

    def name(self, style_id: str | None) -> str:
        style = self.by_id.get(style_id or "")
        name = style.find(_w("name")) if style is not None else None
        return (name.get(_w("val"), "") if name is not None else "").lower()

    def heading_level(self, style_id: str | None) -> int | None:
        """The heading level paragraphs of `style_id` get from their style (see
        `_heading_level`), worked out once per style."""
        if style_id not in self._levels:
            outline = self.inherited(style_id, "w:pPr/w:outlineLvl")
            if outline is not None:
                self._levels[style_id] = _outline_level(outline)
            else:
                match = re.fullmatch(r"heading ([1-9])", self.name(style_id))
                self._levels[style_id] = int(match.group(1)) if match else None
        return self._levels[style_id]

    def inherited(self, style_id: str | None, path: str) -> etree._Element | None:
        """The first element at `path` (like "w:pPr/w:outlineLvl") along the style chain."""
        # Asked for every paragraph of the document, of a few styles: looked up once each.
        key = (style_id, path)
        if key not in self._inherited:
            self._inherited[key] = next(
                (found for style in self.chain(style_id)
                 if (found := style.find(path, {"w": _W})) is not None), None)
        return self._inherited[key]


class _Paragraphs:
    """All body paragraphs in document order, with their number and a short quote."""

    def __init__(self, body: etree._Element) -> None:
        self.all = list(body.iter(_w("p")))
        self._number = {p: index for index, p in enumerate(self.all, start=1)}
        # Asked by several rules of every paragraph (most of them table cells): once each.
        self._texts: dict[etree._Element, str] = {}
        # Without the paragraphs a tracked change deletes: what the accepted document has.
        self.kept = [p for p in self.all if _mark_property(p, "del") is None]

    def number(self, p: etree._Element) -> int:
        return self._number[p]

    def text(self, p: etree._Element) -> str:
        if p not in self._texts:
            self._texts[p] = _text(p)
        return self._texts[p]

    def place(self, p: etree._Element) -> Message:
        """'paragraph 57 ("Een veilige gemeente is…")', or where an empty one stands."""
        number = self._number[p]
        text = self.text(p)
        if text:
            return tr('paragraph {number} ("{text}")', number=number, text=_snippet(text))
        before = next(filter(None, map(self.text, reversed(self.all[:number - 1]))), "")
        if before:
            return tr('paragraph {number} (no text, after "{text}")', number=number,
                      text=_snippet(before))
        return tr("paragraph {number} (no text, at the start)", number=number)


def _text(p: etree._Element) -> str:
    parts = []
    for node in p.iter(_w("t"), _w("tab"), _w("br")):
        parts.append((node.text or "") if node.tag == _w("t") else " ")
    return " ".join("".join(parts).split())


def _property(p: etree._Element, name: str) -> etree._Element | None:
    """The paragraph property `name` ("pStyle") of `p`, or None."""
    # Asked of every paragraph, so lxml's ElementPath (`find`, several times slower) only
    # when w:pPr is not where the schema puts it, first (CT_P); the property itself is
    # found by a C-level walk over the properties.
    ppr = p[0] if len(p) and p[0].tag == _w("pPr") else p.find(_w("pPr"))
    return next(ppr.iterchildren(_w(name)), None) if ppr is not None else None


def _mark_property(p: etree._Element, name: str) -> etree._Element | None:
    """The property `name` of the paragraph mark of `p` (w:pPr/w:rPr), or None."""
    rpr = _property(p, "rPr")
    return next(rpr.iterchildren(_w(name)), None) if rpr is not None else None


def _snippet(text: str) -> str:
    words = text.split()
    short = " ".join(words[:_SNIPPET_WORDS])
    return short + "…" if len(words) > _SNIPPET_WORDS else short


def _style_of(p: etree._Element) -> str | None:
    style = _property(p, "pStyle")
    return style.get(_w("val")) if style is not None else None


def _on(element: etree._Element | None) -> bool:
    """Whether an OOXML on/off element is present and not switched off."""
    return element is not None and element.get(_w("val"), "true").lower() not in _FALSE


# -- the rules --------------------------------------------------------------------------


def _check_text_language(styles: _Styles, language: str) -> list[AuditFinding]:
    """The language Normal text gets: its style chain's w:lang, else the defaults'."""
    lang = styles.inherited(styles.default_paragraph, "w:rPr/w:lang")
    where = tr('the default paragraph style "{style}"', style=styles.default_paragraph)
    if lang is None and styles.root is not None:
        lang = styles.root.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", {"w": _W})
        where = tr("the document defaults (w:docDefaults)")
    value = lang.get(_w("val")) if lang is not None else None
    if value is not None and value.lower() == language.lower():
        return []
    problem = tr("is {value}", value=value) if value else tr("is not set")
    return [AuditFinding(
        "text-language", tr("the text language in {place} {problem}; expected {language}",
                            place=where, problem=problem, language=language),
        tr('set w:lang w:val="{language}" in w:docDefaults/w:rPrDefault and the Normal '
           'style', language=language))]


def _check_core_properties(core: etree._Element | None,
                           language: str) -> list[AuditFinding]:
    title = core.findtext(f"{{{_DC}}}title") if core is not None else None
    lang = core.findtext(f"{{{_DC}}}language") if core is not None else None
    findings = []
    if not (title or "").strip():
        findings.append(AuditFinding(
            "document-title", tr("the document properties have no title (dc:title)"),
            tr("set the title in File > Info > Properties; a screen reader announces it")))
    if (lang or "").strip().lower() != language.lower():
        found = tr("is {value}", value=(lang or "").strip()) if (lang or "").strip() \
            else tr("is not set")
        findings.append(AuditFinding(
            "document-language",
            tr("the language in the document properties (dc:language) {problem}; "
               "expected {language}", problem=found, language=language),
            tr("set dc:language to {language} in docProps/core.xml", language=language)))
    return findings


def _check_table_headers(body: etree._Element) -> list[AuditFinding]:
    findings = []
    for number, table in enumerate(body.iter(_w("tbl")), start=1):
        first = table.find(_w("tr"))
        if first is not None and _on(first.find(f"{_w('trPr')}/{_w('tblHeader')}")):
            continue
        findings.append(AuditFinding(
            "table-header",
            tr("{place}: the first row is not marked as a header row",
               place=_table_place(table, number)),
            tr("select the first row and turn on 'Repeat as header row' (w:tblHeader)")))
    return findings


def _table_place(table: etree._Element, number: int) -> Message:
    caption = table.find(f"{_w('tblPr')}/{_w('tblCaption')}")
    label = caption.get(_w("val"), "") if caption is not None else ""
    if not label:
        first = table.find(_w("tr"))
        cells = first.iter(_w("p")) if first is not None else ()
        label = " ".join(filter(None, (_text(p) for p in cells)))
    return tr('table {number} ("{text}")', number=number, text=_snippet(label)) if label \
        else tr("table {number}", number=number)


def _check_images(package: _Package, body: etree._Element,
                  paragraphs: _Paragraphs) -> list[AuditFinding]:
    places = [(doc_pr, _image_place(doc_pr, paragraphs))
              for doc_pr in body.iter(f"{{{_WP}}}docPr")]
    for story, root in package.stories():
        places += [(doc_pr, story) for doc_pr in root.iter(f"{{{_WP}}}docPr")]
    findings = []
    for number, (doc_pr, where) in enumerate(places, start=1):
        if (doc_pr.get("descr") or "").strip() or _decorative(doc_pr):
            continue
        name = doc_pr.get("name") or "unnamed"
        findings.append(AuditFinding(
            "image-alt-text", tr('image {number} ("{name}") in {place} has no alternative '
                                 'text', number=number, name=name, place=where),
            tr("describe the image in its alt text (docPr descr), "
               "or mark it decorative if it adds nothing")))
    return findings


def _image_place(doc_pr: etree._Element, paragraphs: _Paragraphs) -> str:
    paragraph = _owning_paragraph(doc_pr)
    return paragraphs.place(paragraph) if paragraph is not None else tr("the body")


def _owning_paragraph(element: etree._Element) -> etree._Element | None:
    parent = element.getparent()
    while parent is not None and parent.tag != _w("p"):
        parent = parent.getparent()
    return parent


def _decorative(doc_pr: etree._Element) -> bool:
    return any(_on_attr(flag.get("val")) for flag in doc_pr.iter(_DECORATIVE))


def _on_attr(value: str | None) -> bool:
    return value is not None and value.lower() in ("1", "true", "on")


def _check_heading_order(paragraphs: _Paragraphs, styles: _Styles) -> list[AuditFinding]:
    findings = []
    previous: int | None = None
    for p in paragraphs.kept:
        level = _heading_level(p, styles)
        if level is None:
            continue
        place = paragraphs.place(p)
        if previous is None and level != 1:
            findings.append(AuditFinding(
                "heading-order",
                tr("{place}: the first heading is level {level}; a document starts at "
                   "level 1", place=place, level=level),
                tr("make the first heading a Heading 1")))
        elif previous is not None and level > previous + 1:
            findings.append(AuditFinding(
                "heading-order",
                tr("{place}: heading level {level} follows level {previous}, "
                   "skipping level {missing}", place=place, level=level, previous=previous,
                   missing=previous + 1),
                tr("make it a level {missing} heading or add the missing level",
                   missing=previous + 1)))
        previous = level
    return findings


def _heading_level(p: etree._Element, styles: _Styles) -> int | None:
    """1 for a Heading 1 paragraph and so on; None for body text.

    The outline level is what navigation panes, tables of contents and PDF
    tags use; a heading style without one is recognised by its name.
    """
    direct = _property(p, "outlineLvl")
    if direct is not None:
        return _outline_level(direct)
    return styles.heading_level(_style_of(p))


def _outline_level(outline: etree._Element) -> int | None:
    value = outline.get(_w("val"), "")
    level = int(value) if value.isdigit() else _BODY_TEXT_LEVEL
    return level + 1 if level < _BODY_TEXT_LEVEL else None


def _check_typed_lists(paragraphs: _Paragraphs, styles: _Styles) -> list[AuditFinding]:
    findings = []
    for p in paragraphs.kept:
        text = paragraphs.text(p)
        if not _TYPED_MARKER.match(text) or _numbered(p, styles):
            continue
        if styles.name(_style_of(p)).startswith("toc "):
            continue  # a table of contents repeats heading numbers as text
        findings.append(AuditFinding(
            "typed-list",
            tr('{place} starts with a typed list marker "{marker}" instead of list numbering',
               place=paragraphs.place(p), marker=text.split()[0]),
            tr("use a list style (List Bullet, List Number) so the list is read out as a "
               "list")))
    return findings


def _numbered(p: etree._Element, styles: _Styles) -> bool:
    """Whether the paragraph is in a list, directly or through its style."""
    num_pr = _property(p, "numPr")
    if num_pr is None:
        num_pr = styles.inherited(_style_of(p), "w:pPr/w:numPr")
    num_id = num_pr.find(_w("numId")) if num_pr is not None else None
    return num_id is not None and num_id.get(_w("val"), "0") != "0"


def _check_empty_paragraphs(body: etree._Element,
                            paragraphs: _Paragraphs) -> list[AuditFinding]:
    containers = [body, *body.iter(_w("tc"))]
    empty = [p for container in containers
             for p in _spacing_paragraphs(container, paragraphs)]
    empty.sort(key=paragraphs.number)
    return [AuditFinding(
        "empty-paragraph", tr("{place} is used as spacing", place=paragraphs.place(p)),
        tr("remove it; use space before/after in the paragraph style, "
           "or 'page break before' to start a new page")) for p in empty]


def _spacing_paragraphs(container: etree._Element,
                        paragraphs: _Paragraphs) -> Iterator[etree._Element]:
    """The empty paragraphs directly in `container` (body or cell) that are not required."""
    blocks = list(_blocks(container))
    for index, block in enumerate(blocks):
        if block.tag != _w("p") or paragraphs.text(block) or not _empty(block):
            continue
        if _property(block, "sectPr") is not None:
            continue  # carries a section break
        last = index == len(blocks) - 1
        after_table = index > 0 and blocks[index - 1].tag == _w("tbl")
        if last and (index == 0 or after_table):
            continue  # the paragraph the format demands after a final table / in a cell
        if after_table and not last and blocks[index + 1].tag == _w("tbl"):
            continue  # keeps two tables apart
        yield block


def _blocks(container: etree._Element) -> Iterator[etree._Element]:
    """Paragraphs and tables of a body or cell, looking through content controls."""
    for child in container:
        if child.tag == _w("sdt"):
            content = child.find(_w("sdtContent"))
            if content is not None:
                yield from _blocks(content)
        elif child.tag in (_w("p"), _w("tbl")):
            yield child


def _empty(p: etree._Element) -> bool:
    """Whether `p`, which has no text, shows nothing either (no drawing, field, …)."""
    return not any(node.tag in _VISIBLE_TAGS for node in p.iter())
