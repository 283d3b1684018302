"""Tests for `ivbcompose.writers.libreoffice`: what the converter takes from the .docx.

The conversions themselves are tested per format (tests/writers/test_pdf.py,
tests/writers/test_odt.py); these tests need no LibreOffice.
"""

from __future__ import annotations

from ivbcompose.document import Document, Heading, Metadata, TitlePage
from ivbcompose.writers.docx import render_docx
from ivbcompose.writers.libreoffice import DocumentProperties, Export, document_properties

PHRASES = ("integrale veiligheid", "Basisteam Urk, Dronten en Noordoostpolder", "zorg & jeugd")


def docx_with(metadata: Metadata) -> bytes:
    page = TitlePage(organisation="Gemeente Urk", title="IVB", subtitle=None, period="2021",
                     status="Concept", version="0.1", date="1 januari 2021")
    return render_docx(Document(metadata=metadata, title_page=page, blocks=(Heading(1, "Kop"),)))


def test_the_docx_properties_keep_each_keyword_phrase_whole() -> None:
    data = docx_with(Metadata(title="Thema's", subject="IVB Urk", author="Gemeente Urk",
                              keywords=PHRASES))
    assert document_properties(data) == DocumentProperties(
        title="Thema's", subject="IVB Urk", author="Gemeente Urk", keywords=PHRASES,
        language="nl-NL")


def test_a_docx_without_keywords_or_readable_properties_gives_empty_ones() -> None:
    data = docx_with(Metadata(title="T", subject="S", author="A"))
    assert document_properties(data).keywords == ()
    assert document_properties(b"PK\x03\x04 not a zip") == DocumentProperties()
    assert document_properties(data[:2000]) == DocumentProperties()


def test_keywords_are_set_as_a_list_or_joined_or_left_alone() -> None:
    listed = Export(label="ODT", suffix="odt", filter="writer8", signature=b"PK")
    joined = Export(label="PDF", suffix="pdf", filter="writer_pdf_Export", signature=b"%PDF-",
                    join_keywords="; ")
    properties = DocumentProperties(keywords=("a b", "c, d"))
    assert listed.keywords(properties) == ["a b", "c, d"]
    assert joined.keywords(properties) == ["a b; c, d"]
    assert listed.keywords(DocumentProperties()) is None  # LibreOffice's stay as they are
