"""PDF output: a finished .docx → an accessible PDF (tagged, PDF/UA), made by LibreOffice.

`convert_to_pdf` has LibreOffice (see `writers.libreoffice`) update the table
of contents and fields and export a tagged PDF flagged as PDF/UA-1, with the
document's title shown in the viewer's title bar, its title, subject and
author in the Info dictionary and the XMP metadata, and its keywords as the
phrases they are. LibreOffice 7.4 leaves two things out of the XMP metadata:
the language (dc:language) and the keywords as a list (dc:subject); those are
added afterwards, in the padding the XMP packet keeps for such edits.

`update_indexes=False` skips the UNO route for a plain `--convert-to`; the
table of contents then shows the writer's estimated page numbers, and the
Info keywords are split into words (the XMP list still has the phrases).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape, unescape

from ..i18n import tr
from . import write_atomically
from .libreoffice import (
    UNO_PYTHON_ENV,
    DocumentProperties,
    Export,
    LibreOfficeError,
    convert,
    ensure_libreoffice,
)

__all__ = ["PDF", "UNO_PYTHON_ENV", "PdfError", "convert_to_pdf", "ensure_libreoffice"]

PdfError = LibreOfficeError
"""What `convert_to_pdf` raises; the name callers of the PDF writer have always caught."""

# writer_pdf_Export options. PDFUACompliance (LibreOffice 7.2 and later) marks the
# file as PDF/UA-1 in its XMP metadata and makes LibreOffice follow the standard's
# rules where it can; DisplayPDFDocumentTitle makes viewers show the document's
# title instead of its file name, as PDF/UA asks.
_PDF_OPTIONS = {"UseTaggedPDF": True, "PDFUACompliance": True, "ExportBookmarks": True,
                "DisplayPDFDocumentTitle": True}

# The document's metadata stream as LibreOffice writes it: uncompressed, so that it
# can be edited in place (an image's own XMP, inside its stream, never matches).
_XMP_STREAM = re.compile(rb"<</Type/Metadata/Subtype/XML/Length (\d+)>>\r?\nstream\r?\n")
# The Info dictionary has one keywords text; "; " (as in the .docx) keeps a phrase
# with a comma in it (a basisteam named after its municipalities, "A, B en C") whole.
_KEYWORD_JOIN = "; "
_XMP_BEGIN = b"<?xpacket begin="
_XMP_END = b'<?xpacket end="w"?>'
_XMP_WHITESPACE = b" \t\r\n"


def _complete_xmp(data: bytes, properties: DocumentProperties) -> bytes:
    """The PDF with its XMP metadata repaired and completed, in place.

    LibreOffice 7.4 escapes the texts of the XMP packet twice ("Thema&amp;apos;s"
    for "Thema's"), and leaves out the language (dc:language) and the keywords
    as a list (dc:subject). An XMP packet ends in whitespace padding so that it
    can be edited in place: the edited packet takes as much or as little of the
    padding as it needs, so the stream's length and every offset in the file
    stay as they were. Only a text that is exactly a twice-escaped property is
    repaired, and what LibreOffice wrote itself is not added again, so a later
    LibreOffice is left alone. Without one such stream, or with too little
    padding, the PDF is returned as it was (it is valid, only less described).
    """
    streams = list(_XMP_STREAM.finditer(data))
    if len(streams) != 1:
        return data
    begin = streams[0].end()
    stream = data[begin:begin + int(streams[0].group(1))]
    end = stream.rfind(_XMP_END)
    if not stream.startswith(_XMP_BEGIN) or end < 0:
        return data
    packet = stream[:end]
    body = _escape_once(packet.rstrip(_XMP_WHITESPACE), properties)
    close = body.rfind(b"</rdf:RDF>")
    line = body.rfind(b"\n", 0, close)
    at = line + 1 if close >= 0 and line >= 0 else close  # at the start of its line
    parts = []
    if properties.language and b"<dc:language>" not in packet:
        parts.append(_xmp_bag("language", [properties.language]))
    if properties.keywords and b"<dc:subject>" not in packet:
        parts.append(_xmp_bag("subject", properties.keywords))
    if parts and at >= 0:
        body = body[:at] + (
            '  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
            + "".join(parts) + "  </rdf:Description>\n").encode("utf-8") + body[at:]
    room = len(packet) - len(body)
    if room < 1:  # keep at least one character of padding
        return data
    padding = packet[len(packet.rstrip(_XMP_WHITESPACE)):]
    edited = body + (b" " * room + padding)[-room:]
    return data[:begin] + edited + data[begin + end:]


_XML_TEXT = re.compile(rb">([^<>]*&amp;[^<>]*)<")


def _escape_once(body: bytes, properties: DocumentProperties) -> bytes:
    """`body` with each twice-escaped property text escaped once."""
    values = {properties.title, properties.subject, properties.author,
              _KEYWORD_JOIN.join(properties.keywords)} - {""}

    def repair(match: re.Match[bytes]) -> bytes:
        once = _unescape(match.group(1).decode("utf-8"))
        if once in values or _unescape(once) not in values:  # escaped once already, or not ours
            return match.group(0)
        return f">{once}<".encode()

    return _XML_TEXT.sub(repair, body)


def _unescape(text: str) -> str:
    return unescape(text, {"&quot;": '"', "&apos;": "'"})


def _xmp_bag(name: str, items: Sequence[str]) -> str:
    """A Dublin Core property holding an unordered list, as XMP writes dc:language."""
    lines = "".join(f"     <rdf:li>{escape(item)}</rdf:li>\n" for item in items)
    return f"   <dc:{name}>\n    <rdf:Bag>\n{lines}    </rdf:Bag>\n   </dc:{name}>\n"


PDF = Export(label="PDF", suffix="pdf", filter="writer_pdf_Export", signature=b"%PDF-",
             options=_PDF_OPTIONS,
             join_keywords=_KEYWORD_JOIN, finish=_complete_xmp)
"""How LibreOffice makes the PDF."""


def convert_to_pdf(docx: Path, pdf: Path, *, timeout: int = 300,
                   update_indexes: bool = True) -> None:
    """Convert the .docx at `docx` into an accessible PDF at `pdf`, replacing it atomically.

    With `update_indexes` (the default) the table of contents and all fields
    are brought up to date first, so the PDF shows real page numbers; this
    needs a Python with LibreOffice's uno module (see `UNO_PYTHON_ENV`).
    `timeout` (seconds) bounds the whole conversion. Raises PdfError when
    LibreOffice or its Python bridge is missing, times out, or writes no PDF;
    `pdf` is then left as it was.
    """
    source = Path(docx)
    if not source.is_file():
        raise PdfError(tr("{file} does not exist", file=str(source)),
                       tr("build the .docx first"))
    data = convert(source.read_bytes(), source.name, PDF, timeout=timeout,
                   update_indexes=update_indexes)
    write_atomically(Path(pdf), data)
