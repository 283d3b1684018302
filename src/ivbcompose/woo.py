"""Woo metadata: the DiWoo description of one published file, written beside it.

Documents a municipality publishes actively under the Wet open overheid (Woo)
carry metadata that the Woo-harvester of open.overheid.nl reads: the DiWoo
standard, XML in the namespace `https://standaarden.overheid.nl/diwoo/metadata/`
whose values are TOOI identifiers. `diwoo_metadata` describes one written file
(a .docx, .pdf, .odt or .html of a document) in a `diwoo:Document`: official
title, description, creation date, publisher and responsible body (the
municipality's TOOI id), information category, theme, keywords, language,
file format, the handling "vaststelling" with its date once the document is
adopted, and the file's name and size as the standard's own name/value pairs.

It is pure: the same document and file give the same bytes. Nothing reads the
clock; every date is a date of the document itself.

Where the identifiers come from (none is made up here):

- Element names, structure and namespace: DiWoo metadata 0.9.8,
  https://standaarden.overheid.nl/diwoo/metadata/0.9.8/xsd/diwoo/diwoo-metadata.xsd
- Values: its value lists, diwoo-metadata-lijsten.xsd 0.9.8 (generated on
  2025-08-12 from the TOOI waardelijsten); the list of each value is named
  beside it below. A copy of both files is in infonl/woo-hoo
  (src/woo_hoo/schemas/, commit 0ae095ee13c87d3989db4800cf63cef0dc68a6d3).
- File name and size as name/value pairs (`diwoo:extraMetadata`): "Opname van
  eigen metadata met naam/waarde paren" in the DiWoo handleiding,
  https://standaarden.overheid.nl/diwoo/metadata/diwoo-handleiding-metadata
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import PurePath

from .document import Document
from .model import DocumentMeta, Ivb

__all__ = [
    "FORMATS",
    "NAMESPACE",
    "Concept",
    "diwoo_metadata",
    "information_category",
    "metadata_file_name",
]

NAMESPACE = "https://standaarden.overheid.nl/diwoo/metadata/"
# "De aanbevolen prefix voor deze namespace is diwoo" (DiWoo, XML-schema voor
# Woo-metadata); registered once, so ElementTree writes diwoo: and not ns0:.
ET.register_namespace("diwoo", NAMESPACE)

_KERN = "https://identifier.overheid.nl/tooi/def/thes/kern/"


@dataclass(frozen=True)
class Concept:
    """A value from a TOOI value list: its URI, and its label as the list gives it."""

    uri: str
    label: str


# TOOI waardelijst scw_woo_informatiecategorieen/4 (simple type informatiecategorielijst).
# Which document gets which category, and why: `information_category`.
BESLUIT_VAN_ALGEMENE_STREKKING = Concept(_KERN + "c_aab6bfc7",
                                         "overige besluiten van algemene strekking")
JAARPLANNEN_EN_JAARVERSLAGEN = Concept(_KERN + "c_c6cd1213", "jaarplannen en jaarverslagen")
VERGADERSTUKKEN_DECENTRAAL = Concept(_KERN + "c_db4862c3",
                                     "vergaderstukken decentrale overheden")
INSPANNINGSVERPLICHTING = Concept(_KERN + "c_816e508d", "inspanningsverplichting art 3.1 Woo")

# TOOI waardelijst ccw_plooi_documenthandelingen/2 (soorthandelinglijst), which holds only
# ondertekening, ontvangst and vaststelling: a document not yet adopted has none of them.
VASTSTELLING = Concept(_KERN + "c_641ecd76", "vaststelling")

# TOOI waardelijst scw_toplijst/1 (themalijst): every document this tool writes is
# security policy, whatever its kind.
THEMA = Concept("https://identifier.overheid.nl/tooi/def/thes/top/c_d58b78ca",
                "openbare orde en veiligheid")

# TOOI waardelijst scw_talen/1 (taallijst), keyed by the primary subtag of the document's
# language ("nl-NL"): the EU language authority table, as the list uses it.
_LANGUAGES = {
    "nl": Concept("http://publications.europa.eu/resource/authority/language/NLD", "Nederlands"),
}

# TOOI waardelijst ccw_plooi_filetypes/4 (formatlijst), keyed by file suffix. Markdown is
# not in the list: a .md file (a review copy, not a publication) gets no diwoo:format.
_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
FORMATS = {
    ".docx": Concept(_FILE_TYPE + "DOCX", "Word DOCX"),
    ".odt": Concept(_FILE_TYPE + "ODT", "ODT"),
    ".pdf": Concept(_FILE_TYPE + "PDF", "PDF"),
    ".html": Concept(_FILE_TYPE + "HTML", "HTML"),
}

# The keys of the name/value pairs, in Dutch: open.overheid.nl shows them with the result.
FILE_NAME_KEY = "bestandsnaam"
FILE_SIZE_KEY = "bestandsgrootte in bytes"


def metadata_file_name(file_name: str) -> str:
    """The name of the metadata file of `file_name`: 'x.docx' → 'x.docx.diwoo.xml'.

    One per file, not per document: the name and size it records are those of one file,
    and a document is often published as .docx, .pdf and .odt side by side.
    """
    return f"{file_name}.diwoo.xml"


def information_category(meta: DocumentMeta) -> Concept:
    """The Woo information category (art. 3.3 Woo) of a document, from its state and kind.

    - adopted, for a whole period (the IVB, a Lokaal Veiligheidsplan): "overige besluiten
      van algemene strekking" (art. 3.3 lid 1 b): the raad or college sets the safety
      goals for everyone (art. 38b Politiewet 2012), and that is no generally binding rule;
    - adopted, for one year (uitvoeringsprogramma, voortgangsrapportage): "jaarplannen en
      jaarverslagen" (art. 3.3 lid 2 g): the intended execution of the task in a year, or
      the account of it;
    - sent to the council for its decision: "vergaderstukken decentrale overheden"
      (art. 3.3 lid 2 c);
    - otherwise (a concept; a document for the college or burgemeester to decide): no
      category of art. 3.3 applies, so "inspanningsverplichting art 3.1 Woo", the list's
      value for information published on the general duty of art. 3.1.
    """
    if meta.status == "vastgesteld":
        return JAARPLANNEN_EN_JAARVERSLAGEN if meta.year is not None \
            else BESLUIT_VAN_ALGEMENE_STREKKING
    if meta.status == "ter besluitvorming" and meta.adopted_by == "raad":
        return VERGADERSTUKKEN_DECENTRAAL
    return INSPANNINGSVERPLICHTING


def diwoo_metadata(document: Document, ivb: Ivb, file_name: str, size: int) -> bytes:
    """The DiWoo metadata (UTF-8 XML) of the file `file_name` of `size` bytes.

    `document` is the laid-out document the file was written from (its title,
    description, keywords and language are what the file itself says); `ivb` is
    its content (municipality and document metadata: dates, status). The handling
    "vaststelling" is there only when the document is adopted: DiWoo 0.9.8 requires
    at least one handling, so the metadata of a document that is not adopted does not
    validate, and a harvester refuses it, which is what a concept deserves.
    """
    if not file_name or PurePath(file_name).name != file_name:
        raise ValueError(f"a file name without folders is needed, not {file_name!r}")
    if size < 0:
        raise ValueError(f"a file size cannot be negative: {size}")
    meta, municipality = ivb.document, ivb.municipality
    organisation = Concept(municipality.tooi, f"gemeente {municipality.name}")

    root = ET.Element(_tag("Document"))
    diwoo = _child(root, "DiWoo")
    _concept(diwoo, "publisher", organisation)
    _concept(diwoo, "verantwoordelijke", organisation)
    _child(_child(diwoo, "titelcollectie"), "officieleTitel", document.metadata.title)
    if document.metadata.subject:
        _child(_child(diwoo, "omschrijvingen"), "omschrijving", document.metadata.subject)
    classification = _child(diwoo, "classificatiecollectie")
    _concept(_child(classification, "informatiecategorieen"), "informatiecategorie",
             information_category(meta))
    _concept(_child(classification, "themas"), "thema", THEMA)
    if document.metadata.keywords:
        keywords = _child(classification, "trefwoorden")
        for keyword in document.metadata.keywords:
            _child(keywords, "trefwoord", keyword)
    _child(diwoo, "creatiedatum", meta.date.isoformat())
    _concept(diwoo, "language", _language(document.metadata.language))
    file_format = FORMATS.get(PurePath(file_name).suffix.lower())
    if file_format is not None:
        _concept(diwoo, "format", file_format)
    if meta.status == "vastgesteld" and meta.adopted_on is not None:
        handling = _child(_child(diwoo, "documenthandelingen"), "documenthandeling")
        _concept(handling, "soortHandeling", VASTSTELLING)
        # atTime is an xs:dateTime, but only the day of adoption is known: midnight,
        # without a time zone, says no more than that.
        _child(handling, "atTime", f"{meta.adopted_on.isoformat()}T00:00:00")

    fields = _child(_child(root, "extraMetadata"), "extraMetadatavelden")
    for key, value in ((FILE_NAME_KEY, file_name), (FILE_SIZE_KEY, str(size))):
        field = _child(fields, "extraMetadataveld")
        _child(field, "key", key)
        _child(_child(field, "values"), "value", value)

    ET.indent(root)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n{ET.tostring(root, encoding="unicode")}\n'
            .encode())


def _language(tag: str) -> Concept:
    primary = tag.split("-", 1)[0].lower()
    if primary not in _LANGUAGES:
        raise ValueError(f"no DiWoo language for {tag!r}; known: {', '.join(_LANGUAGES)}")
    return _LANGUAGES[primary]


def _tag(name: str) -> str:
    return f"{{{NAMESPACE}}}{name}"


def _child(parent: ET.Element, name: str, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, _tag(name))
    element.text = text
    return element


def _concept(parent: ET.Element, name: str, concept: Concept) -> ET.Element:
    """An element of a TOOI value: the URI in `resource` (unqualified, as the XSD declares
    its attributes), the list's label as text."""
    element = _child(parent, name, concept.label)
    element.set("resource", concept.uri)
    return element
