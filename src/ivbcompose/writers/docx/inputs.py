"""Checks for the files a municipality supplies to the Word writer: logo and reference document.

A logo that python-docx cannot read, or a reference document that is not a
Word file, would otherwise stop the build with a traceback from deep inside
python-docx. `image_problem` and `reference_problem` say in one English
sentence, for a policy advisor, what is wrong with such a file, or return None
when the file is usable.

Both checks are faithful: after recognising the common mistakes (an SVG logo, a
text file, an image of no size, an old .doc file, an Excel workbook renamed, a
damaged zip) they render a tiny document with the file through `render_docx`,
the very code path of the build, so None means the build will not fail on it.
Neither function raises for a bad file; a failure nobody foresaw is reported
as "<name> cannot be used: <what python-docx said>".
"""

from __future__ import annotations

import codecs
import io
import posixpath
import re
import zipfile
import zlib
from pathlib import Path

from docx.image.exceptions import UnexpectedEndOfFileError, UnrecognizedImageError
from docx.image.image import Image as WordImage
from lxml import etree

from ...document import (
    Column,
    Document,
    Heading,
    Image,
    ListBlock,
    ListItem,
    Metadata,
    PageBreak,
    Paragraph,
    Row,
    Span,
    Table,
    TableOfContents,
    TitlePage,
)
from ...i18n import Message, tr

__all__ = ["image_problem", "reference_problem"]

_SAMPLE = 64 * 1024  # how much of a file the content sniffing looks at
_MAX_DETAIL = 200  # longest exception text quoted in a message
# A reference document is styles and page settings: a few hundred kB. These bounds stop a
# zip bomb (a small file that unpacks to gigabytes) before any part of it is unpacked.
_MAX_FILE = 20 * 1024 * 1024
_MAX_UNPACKED = 100 * 1024 * 1024
_MAX_RATIO = 200
_USE_PNG = tr("use a PNG or JPEG file")
_SAVE_AS_DOCX = tr("open it in Word and save it as a Word document (.docx)")

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Office 97–2003 files, encrypted OOXML
_STRICT_RELS = "http://purl.oclc.org/ooxml/officeDocument/relationships/"
_OFFICE_DOCUMENT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
)
_W_MAIN = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_W_BODY, _W_SECTPR = _W_MAIN + "body", _W_MAIN + "sectPr"
# No entities, no network, no huge trees: the file comes from outside.
_SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)

_WORD_TYPES = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
)
# Main-part content types of Office files that are not a usable Word document,
# most specific first, with what to call them.
_OTHER_OFFICE_TYPES = (
    ("application/vnd.ms-word.document.macroEnabled.main+xml",
     tr("is a Word document with macros (.docm); save it as a Word document (.docx) "
        "without macros")),
    ("application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
     tr("is a Word template with macros (.dotm); save it as a Word template (.dotx) "
        "without macros")),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.",
     tr("is an Excel workbook, not a Word document")),
    ("application/vnd.ms-excel.", tr("is an Excel workbook, not a Word document")),
    ("application/vnd.openxmlformats-officedocument.presentationml.",
     tr("is a PowerPoint presentation, not a Word document")),
    ("application/vnd.ms-powerpoint.", tr("is a PowerPoint presentation, not a Word document")),
    ("application/vnd.ms-visio.", tr("is a Visio drawing, not a Word document")),
    ("application/vnd.ms-package.xps-fixeddocumentsequence+xml",
     tr("is an XPS document, not a Word document")),
)
_ODF_KINDS = (
    ("application/vnd.oasis.opendocument.text", tr("an OpenDocument text file (.odt)")),
    ("application/vnd.oasis.opendocument.spreadsheet",
     tr("an OpenDocument spreadsheet (.ods)")),
    ("application/vnd.oasis.opendocument.presentation",
     tr("an OpenDocument presentation (.odp)")),
    ("application/vnd.oasis.opendocument.graphics", tr("an OpenDocument drawing (.odg)")),
)


# -- logo -----------------------------------------------------------------------------


def image_problem(path: Path) -> Message | None:
    """None when python-docx can place this image on a page, else a short English sentence.

    The sentence names the file and says what is wrong, e.g. "logo.svg is an SVG
    image; use a PNG or JPEG file" or "logo.png has no size (0 × 0 pixels)".
    """
    path = Path(path)
    name = path.name
    data, problem = _read(path)
    if problem is not None:
        return problem
    assert data is not None
    if not data:
        return tr("{name} is empty (0 bytes); {advice}", name=name, advice=_USE_PNG)
    try:
        image = WordImage.from_blob(data)
    except UnrecognizedImageError:
        return _unrecognised_image(name, data)
    except Exception as exc:  # it starts like a known image format, but does not parse
        if _as_text(data[:_SAMPLE]) is not None:
            return _unrecognised_image(name, data)
        why = tr("it ends too early") if isinstance(exc, UnexpectedEndOfFileError) \
            else _detail(exc)
        return tr("{name} is a damaged image file ({reason}); save it again as PNG", name=name,
                  reason=why)
    width, height = image.px_width, image.px_height
    if width <= 0 or height <= 0:
        return tr("{name} has no size ({width} × {height} pixels)", name=name, width=width,
                  height=height)
    if image.horz_dpi <= 0 or image.vert_dpi <= 0:
        return tr("{name} records a resolution of 0 dots per inch; save it again as PNG",
                  name=name)
    probe = _probe_document(logo=Image(str(path), f"Logo {name}"))
    return _render_problem(name, probe, reference=None)


def _unrecognised_image(name: str, data: bytes) -> Message:
    """What a file is that python-docx does not take for an image."""
    head = data[:_SAMPLE]
    if head.startswith(b"\xff\xd8\xff"):
        return tr("{name} is a JPEG file without a JFIF or Exif header, which cannot be "
                  "placed; save it again as PNG", name=name)
    if head.startswith(b"\x1f\x8b"):
        if name.lower().endswith(".svgz"):
            return tr("{name} is a compressed SVG image; {advice}", name=name, advice=_USE_PNG)
        return tr("{name} is a compressed (gzip) file, not an image; {advice}", name=name,
                  advice=_USE_PNG)
    kind = _binary_kind(head)
    if kind is not None:
        return tr("{name} is {kind}; {advice}", name=name, kind=kind, advice=_USE_PNG)
    text = _as_text(head)
    if text is not None:
        lowered = text.lstrip("\ufeff \t\r\n").lower()
        if lowered.startswith("<") and re.search(r"<svg[\s>]", lowered):
            return tr("{name} is an SVG image; {advice}", name=name, advice=_USE_PNG)
        if re.search(r"<!doctype\s+html|<html[\s>]", lowered[:1024]):
            return tr("{name} is a web page (HTML), not an image file; {advice}", name=name,
                      advice=_USE_PNG)
        return tr("{name} is not an image file (it contains text)", name=name)
    return tr("{name} is not a PNG, JPEG, GIF, BMP or TIFF image; {advice}", name=name,
              advice=_USE_PNG)


def _binary_kind(head: bytes) -> Message | None:
    """The name of a well-known file format python-docx cannot place, by its signature."""
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return tr("a WebP image")
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"avif", b"avis"):
            return tr("an AVIF image")
        if brand in (b"heic", b"heix", b"hevc", b"hevx", b"mif1", b"msf1"):
            return tr("a HEIC image (the iPhone photo format)")
    signatures = (
        (b"%PDF", tr("a PDF file")),
        (b"%!PS", tr("a PostScript (EPS) file")),
        (b"\xc5\xd0\xd3\xc6", tr("a PostScript (EPS) file")),
        (b"8BPS", tr("a Photoshop file (PSD)")),
        (b"\xd7\xcd\xc6\x9a", tr("a Windows metafile (WMF)")),
        (b"\x00\x00\x01\x00", tr("an icon file (ICO)")),
        (b"\x00\x00\x00\x0cjP  ", tr("a JPEG 2000 image")),
        (b"PK\x03\x04", tr("a zip file, not an image")),
        (_OLE_MAGIC, tr("an Office document, not an image")),
    )
    for magic, kind in signatures:
        if head.startswith(magic):
            return kind
    if head[:4] == b"\x01\x00\x00\x00" and head[40:44] == b" EMF":
        return tr("a Windows metafile (EMF)")
    return None


# -- reference document ---------------------------------------------------------------


def reference_problem(path: Path) -> Message | None:
    """None when the writer can use this file as a reference document, else a short sentence.

    The sentence names the file and says what is wrong, e.g. "reference.docx is an
    Excel workbook, not a Word document" or "reference.docx is damaged: …".
    """
    path = Path(path)
    name = path.name
    data, problem = _read(path)
    if problem is not None:
        return problem
    assert data is not None
    if not data:
        return tr("{name} is empty (0 bytes); {advice}", name=name, advice=_SAVE_AS_DOCX)
    problem = _not_a_zip(name, data) or _package_problem(name, data)
    if problem is not None:
        return problem
    return _render_problem(name, _probe_document(), reference=path)


def _not_a_zip(name: str, data: bytes) -> Message | None:
    """The problem of a file that is not a readable zip file (every .docx is one)."""
    head = data[:_SAMPLE]
    if head.startswith(_OLE_MAGIC):
        return _ole_problem(name, data)
    if head.startswith(b"{\\rtf"):
        return tr("{name} is an RTF file, not a Word document; {advice}", name=name,
                  advice=_SAVE_AS_DOCX)
    if head.startswith(b"%PDF"):
        return tr("{name} is a PDF file, not a Word document", name=name)
    text = _as_text(head)
    if text is not None:
        lowered = text.lstrip("\ufeff \t\r\n").lower()
        if lowered.startswith("<?xml") and ("<w:worddocument" in lowered
                                             or "<pkg:package" in lowered):
            return tr("{name} is a Word XML file, not a Word document; {advice}", name=name,
                      advice=_SAVE_AS_DOCX)
        if re.search(r"<!doctype\s+html|<html[\s>]", lowered[:1024]):
            return tr("{name} is a web page (HTML), not a Word document; {advice}", name=name,
                      advice=_SAVE_AS_DOCX)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            archive.namelist()
    except Exception as exc:  # zipfile raises several types for a damaged file
        if head.startswith(b"PK"):
            return tr("{name} is damaged: the zip file is incomplete or corrupt ({reason}); "
                      "save it again in Word", name=name, reason=_detail(exc))
        return tr("{name} is not a Word document (it is not a zip file; an old .doc file "
                  "must be saved as .docx in Word)", name=name)
    return None


def _ole_problem(name: str, data: bytes) -> Message:
    """Which Office 97–2003 (or password-protected) file this is."""
    def has(stream: str) -> bool:
        return stream.encode("utf-16-le") in data

    if has("EncryptionInfo") or has("EncryptedPackage"):
        return tr("{name} is protected with a password; save a copy without a password "
                  "as a Word document (.docx)", name=name)
    if has("WordDocument"):
        return tr("{name} is an old Word 97–2003 document (.doc); {advice}", name=name,
                  advice=_SAVE_AS_DOCX)
    if has("Workbook") or has("Book"):
        return tr("{name} is an old Excel workbook (.xls), not a Word document", name=name)
    if has("PowerPoint Document"):
        return tr("{name} is an old PowerPoint presentation (.ppt), not a Word document",
                  name=name)
    return tr("{name} is an old Office 97–2003 file, not a Word document; {advice}", name=name,
              advice=_SAVE_AS_DOCX)


def _package_problem(name: str, data: bytes) -> Message | None:
    """The problem of a zip file that is not a usable Word document (or template) package."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        if "[Content_Types].xml" not in names:
            return _foreign_zip(name, archive, names)
        unpacked = sum(info.file_size for info in archive.infolist())
        packed = sum(info.compress_size for info in archive.infolist())
        if unpacked > _MAX_UNPACKED or unpacked > _MAX_RATIO * max(packed, 1024 * 1024):
            return tr("{name} unpacks to {size} MB, far more than a Word document of styles "
                      "and page settings holds; save a copy without pictures and other "
                      "embedded files as the reference document", name=name,
                      size=unpacked // (1024 * 1024))
        parts: dict[str, etree._Element] = {}
        for entry in sorted(names):
            if not entry.lower().endswith((".xml", ".rels")):
                continue
            try:
                content = archive.read(entry)
            except Exception as exc:  # a damaged, encrypted or oddly compressed entry
                return tr("{name} is damaged: its part {part} cannot be read ({reason})",
                          name=name, part=entry, reason=_detail(exc))
            if b"<!DOCTYPE" in content or b"<!ENTITY" in content:
                # Word never writes one; the Word writer's parser would expand its entities.
                return tr("{name} declares a document type or entities in its part {part}, "
                          "which a Word document never does; open it in Word and save it "
                          "again, or start from a clean copy", name=name, part=entry)
            try:
                parts[entry] = etree.fromstring(content, _SAFE_PARSER)
            except etree.XMLSyntaxError as exc:
                return tr("{name} is damaged: its part {part} is not valid XML ({reason})",
                          name=name, part=entry, reason=_detail(exc))
    package_rels = parts.get("_rels/.rels")
    if package_rels is None:
        return tr("{name} is damaged: it lacks the part _rels/.rels; save it again in Word",
                  name=name)
    main = _main_part(package_rels)
    if main is None:
        if any(rel.get("Type", "").startswith(_STRICT_RELS) for rel in package_rels):
            return tr("{name} is saved as a Strict Open XML document; save it in Word as a "
                      "normal Word document (.docx)", name=name)
        return tr("{name} is not a Word document (it has no main document part)", name=name)
    content_type = _content_type(parts["[Content_Types].xml"], main)
    if content_type not in _WORD_TYPES:
        for prefix, what in _OTHER_OFFICE_TYPES:
            if content_type.startswith(prefix):
                return tr("{name} {problem}", name=name, problem=what)
        return tr("{name} is not a Word document (its main part is of type {type})",
                  name=name, type=repr(content_type))
    if main not in parts:
        return tr("{name} is damaged: its main part {part} is missing; save it again in Word",
                  name=name, part=main)
    body = parts[main].find(_W_BODY)
    if body is None:
        return tr("{name} is damaged: its document has no body; save it again in Word",
                  name=name)
    if body.find(_W_SECTPR) is None:
        return tr("{name} has no page settings (its body has no section properties); "
                  "save it again in Word", name=name)
    return None

def _main_part(package_rels: etree._Element) -> str | None:
    """The zip entry of the package's main part (its officeDocument relationship target)."""
    for rel in package_rels:
        if rel.get("Type") == _OFFICE_DOCUMENT and rel.get("TargetMode") != "External":
            return posixpath.normpath(rel.get("Target", "").lstrip("/"))
    return None


def _content_type(types: etree._Element, part: str) -> str:
    """The content type [Content_Types].xml gives a part (part names ignore case)."""
    partname = "/" + part.lower()
    extension = posixpath.splitext(part)[1].lstrip(".").lower()
    by_extension = ""
    for element in types:
        if element.get("PartName", "").lower() == partname:
            return element.get("ContentType", "")
        if element.get("Extension", "").lower() == extension:
            by_extension = element.get("ContentType", "")
    return by_extension


def _foreign_zip(name: str, archive: zipfile.ZipFile, names: set[str]) -> Message:
    """The problem of a zip file without the [Content_Types].xml every .docx has."""
    if "mimetype" in names:
        try:
            mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
        except Exception:  # a damaged entry: still an OpenDocument file of unknown kind
            mimetype = ""
        for prefix, kind in _ODF_KINDS:
            if mimetype.startswith(prefix):
                return tr("{name} is {kind}, not a Word document; {advice}", name=name,
                          kind=kind, advice=_SAVE_AS_DOCX)
        if mimetype.startswith("application/vnd.oasis.opendocument"):
            return tr("{name} is an OpenDocument file, not a Word document", name=name)
    if any(entry.startswith("word/") for entry in names):
        return tr("{name} is damaged: it lacks the part [Content_Types].xml; save it again in "
                  "Word", name=name)
    return tr("{name} is a zip archive, not a Word document", name=name)


# -- shared ---------------------------------------------------------------------------


def _read(path: Path) -> tuple[bytes | None, Message | None]:
    """The file's bytes, or a sentence saying why it cannot be read."""
    name = path.name
    try:
        if not path.exists():
            return None, tr("{name} does not exist", name=name)
        if path.is_dir():
            return None, tr("{name} is a folder, not a file", name=name)
        if path.stat().st_size > _MAX_FILE:
            return None, tr("{name} is {size} MB, far more than a Word document of styles and "
                            "page settings needs; save a copy without pictures and other "
                            "embedded files", name=name, size=path.stat().st_size // 2**20)
        return path.read_bytes(), None
    except PermissionError:
        return None, tr("{name} cannot be read (permission denied)", name=name)
    except OSError as exc:
        return None, tr("{name} cannot be read ({reason})", name=name,
                        reason=exc.strerror or _detail(exc))

def _as_text(head: bytes) -> str | None:
    """The start of the file as text, if it is text (UTF-8 or UTF-16), else None."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        decoder = codecs.getincrementaldecoder("utf-16")()
    elif b"\x00" in head:
        return None
    else:
        decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        text = decoder.decode(head, final=False)
    except UnicodeDecodeError:
        return None
    if not all(char.isprintable() or char in "\t\r\n\f\ufeff" for char in text):
        return None
    return text


def _probe_document(logo: Image | None = None) -> Document:
    """A tiny document that exercises every part of the writer: cover, all block kinds,
    a banner, a footer and a review comment."""
    para = Paragraph((Span("Tekst "), Span("vet", bold=True), Span("link", link="#h")),
                     review="Controle")
    items = (ListItem((Paragraph((Span("Punt"),)),)),)
    return Document(
        metadata=Metadata(title="Proef", subject="Proef", author="ivbcompose"),
        title_page=TitlePage(
            organisation="Gemeente", title="Proef", subtitle="Proef", period="2020–2023",
            status="concept", version="0.1", date="1 januari 2020", adoption="Vastgesteld",
            logo=logo,
        ),
        blocks=(
            TableOfContents(),
            Heading(1, "Hoofdstuk", anchor="h"),
            para,
            Heading(2, "Paragraaf"),
            Heading(3, "Subparagraaf"),
            Paragraph((Span("Inleiding"),), style="lead"),
            ListBlock((ListItem((Paragraph((Span("Punt"),)), ListBlock(items))),)),
            ListBlock(items, ordered=True),
            Table("Tabel", (Column("A"), Column("B", "right")),
                  (Row(("a", "1")), Row(("b", "2"), indent=1), Row(("c", "3"), strong=True)),
                  notes=("Bron",), anchor="t"),
            PageBreak(),
            Heading(1, "Bijlage", numbered=False),
            Paragraph((Span("Noot"),), style="note"),
        ),
        banner="CONCEPT",
        footer="Proef",
    )


def _render_problem(name: str, probe: Document, *, reference: Path | None) -> Message | None:
    """Render `probe` as the build would; None if that works, else what went wrong."""
    from . import DocxOptions, render_docx  # here: this package imports this module

    try:
        render_docx(probe, DocxOptions(reference_doc=reference))
    except KeyError as exc:
        missing = re.fullmatch(r"There is no item named '(.+)' in the archive", _detail(exc))
        if missing is None:
            return tr("{name} cannot be used: {reason}", name=name, reason=_detail(exc))
        return tr("{name} is damaged: its part {part} is missing; save it again in Word",
                  name=name, part=missing[1])
    except (zipfile.BadZipFile, zlib.error, EOFError, etree.XMLSyntaxError) as exc:
        return tr("{name} is damaged: {reason}", name=name, reason=_detail(exc))
    except Exception as exc:
        return tr("{name} cannot be used: {reason}", name=name, reason=_detail(exc))
    return None

def _detail(exc: BaseException) -> str:
    """An exception's message, short and without the quotes KeyError adds."""
    if isinstance(exc, etree.XMLSyntaxError) and exc.msg:
        text = exc.msg
    elif isinstance(exc, KeyError) and exc.args:
        text = str(exc.args[0])
    else:
        text = str(exc)
    text = " ".join(text.split()) or type(exc).__name__
    if len(text) > _MAX_DETAIL:
        text = text[: _MAX_DETAIL - 1] + "…"
    return text
