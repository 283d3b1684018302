"""The .docx package around the body: base document, properties, settings, bytes.

Opens the starting point (python-docx's blank document or a reference
.docx/.dotx emptied of its content), sets the document properties and settings,
attaches review comments, and serialises everything reproducibly: fixed
timestamps and a stable entry order, so equal input gives equal bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from pathlib import Path

import docx
from docx.document import Document as WordDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Twips

from ...document import Metadata
from . import oxml
from .oxml import Element
from .pages import PageGeometry

__all__ = [
    "attach_comments",
    "fixed_time",
    "open_base",
    "page_geometry",
    "set_a4_page",
    "set_core_properties",
    "set_settings",
    "text_width",
    "to_bytes",
]

_DOCUMENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_TEMPLATE_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
_DEFAULT_EPOCH = 946684800  # 2000-01-01T00:00:00Z
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can record
_REVIEW_AUTHOR = "ivbcompose"
_WORD_2013 = 15
# Parts of python-docx's blank document (and of many templates) that describe
# some other document: a preview picture and Word 2010's shadow style sheet.
_STALE_PACKAGE_RELS = (RT.THUMBNAIL,)
_STALE_PART_RELS = ("http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",)
# Settings children that follow w:updateFields in the schema (CT_Settings).
_AFTER_UPDATE_FIELDS = (
    "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars",
    "w:rsids", "m:mathPr", "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade",
    "w:captions", "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary",
    "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator",
)


def open_base(reference: Path | None) -> WordDocument:
    """The document to write into: blank, or the reference with its body emptied.

    The reference's final section properties (page size, margins, header and
    footer references) stay; everything else in the body goes.
    """
    if reference is None:
        word = docx.Document()
    else:
        word = docx.Document(io.BytesIO(_as_document_package(Path(reference))))
        _drop_comments(word)
    body = word.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    _drop_stale_parts(word)
    return word


def _as_document_package(path: Path) -> bytes:
    """The reference's bytes, with a template's (.dotx) main part declared a document."""
    data = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        types = source.read("[Content_Types].xml").decode("utf-8")
        if _TEMPLATE_TYPE not in types:
            return data
        entries = [(info, source.read(info)) for info in source.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info, content in entries:
            if info.filename == "[Content_Types].xml":
                content = types.replace(_TEMPLATE_TYPE, _DOCUMENT_TYPE).encode("utf-8")
            target.writestr(info, content)
    return out.getvalue()


def _drop_comments(word: WordDocument) -> None:
    """A reference's comments belong to its removed content."""
    try:
        part = word.part.part_related_by(RT.COMMENTS)
    except KeyError:
        return
    root = part.element  # type: ignore[attr-defined]
    for comment in list(root):
        root.remove(comment)


def _drop_stale_parts(word: WordDocument) -> None:
    package_rels = word.part.package.rels
    for rel_id in [r for r, rel in package_rels.items() if rel.reltype in _STALE_PACKAGE_RELS]:
        del package_rels[rel_id]
    part_rels = word.part.rels
    for rel_id in [r for r, rel in part_rels.items() if rel.reltype in _STALE_PART_RELS]:
        del part_rels[rel_id]


def set_a4_page(section: Section) -> None:
    """A4 portrait with 2.5 cm margins: the house page."""
    section.page_width, section.page_height = Twips(11906), Twips(16838)
    for side in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
        setattr(section, side, Twips(1418))
    section.header_distance = section.footer_distance = Twips(709)
    section.gutter = Twips(0)


def text_width(section: Section) -> int:
    """The width between the margins, in twips."""
    width = section.page_width or Twips(11906)
    used = sum(m or 0 for m in (section.left_margin, section.right_margin, section.gutter))
    return int((width - used) / 635)


def page_geometry(section: Section) -> PageGeometry:
    """The writing area between the margins, in points."""
    height = section.page_height or Twips(16838)
    used = sum(m or 0 for m in (section.top_margin, section.bottom_margin))
    return PageGeometry(width=text_width(section) / 20, height=(height - used) / 12700)


def fixed_time(epoch: int | None) -> dt.datetime:
    """The timestamp recorded everywhere in the package (UTC, whole seconds)."""
    seconds = _DEFAULT_EPOCH if epoch is None else epoch
    return dt.datetime.fromtimestamp(seconds, dt.UTC).replace(tzinfo=None)


def set_core_properties(word: WordDocument, metadata: Metadata, when: dt.datetime) -> None:
    """Replace the core properties with exactly ours: nothing left from a template."""
    props = word.core_properties
    core_part = word.part.package.part_related_by(RT.CORE_PROPERTIES)
    root = core_part.element  # type: ignore[attr-defined]
    for child in list(root):
        root.remove(child)
    props.title = metadata.title
    props.subject = metadata.subject
    props.author = metadata.author
    props.last_modified_by = metadata.author
    props.keywords = "; ".join(metadata.keywords)  # as Office separates tags
    props.language = metadata.language
    props.content_status = metadata.status
    props.version = metadata.version
    props.revision = 1
    props.created = when
    props.modified = when


def set_settings(settings: Element, language: str) -> None:
    """Ask Word to refresh fields on opening; Dutch decimal comma and list separator."""
    (update,) = oxml.parse_w('<w:updateFields w:val="true"/>')
    existing = oxml.find(settings, "w:updateFields")
    if existing is not None:
        settings.remove(existing)
    successors = {_clark(name) for name in _AFTER_UPDATE_FIELDS}
    anchor = next((child for child in settings if child.tag in successors), None)
    if anchor is not None:
        anchor.addprevious(update)
    else:
        settings.append(update)
    _leave_compatibility_mode(settings)
    theme_lang = oxml.find(settings, "w:themeFontLang")
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), language)
    if language.lower().startswith("nl"):
        for tag, value in (("w:decimalSymbol", ","), ("w:listSeparator", ";")):
            element = oxml.find(settings, tag)
            if element is not None:
                element.set(qn("w:val"), value)


def _leave_compatibility_mode(settings: Element) -> None:
    """Mark the file as Word 2013+, so Word does not open it in "compatibility mode"."""
    compat = oxml.find(settings, "w:compat")
    if compat is None:
        return
    for setting in oxml.findall(compat, "w:compatSetting"):
        if setting.get(qn("w:name")) == "compatibilityMode":
            value = setting.get(qn("w:val"), "0")
            if not value.isdigit() or int(value) < _WORD_2013:
                setting.set(qn("w:val"), str(_WORD_2013))


def _clark(name: str) -> str:
    if name.startswith("sl:"):
        return "{http://schemas.openxmlformats.org/schemaLibrary/2006/main}" + name[3:]
    return qn(name)


def attach_comments(word: WordDocument, reviews: Sequence[tuple[Element, str]],
                    when: dt.datetime) -> None:
    """Turn review notes into Word comments spanning their paragraph."""
    if not reviews:
        return
    for paragraph, text in reviews:
        comment = word.comments.add_comment(text=text, author=_REVIEW_AUTHOR, initials="IVB")
        _mark_comment_range(paragraph, comment.comment_id)
    comments = word.part.part_related_by(RT.COMMENTS).element  # type: ignore[attr-defined]
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    for comment in oxml.findall(comments, "w:comment"):
        comment.set(qn("w:date"), stamp)


def _mark_comment_range(paragraph: Element, comment_id: int) -> None:
    ppr = oxml.find(paragraph, "w:pPr")
    start = oxml.el("w:commentRangeStart", {"w:id": str(comment_id)})
    if ppr is not None:
        ppr.addnext(start)
    else:
        paragraph.insert(0, start)
    paragraph.append(oxml.el("w:commentRangeEnd", {"w:id": str(comment_id)}))
    reference = oxml.el("w:commentReference", {"w:id": str(comment_id)})
    paragraph.append(oxml.el("w:r", None, reference))


def to_bytes(word: WordDocument, when: dt.datetime) -> bytes:
    """Serialise with fixed entry times and order: the same document, the same bytes."""
    raw = io.BytesIO()
    word.save(raw)
    stamp = max(when.timetuple()[:6], _ZIP_EPOCH)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in sorted(source.namelist(), key=_entry_order):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            target.writestr(info, source.read(name))
    return out.getvalue()


def _entry_order(name: str) -> tuple[int, str]:
    """[Content_Types].xml and the package relationships first, as Word writes them."""
    first = {"[Content_Types].xml": 0, "_rels/.rels": 1}
    return first.get(name, 2), name
