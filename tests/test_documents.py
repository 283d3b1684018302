"""The three example documents, built through the public API and read back with python-docx."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.document import Document as DocxDocument
from docx.table import Table

from ivbcompose import api
from ivbcompose.project import Project

from .conftest import FIXTURE

SHARED_FOCUS = ["Buurt & Veiligheid", "Zorg & Veiligheid", "Jeugd & Veiligheid", "Ondermijning",
                "Openbare orde", "Crisisbeheersing"]


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, DocxDocument]:
    out = tmp_path_factory.mktemp("out")
    results = api.build_all(Project(FIXTURE), api.BuildOptions(output_dir=out))
    return {r.municipality_id: docx.Document(str(r.outputs[0])) for r in results}


def headings(document: DocxDocument, level: int | None = None) -> list[str]:
    styles = {f"Heading {level}"} if level else {"Heading 1", "Heading 2", "Heading 3"}
    return [p.text.strip() for p in document.paragraphs if p.style is not None
            and p.style.name in styles]


def all_text(document: DocxDocument) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def crime_table(document: DocxDocument) -> Table:
    [table] = [t for t in document.tables if t.rows[0].cells[0].text == "Soort misdrijf"]
    return table


def test_dronten_crime_table_has_the_startnotitie_figures(
        documents: dict[str, DocxDocument]) -> None:
    table = crime_table(documents["dronten"])
    header = [cell.text for cell in table.rows[0].cells]
    assert header == ["Soort misdrijf", "2016", "2017", "2018"]
    rows = {row.cells[0].text: [c.text for c in row.cells[1:]] for row in table.rows[1:]}
    # The startnotitie's table: the total row, then 23 offence categories, and one row that
    # heads the registrations shown apart (around the large events).
    assert len(table.rows) - 1 == 1 + 23 + 1
    assert table.rows[1].cells[0].text == "Totaal geregistreerde misdrijven"
    assert rows["Totaal geregistreerde misdrijven"] == ["1.697", "1.530", "1.283"]
    assert rows["Woninginbraken"] == ["121", "121", "79"]
    assert rows["waarvan pogingen"] == ["37", "47", "22"]
    assert rows["Geweld (totaal)"] == ["155", "126", "138"]
    assert rows["Zakkenrollen"] == ["88", "91", "68"]
    assert [r.cells[0].text for r in table.rows[-2:]] == [
        "Vooral rond grote evenementen (apart vermeld)", "Zakkenrollen"]
    text = all_text(documents["dronten"])
    assert "Totaal geregistreerde misdrijven: van 2016 tot 2018 een daling van 24% (van 1.697 " \
           "naar 1.283)." in text
    # Without pickpocketing (88 and 68): 1.609 and 1.215, a fall of 24,5%.
    assert "Zonder de registraties rond evenementen (zakkenrollen): van 2016 tot 2018 een " \
           "daling van 24% (van 1.609 naar 1.215)." in text
    assert rows["Wapenhandel (per 10.000 inwoners)"] == ["1,5", "3,2", "2,2"]
    assert "De cijfers over 2019 volgen in het eerste kwartaal van 2020." in \
        all_text(documents["dronten"])


def test_only_dronten_has_figures_the_others_say_they_follow(
        documents: dict[str, DocxDocument]) -> None:
    for municipality in ("noordoostpolder", "urk"):
        document = documents[municipality]
        assert not [t for t in document.tables if t.rows[0].cells[0].text == "Soort misdrijf"]
        assert "waren bij het opstellen van dit document nog niet beschikbaar" in \
            all_text(document)


def test_every_shared_focus_area_appears_unless_removed(
        documents: dict[str, DocxDocument]) -> None:
    for municipality, document in documents.items():
        found = headings(document, 2)
        expected = [t if not (municipality == "urk" and t == "Jeugd & Veiligheid")
                    else "Jeugd, alcohol en drugs" for t in SHARED_FOCUS]
        assert all(title in found for title in expected), (municipality, found)


def test_urk_adds_its_harbour_after_ondermijning(documents: dict[str, DocxDocument]) -> None:
    found = headings(documents["urk"], 2)
    focus = found[found.index("Buurt & Veiligheid"):]
    assert focus.index("Haven en visserij") == focus.index("Ondermijning") + 1


def test_dronten_events_appear_only_in_dronten(documents: dict[str, DocxDocument]) -> None:
    assert "Grote evenementen in Biddinghuizen" in headings(documents["dronten"])
    assert "Lowlands" in all_text(documents["dronten"])
    for municipality in ("noordoostpolder", "urk"):
        assert "Lowlands" not in all_text(documents[municipality])
        assert "Grote evenementen in Biddinghuizen" not in headings(documents[municipality])


def test_each_document_shows_its_own_kind_and_period(documents: dict[str, DocxDocument]) -> None:
    expected = {"dronten": ("Integraal Veiligheidsbeleid", "2020–2023"),
                "noordoostpolder": ("Integraal Veiligheidsbeleid", "2021–2024"),
                "urk": ("Lokaal Veiligheidsplan", "2021–2022")}
    for municipality, (kind, period) in expected.items():
        document = documents[municipality]
        cover = "\n".join(p.text for p in document.paragraphs[:12])
        assert kind in cover and period in cover, (municipality, cover)
        props = document.core_properties
        assert props.title.startswith(f"{kind} {period}")
        assert props.author == f"Gemeente {document.core_properties.author.split()[-1]}"
        assert props.language == "nl-NL"


def test_chapters_in_heading_styles(documents: dict[str, DocxDocument]) -> None:
    chapters = headings(documents["dronten"], 1)
    assert chapters[:4] == ["Inleiding", "Proces", "Betrokkenen", "Kaders en uitgangspunten"]
    assert "Couleur locale" in chapters and chapters[-2] == "Financiën"
    assert chapters[-1] == "Bijlage: Verantwoording couleur locale"
    assert not any(title[0].isdigit() for title in chapters)


def test_partners_are_a_bullet_list_of_twelve_for_dronten(
        documents: dict[str, DocxDocument]) -> None:
    paragraphs = documents["dronten"].paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.text.startswith("Veiligheid raakt"))
    items = []
    for paragraph in paragraphs[start + 1:]:
        if paragraph.style is None or not paragraph.style.name.startswith("List"):
            break
        items.append(paragraph.text)
    assert len(items) == 12
    assert "De Meerpaal Jongerenwerk" in items and "Gemeente Dronten" not in items
    assert "Gemeente Dronten, team Sociaal Domein" in items


def test_planning_table_has_spans_and_caption(documents: dict[str, DocxDocument]) -> None:
    document = documents["dronten"]
    [table] = [t for t in document.tables if t.rows[0].cells[0].text == "Kwartaal"]
    whens = [row.cells[0].text for row in table.rows[1:]]
    assert "Q1–Q2 2020" in whens and "Q4 2019 – Q1 2020" in whens
    captions = [p.text for p in document.paragraphs if p.text.startswith("Tabel ")]
    assert captions[0] == "Tabel 1: Procesplanning IVB 2020–2023"
    assert captions[1].startswith("Tabel 2: Geregistreerde misdrijven in de gemeente Dronten")


def test_markdown_output_has_the_same_content(project: Project) -> None:
    result = api.build(project, "urk", api.BuildOptions(formats=("md",)))
    text = Path(result.outputs[0]).read_text(encoding="utf-8")
    assert "Lokaal Veiligheidsplan" in text and "Haven en visserij" in text


def test_bookmarks_are_unique_in_every_example(tmp_path: Path) -> None:
    import re
    import zipfile

    for result in api.build_all(Project(FIXTURE), api.BuildOptions(output_dir=tmp_path)):
        with zipfile.ZipFile(result.outputs[0]) as archive:
            body = archive.read("word/document.xml").decode()
        names = re.findall(r'<w:bookmarkStart [^>]*w:name="([^"]+)"', body)
        assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)
