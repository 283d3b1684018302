"""Tests for `ivbcompose.writers.docx.inputs`: checking a logo and a reference document.

Every bad file the checks know gets its own sentence; every file they pass is
one `render_docx` can use (the faithfulness tests render each case); and no
file, however broken, makes a check raise.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ivbcompose.writers.docx as writer
from ivbcompose.document import Document, Image, Metadata, Paragraph, Span, TitlePage
from ivbcompose.writers.docx import DocxOptions, image_problem, reference_problem, render_docx

# -- files ------------------------------------------------------------------------------

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOTX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
DOTM_TYPE = "application/vnd.ms-word.template.macroEnabledTemplate.main+xml"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
OFFICE_DOCUMENT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
)


def _png(width: int, height: int) -> bytes:
    """A PNG of `width` x `height` pixels, written by hand."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    rows = b"".join(b"\x00" + b"\x1f\x4e\x79" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


def _jpeg(*, density: int = 72, jfif: bool = True) -> bytes:
    """A JPEG header of 4 x 2 pixels: enough for python-docx, which reads no pixels."""
    app0 = b"JFIF\x00\x01\x01\x01" + struct.pack(">HH", density, density) + b"\x00\x00"
    frame = struct.pack(">BHHB", 8, 2, 4, 1) + b"\x01\x11\x00"
    segments = b"\xff\xc0" + struct.pack(">H", len(frame) + 2) + frame + b"\xff\xd9"
    if jfif:
        segments = b"\xff\xe0" + struct.pack(">H", len(app0) + 2) + app0 + segments
    else:
        segments = b"\xff\xdb" + struct.pack(">H", 2) + segments
    return b"\xff\xd8" + segments


SVG = (b'<?xml version="1.0" encoding="UTF-8"?>\n'
       b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
       b'<rect width="40" height="20" fill="#1f4e79"/></svg>\n')
# Bytes that begin like no known format (a fixed sample, so the test is repeatable).
RANDOM = bytes((i * 151 + 77) % 256 for i in range(2000))


def _word_package(tmp_path: Path) -> bytes:
    """A valid .docx, saved by python-docx."""
    path = tmp_path / "made-by-python-docx.docx"
    docx.Document().save(str(path))
    return path.read_bytes()


def _rewrite(package: bytes, edit: Callable[[str, bytes], bytes | None]) -> bytes:
    """The package with each entry passed through `edit` (None drops the entry)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = edit(info.filename, source.read(info))
            if content is not None:
                target.writestr(info, content)
    return out.getvalue()


def _retyped(package: bytes, content_type: str) -> bytes:
    """The package with its main part declared as `content_type` (how Word saves a .dotx)."""
    def edit(entry: str, content: bytes) -> bytes:
        if entry == "[Content_Types].xml":
            return content.replace(DOCX_TYPE.encode(), content_type.encode())
        return content

    return _rewrite(package, edit)


def _zip(entries: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in entries.items():
            archive.writestr(name, text)
    return out.getvalue()


def _xlsx() -> bytes:
    """A minimal Excel workbook package: the content types and relationship a real one has."""
    return _zip({
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{XLSX_TYPE}"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{OFFICE_DOCUMENT}" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'
        ),
    })


def _old_doc() -> bytes:
    """The start of a Word 97–2003 file: the compound-file signature, a WordDocument stream."""
    return (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "WordDocument".encode("utf-16-le")
            + bytes(100))


def _without_section(entry: str, content: bytes) -> bytes:
    if entry != "word/document.xml":
        return content
    start, end = content.index(b"<w:sectPr"), content.index(b"</w:sectPr>") + len("</w:sectPr>")
    return content[:start] + content[end:]


def _make(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def _document(logo: Path | None = None) -> Document:
    return Document(
        metadata=Metadata(title="Integraal Veiligheidsbeleid", subject="IVB", author="Urk"),
        title_page=TitlePage(
            organisation="Gemeente Urk", title="Integraal Veiligheidsbeleid", subtitle=None,
            period="2020–2023", status="Concept", version="0.1", date="9 januari 2020",
            logo=None if logo is None else Image(str(logo), "Wapen van de gemeente Urk"),
        ),
        blocks=(Paragraph((Span("Tekst."),)),),
    )


# -- logo -------------------------------------------------------------------------------

IMAGES: dict[str, tuple[str, Callable[[], bytes], str | None]] = {
    # case: (file name, content, expected sentence or None)
    "png": ("logo.png", lambda: _png(4, 2), None),
    "jpeg": ("logo.jpg", _jpeg, None),
    "svg": ("logo.svg", lambda: SVG, "logo.svg is an SVG image; use a PNG or JPEG file"),
    "svg named png": ("logo.png", lambda: SVG[SVG.index(b"<svg"):],
                      "logo.png is an SVG image; use a PNG or JPEG file"),
    "text": ("logo.png", lambda: b"Wapen van Urk\n",
             "logo.png is not an image file (it contains text)"),
    "text like a bitmap": ("logo.png", lambda: b"BM is not a bitmap\n",
                           "logo.png is not an image file (it contains text)"),
    "html": ("logo.png", lambda: b"<!DOCTYPE html>\n<html><body>Not found</body></html>\n",
             "logo.png is a web page (HTML), not an image file; use a PNG or JPEG file"),
    "zero size": ("logo.png", lambda: _png(0, 0), "logo.png has no size (0 × 0 pixels)"),
    "no height": ("logo.png", lambda: _png(4, 0), "logo.png has no size (4 × 0 pixels)"),
    "zero dpi": ("logo.jpg", lambda: _jpeg(density=0),
                 "logo.jpg records a resolution of 0 dots per inch; save it again as PNG"),
    "jpeg without jfif": ("logo.jpg", lambda: _jpeg(jfif=False),
                          "logo.jpg is a JPEG file without a JFIF or Exif header, which "
                          "cannot be placed; save it again as PNG"),
    "truncated png": ("logo.png", lambda: _png(4, 2)[:20],
                      "logo.png is a damaged image file (it ends too early); "
                      "save it again as PNG"),
    "webp": ("logo.webp", lambda: b"RIFF\x24\x00\x00\x00WEBPVP8 " + bytes(28),
             "logo.webp is a WebP image; use a PNG or JPEG file"),
    "pdf": ("logo.pdf", lambda: b"%PDF-1.7\n" + RANDOM,
            "logo.pdf is a PDF file; use a PNG or JPEG file"),
    "random bytes": ("logo.png", lambda: RANDOM,
                     "logo.png is not a PNG, JPEG, GIF, BMP or TIFF image; use a PNG or JPEG file"),
    "empty": ("logo.png", lambda: b"", "logo.png is empty (0 bytes); use a PNG or JPEG file"),
}


@pytest.mark.parametrize("case", IMAGES)
def test_image_problem_names_what_is_wrong(tmp_path: Path, case: str) -> None:
    name, content, expected = IMAGES[case]
    assert image_problem(_make(tmp_path, name, content())) == expected


@pytest.mark.parametrize("case", IMAGES)
def test_an_image_that_passes_the_check_renders(tmp_path: Path, case: str) -> None:
    name, content, _ = IMAGES[case]
    path = _make(tmp_path, name, content())
    if image_problem(path) is None:
        assert render_docx(_document(path)).startswith(b"PK")


@pytest.mark.parametrize("case", ["svg", "text", "zero size", "zero dpi", "random bytes"])
def test_the_images_it_rejects_do_crash_the_writer(tmp_path: Path, case: str) -> None:
    """Why the check exists: without it these files end the build in a traceback."""
    name, content, _ = IMAGES[case]
    with pytest.raises(Exception):  # noqa: B017 - whatever python-docx happens to raise
        render_docx(_document(_make(tmp_path, name, content())))


def test_missing_or_folder_logo(tmp_path: Path) -> None:
    assert image_problem(tmp_path / "logo.png") == "logo.png does not exist"
    (tmp_path / "logo").mkdir()
    assert image_problem(tmp_path / "logo") == "logo is a folder, not a file"


# -- reference document -----------------------------------------------------------------

class Prefix(str):
    """An expected sentence that goes on with text quoted from a library."""


NOT_A_ZIP = ("reference.docx is not a Word document (it is not a zip file; an old .doc file "
             "must be saved as .docx in Word)")
SAVE = "open it in Word and save it as a Word document (.docx)"

REFERENCES: dict[str, tuple[str, Callable[[bytes], bytes], str | None]] = {
    # case: (file name, content made from a valid .docx, expected sentence or None)
    "docx": ("reference.docx", lambda word: word, None),
    "dotx": ("reference.dotx", lambda word: _retyped(word, DOTX_TYPE), None),
    "random bytes": ("reference.docx", lambda _: RANDOM, NOT_A_ZIP),
    "text": ("reference.docx", lambda _: b"huisstijl\n", NOT_A_ZIP),
    "empty": ("reference.docx", lambda _: b"", f"reference.docx is empty (0 bytes); {SAVE}"),
    "old doc": ("reference.docx", lambda _: _old_doc(),
                f"reference.docx is an old Word 97–2003 document (.doc); {SAVE}"),
    "rtf": ("reference.docx", lambda _: b"{\\rtf1\\ansi huisstijl}",
            f"reference.docx is an RTF file, not a Word document; {SAVE}"),
    "truncated": ("reference.docx", lambda word: word[: len(word) // 2],
                  "reference.docx is damaged: the zip file is incomplete or corrupt "
                  "(File is not a zip file); save it again in Word"),
    "plain zip": ("reference.docx", lambda _: _zip({"notes.txt": "huisstijl"}),
                  "reference.docx is a zip archive, not a Word document"),
    "no content types": ("reference.docx",
                         lambda word: _rewrite(word, lambda e, c: None
                                               if e == "[Content_Types].xml" else c),
                         "reference.docx is damaged: it lacks the part [Content_Types].xml; "
                         "save it again in Word"),
    "xlsx": ("reference.docx", lambda _: _xlsx(),
             "reference.docx is an Excel workbook, not a Word document"),
    "odt": ("reference.docx",
            lambda _: _zip({"mimetype": "application/vnd.oasis.opendocument.text",
                            "content.xml": "<office:document-content/>"}),
            f"reference.docx is an OpenDocument text file (.odt), not a Word document; {SAVE}"),
    "dotm": ("reference.dotm", lambda word: _retyped(word, DOTM_TYPE),
             "reference.dotm is a Word template with macros (.dotm); save it as a Word "
             "template (.dotx) without macros"),
    "broken xml": ("reference.docx",
                   lambda word: _rewrite(word, lambda e, c: c[:-20]
                                         if e == "word/document.xml" else c),
                   Prefix("reference.docx is damaged: its part word/document.xml is not "
                          "valid XML (")),
    "missing styles": ("reference.docx",
                       lambda word: _rewrite(word, lambda e, c: None
                                             if e == "word/styles.xml" else c),
                       "reference.docx is damaged: its part word/styles.xml is missing; "
                       "save it again in Word"),
    "no section": ("reference.docx", lambda word: _rewrite(word, _without_section),
                   "reference.docx has no page settings (its body has no section "
                   "properties); save it again in Word"),
}


@pytest.mark.parametrize("case", REFERENCES)
def test_reference_problem_names_what_is_wrong(tmp_path: Path, case: str) -> None:
    name, content, expected = REFERENCES[case]
    problem = reference_problem(_make(tmp_path, name, content(_word_package(tmp_path))))
    if isinstance(expected, Prefix):
        assert problem is not None and problem.startswith(expected)
    else:
        assert problem == expected


@pytest.mark.parametrize("case", REFERENCES)
def test_a_reference_that_passes_the_check_renders(tmp_path: Path, case: str) -> None:
    name, content, _ = REFERENCES[case]
    path = _make(tmp_path, name, content(_word_package(tmp_path)))
    if reference_problem(path) is None:
        data = render_docx(_document(), DocxOptions(reference_doc=path))
        assert docx.Document(io.BytesIO(data)).paragraphs


@pytest.mark.parametrize("case", ["random bytes", "empty", "old doc", "no content types",
                                  "xlsx", "odt", "dotm", "missing styles", "no section"])
def test_the_references_it_rejects_do_crash_the_writer(tmp_path: Path, case: str) -> None:
    """Why the check exists: without it these files end the build in a traceback."""
    name, content, _ = REFERENCES[case]
    path = _make(tmp_path, name, content(_word_package(tmp_path)))
    with pytest.raises(Exception):  # noqa: B017 - whatever python-docx happens to raise
        render_docx(_document(), DocxOptions(reference_doc=path))


def test_reference_made_in_the_test_suite_with_logo_renders(tmp_path: Path) -> None:
    """A reference and a logo that both pass their checks also work together."""
    reference = _make(tmp_path, "reference.dotx", _retyped(_word_package(tmp_path), DOTX_TYPE))
    logo = _make(tmp_path, "logo.png", _png(4, 2))
    assert reference_problem(reference) is None and image_problem(logo) is None
    assert render_docx(_document(logo), DocxOptions(reference_doc=reference))


def test_missing_reference(tmp_path: Path) -> None:
    assert reference_problem(tmp_path / "reference.docx") == "reference.docx does not exist"


# -- unforeseen failures ----------------------------------------------------------------


def test_an_unforeseen_writer_failure_becomes_a_sentence(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: object, **__: object) -> bytes:
        raise RuntimeError("something new")

    monkeypatch.setattr(writer, "render_docx", broken)
    logo = _make(tmp_path, "logo.png", _png(4, 2))
    reference = _make(tmp_path, "reference.docx", _word_package(tmp_path))
    assert image_problem(logo) == "logo.png cannot be used: something new"
    assert reference_problem(reference) == "reference.docx cannot be used: something new"


PREFIXES = [b"", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0\x00\x10JFIF", b"GIF89a", b"BM",
            b"II*\x00", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"<svg"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prefix=st.sampled_from(PREFIXES), tail=st.binary(max_size=300))
def test_no_file_makes_a_check_raise_and_every_pass_renders(
        tmp_path_factory: pytest.TempPathFactory, prefix: bytes, tail: bytes) -> None:
    path = tmp_path_factory.mktemp("junk") / "logo.png"
    path.write_bytes(prefix + tail)
    logo_problem, reference_doc_problem = image_problem(path), reference_problem(path)
    for problem in (logo_problem, reference_doc_problem):
        assert problem is None or problem.startswith("logo.png ")
    if logo_problem is None:
        render_docx(_document(path))
    if reference_doc_problem is None:
        render_docx(_document(), DocxOptions(reference_doc=path))
