"""Tests of woo.py: the DiWoo metadata written beside a published document.

The documents come from the frozen fixture project; the XML is parsed back and,
where the document is adopted, validated against DiWoo 0.9.8 (tests/diwoo/, see the
comments at the top of its two files for what was cut).
"""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from ivbcompose import api
from ivbcompose.document import Document
from ivbcompose.model import Ivb
from ivbcompose.project import Project
from ivbcompose.woo import (
    FORMATS,
    NAMESPACE,
    diwoo_metadata,
    information_category,
    metadata_file_name,
)

from .conftest import FIXTURE

NS = {"diwoo": NAMESPACE}
KERN = "https://identifier.overheid.nl/tooi/def/thes/kern/"
VASTSTELLING = KERN + "c_641ecd76"
SCHEMA = etree.XMLSchema(etree.parse(str(Path(__file__).parent / "diwoo" / "diwoo-metadata.xsd")))


@pytest.fixture(scope="module")
def documents() -> dict[str, tuple[Document, Ivb]]:
    """Each fixture municipality's document: Urk's adopted, Dronten's a concept,
    Noordoostpolder's sent to the council (ter besluitvorming)."""
    project = Project(FIXTURE)
    found = {}
    for municipality in ("dronten", "noordoostpolder", "urk"):
        composition = api.compose_municipality(project, municipality)
        found[municipality] = (api.document_for(project, composition), composition.ivb)
    return found


def parsed(document: Document, ivb: Ivb, file_name: str = "plan.docx",
           size: int = 1234) -> ET.Element:
    return ET.fromstring(diwoo_metadata(document, ivb, file_name, size))


def one(root: ET.Element, path: str) -> ET.Element:
    found = root.findall(path, NS)
    assert len(found) == 1, f"{path}: {len(found)} elements"
    return found[0]


def with_meta(ivb: Ivb, **update: Any) -> Ivb:
    return ivb.model_copy(update={"document": ivb.document.model_copy(update=update)})


def test_the_root_is_a_diwoo_document_in_the_diwoo_namespace(documents) -> None:
    root = parsed(*documents["urk"])
    assert root.tag == f"{{{NAMESPACE}}}Document"
    assert NAMESPACE == "https://standaarden.overheid.nl/diwoo/metadata/"
    assert {element.tag.split("}")[0][1:] for element in root.iter()} == {NAMESPACE}
    assert diwoo_metadata(*documents["urk"], "plan.docx", 1).startswith(
        b'<?xml version="1.0" encoding="UTF-8"?>\n<diwoo:Document xmlns:diwoo=')


def test_title_dates_language_and_description_come_from_the_document(documents) -> None:
    document, ivb = documents["urk"]
    root = parsed(document, ivb)
    assert one(root, "diwoo:DiWoo/diwoo:titelcollectie/diwoo:officieleTitel").text \
        == document.metadata.title == "Lokaal Veiligheidsplan 2021–2022 gemeente Urk"
    assert one(root, "diwoo:DiWoo/diwoo:creatiedatum").text == "2021-03-09"
    assert one(root, "diwoo:DiWoo/diwoo:omschrijvingen/diwoo:omschrijving").text \
        == document.metadata.subject
    language = one(root, "diwoo:DiWoo/diwoo:language")
    assert language.get("resource") == \
        "http://publications.europa.eu/resource/authority/language/NLD"
    assert language.text == "Nederlands"
    keywords = root.findall("diwoo:DiWoo/diwoo:classificatiecollectie/diwoo:trefwoorden/"
                            "diwoo:trefwoord", NS)
    assert tuple(k.text for k in keywords) == document.metadata.keywords
    theme = one(root, "diwoo:DiWoo/diwoo:classificatiecollectie/diwoo:themas/diwoo:thema")
    assert theme.get("resource") == \
        "https://identifier.overheid.nl/tooi/def/thes/top/c_d58b78ca"


def test_the_creation_date_is_the_documents_own_date(documents) -> None:
    document, ivb = documents["dronten"]
    later = with_meta(ivb, date=date(2020, 2, 29))
    assert one(parsed(document, later), "diwoo:DiWoo/diwoo:creatiedatum").text == "2020-02-29"


@pytest.mark.parametrize(("municipality", "tooi", "name"), [
    ("dronten", "https://identifier.overheid.nl/tooi/id/gemeente/gm0303", "gemeente Dronten"),
    ("noordoostpolder", "https://identifier.overheid.nl/tooi/id/gemeente/gm0171",
     "gemeente Noordoostpolder"),
    ("urk", "https://identifier.overheid.nl/tooi/id/gemeente/gm0184", "gemeente Urk"),
])
def test_publisher_and_responsible_body_are_the_municipalitys_tooi_id(
        documents, municipality: str, tooi: str, name: str) -> None:
    root = parsed(*documents[municipality])
    for role in ("publisher", "verantwoordelijke"):
        element = one(root, f"diwoo:DiWoo/diwoo:{role}")
        assert (element.get("resource"), element.text) == (tooi, name)


def test_the_tooi_id_follows_the_cbs_code(documents) -> None:
    document, ivb = documents["urk"]
    other = ivb.model_copy(update={"municipality": ivb.municipality.model_copy(
        update={"cbs_code": "GM0995", "name": "Lelystad"})})
    publisher = one(parsed(document, other), "diwoo:DiWoo/diwoo:publisher")
    assert publisher.get("resource") == "https://identifier.overheid.nl/tooi/id/gemeente/gm0995"
    assert publisher.text == "gemeente Lelystad"


def test_an_adopted_document_has_the_handling_vaststelling_on_its_adoption_date(
        documents) -> None:
    document, ivb = documents["urk"]
    # Another day than the document's date, so the date of adoption is seen to be used.
    adopted = with_meta(ivb, adopted_on=date(2021, 4, 1))
    handling = one(parsed(document, adopted),
                   "diwoo:DiWoo/diwoo:documenthandelingen/diwoo:documenthandeling")
    kind = one(handling, "diwoo:soortHandeling")
    assert (kind.get("resource"), kind.text) == (VASTSTELLING, "vaststelling")
    assert one(handling, "diwoo:atTime").text == "2021-04-01T00:00:00"


@pytest.mark.parametrize("municipality", ["dronten", "noordoostpolder"])
def test_a_document_not_adopted_has_no_handling(documents, municipality: str) -> None:
    root = parsed(*documents[municipality])
    assert root.find("diwoo:DiWoo/diwoo:documenthandelingen", NS) is None
    assert VASTSTELLING.encode() not in ET.tostring(root)


@pytest.mark.parametrize("file_name", ["lokaal-veiligheidsplan-2021-2022-urk.docx", "x.pdf"])
def test_file_name_and_size_are_name_value_pairs(documents, file_name: str) -> None:
    root = parsed(*documents["urk"], file_name=file_name, size=48213)
    fields = {one(field, "diwoo:key").text:
              [value.text for value in field.findall("diwoo:values/diwoo:value", NS)]
              for field in root.findall("diwoo:extraMetadata/diwoo:extraMetadatavelden/"
                                        "diwoo:extraMetadataveld", NS)}
    assert fields == {"bestandsnaam": [file_name], "bestandsgrootte in bytes": ["48213"]}


@pytest.mark.parametrize(("file_name", "file_type"), [
    ("a.docx", "DOCX"), ("a.odt", "ODT"), ("a.pdf", "PDF"), ("a.html", "HTML"), ("A.PDF", "PDF"),
])
def test_the_format_follows_the_file_suffix(documents, file_name: str, file_type: str) -> None:
    element = one(parsed(*documents["urk"], file_name=file_name), "diwoo:DiWoo/diwoo:format")
    assert element.get("resource") == \
        f"http://publications.europa.eu/resource/authority/file-type/{file_type}"


def test_a_file_of_no_listed_format_gets_no_format(documents) -> None:
    assert parsed(*documents["urk"], file_name="a.md").find("diwoo:DiWoo/diwoo:format", NS) \
        is None
    assert ".md" not in FORMATS


def test_equal_input_gives_equal_bytes(documents) -> None:
    document, ivb = documents["urk"]
    first = diwoo_metadata(document, ivb, "plan.docx", 10)
    assert first == diwoo_metadata(document, ivb, "plan.docx", 10)
    assert first != diwoo_metadata(document, ivb, "plan.docx", 11)


@pytest.mark.parametrize(("status", "year", "adopted_by", "code"), [
    ("vastgesteld", None, "raad", "c_aab6bfc7"),         # overige besluiten algemene strekking
    ("vastgesteld", None, "college", "c_aab6bfc7"),
    ("vastgesteld", 2021, "college", "c_c6cd1213"),      # jaarplannen en jaarverslagen
    ("ter besluitvorming", None, "raad", "c_db4862c3"),  # vergaderstukken decentrale overheden
    ("ter besluitvorming", 2021, "raad", "c_db4862c3"),
    ("ter besluitvorming", None, "college", "c_816e508d"),  # inspanningsverplichting 3.1
    ("concept", None, "raad", "c_816e508d"),
    ("concept", 2021, "college", "c_816e508d"),
])
def test_the_information_category_follows_state_and_kind(
        documents, status: str, year: int | None, adopted_by: str, code: str) -> None:
    document, ivb = documents["urk"]
    meta = ivb.document.model_copy(update={
        "status": status, "year": year, "adopted_by": adopted_by,
        "adopted_on": date(2021, 3, 9) if status == "vastgesteld" else None})
    assert information_category(meta).uri == KERN + code
    changed = ivb.model_copy(update={"document": meta})
    category = one(parsed(document, changed), "diwoo:DiWoo/diwoo:classificatiecollectie/"
                   "diwoo:informatiecategorieen/diwoo:informatiecategorie")
    assert category.get("resource") == KERN + code
    assert category.text == information_category(meta).label


@pytest.mark.parametrize("file_name", ["a.docx", "a.odt", "a.pdf", "a.html", "a.md"])
def test_an_adopted_documents_metadata_is_valid_diwoo(documents, file_name: str) -> None:
    document, ivb = documents["urk"]
    for variant in (ivb, with_meta(ivb, year=2021)):
        root = etree.fromstring(diwoo_metadata(document, variant, file_name, 99))
        assert SCHEMA.validate(root), SCHEMA.error_log


@pytest.mark.parametrize("municipality", ["dronten", "noordoostpolder"])
def test_a_document_not_adopted_is_refused_only_for_its_missing_handling(
        documents, municipality: str) -> None:
    root = etree.fromstring(diwoo_metadata(*documents[municipality], "a.pdf", 99))
    assert not SCHEMA.validate(root)
    errors = [error.message for error in SCHEMA.error_log]
    assert len(errors) == 1 and "documenthandelingen" in errors[0]


def test_the_schema_refuses_what_it_should(documents) -> None:
    """The cut-down schema still checks values: a made-up category is refused."""
    xml = diwoo_metadata(*documents["urk"], "a.pdf", 1).replace(b"c_aab6bfc7", b"c_00000000")
    assert not SCHEMA.validate(etree.fromstring(xml))


@pytest.mark.parametrize(("file_name", "size"), [("", 1), ("out/a.pdf", 1), ("a.pdf", -1)])
def test_a_path_or_a_negative_size_is_a_programming_error(
        documents, file_name: str, size: int) -> None:
    with pytest.raises(ValueError):
        diwoo_metadata(*documents["urk"], file_name, size)


def test_a_language_without_a_diwoo_value_is_a_programming_error(documents) -> None:
    document, ivb = documents["urk"]
    english = dataclasses.replace(document, metadata=dataclasses.replace(
        document.metadata, language="en-GB"))
    with pytest.raises(ValueError, match="en-GB"):
        diwoo_metadata(english, ivb, "a.pdf", 1)


def test_the_metadata_file_is_named_after_the_file_it_describes() -> None:
    assert metadata_file_name("ivb-2020-2023-dronten.pdf") == "ivb-2020-2023-dronten.pdf.diwoo.xml"
