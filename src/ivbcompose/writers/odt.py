"""ODT output: a finished .docx → an OpenDocument text, made by LibreOffice.

Government bodies that publish Word files also offer an open format (ODF is
on Forum Standaardisatie's "pas toe of leg uit" list). The ODT is the same
document as the .docx, converted by LibreOffice the way the PDF is (see
`writers.libreoffice`): the table of contents and the fields are brought up
to date first, so the ODT holds the real page numbers, and its meta.xml has
the document's title, subject, language and author, with each keyword
phrase a meta:keyword of its own.
"""

from __future__ import annotations

from pathlib import Path

from .libreoffice import Export, convert

__all__ = ["ODT", "convert_to_odt"]

ODT = Export(label="ODT", suffix="odt", filter="writer8",
             # An OpenDocument package starts with its uncompressed mimetype file.
             signature=b"mimetypeapplication/vnd.oasis.opendocument.text", signature_at=30)
"""How LibreOffice makes the ODT."""


def convert_to_odt(docx_data: bytes, target: Path, *, timeout: int = 300,
                   update_indexes: bool = True) -> bytes:
    """The ODT of the .docx `docx_data`, for the file `target`; nothing is written.

    The caller puts the bytes at `target` (a build writes all its files at
    once); `target` names the document in messages. With `update_indexes`
    (the default) the table of contents and all fields are brought up to date
    first and the keywords kept as phrases; this needs a Python with
    LibreOffice's uno module (see `writers.libreoffice.UNO_PYTHON_ENV`).
    Raises LibreOfficeError when LibreOffice or its Python bridge is missing,
    times out, or writes no ODT.
    """
    return convert(docx_data, Path(target).with_suffix(".docx").name, ODT, timeout=timeout,
                   update_indexes=update_indexes)
