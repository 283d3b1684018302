"""Tests for ivbcompose.differences and the appendix and review marks generated from them."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx

from ivbcompose import api
from ivbcompose.account import describe
from ivbcompose.project import Project

from .conftest import edit


def test_urk_differences_in_document_order_with_reasons(project: Project) -> None:
    found = api.compose_municipality(project, "urk").differences
    summary = [(d.kind, d.item_id) for d in found]
    # The planning (chapter 2) before the partner removed from chapter 3, though Urk's
    # file removes the partner first.
    assert summary[:2] == [("changed", "planning"), ("removed", "buurtbemiddeling")]
    assert ("added", "haven-en-visserij") in summary
    title = next(d for d in found if d.item_id == "jeugd-en-veiligheid" and d.kind == "changed")
    assert title.fields == ("title",) and title.previous_label == "Jeugd & Veiligheid"
    appended = next(d for d in found if d.kind == "extended")
    assert appended.values == ("Jeugdhonken en drankketen",
                               "Vuurwerkoverlast rond de jaarwisseling")
    harbour = next(d for d in found if d.item_id == "haven-en-visserij")
    assert harbour.parent == "Focus" and harbour.ancestors[0] == "focus-areas"


def appendix_rows(path: Path) -> list[list[str]]:
    document = docx.Document(str(path))
    [table] = [t for t in document.tables if t.rows[0].cells[0].text == "Onderdeel"]
    return [[cell.text for cell in row.cells] for row in table.rows[1:]]


def test_the_appendix_accounts_for_every_difference(project: Project, tmp_path: Path) -> None:
    result = api.build(project, "urk", api.BuildOptions(output_dir=tmp_path))
    rows = appendix_rows(result.outputs[0])
    assert len(rows) == len(api.compose_municipality(project, "urk").differences)
    assert ["Buurtbemiddeling", "Verwijderd uit: Betrokkenen",
            "Urk heeft geen eigen organisatie voor buurtbemiddeling als netwerkpartner."] in rows
    assert ["Haven en visserij", "Toegevoegd aan: Focus",
            "De haven en de visserij maken Urk kwetsbaar voor ondermijning."] in rows
    assert any(r[1] == "Titel gewijzigd (eerst: ‘Jeugd & Veiligheid’)" for r in rows)


def test_the_appendix_follows_the_yaml(project: Project, tmp_path: Path) -> None:
    edit(project.root / "municipalities/urk/municipality.yaml",
         "reason: Urk heeft geen eigen organisatie voor buurtbemiddeling als netwerkpartner.",
         "reason: Buurtbemiddeling loopt op Urk via de kerken.")
    result = api.build(project, "urk", api.BuildOptions(output_dir=tmp_path))
    assert ["Buurtbemiddeling", "Verwijderd uit: Betrokkenen",
            "Buurtbemiddeling loopt op Urk via de kerken."] in appendix_rows(result.outputs[0])


def comments(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        return archive.read("word/comments.xml").decode() if "word/comments.xml" in names else ""


def test_review_build_marks_changes_and_normal_build_stays_clean(project: Project,
                                                                 tmp_path: Path) -> None:
    clean = api.build(project, "urk", api.BuildOptions(output_dir=tmp_path / "clean"))
    review = api.build(project, "urk", api.BuildOptions(output_dir=tmp_path / "review",
                                                        review=True))
    assert comments(clean.outputs[0]) == ""
    marked = comments(review.outputs[0])
    assert "De gemeente Urk heeft dit onderdeel toegevoegd aan Focus." in marked
    assert "De gemeente Urk heeft ‘Buurtbemiddeling’ verwijderd uit Betrokkenen." in marked
    assert "(Bron: municipalities/urk/municipality.yaml, regel " in marked


def test_municipality_without_changes_says_so(project: Project, tmp_path: Path) -> None:
    path = project.root / "municipalities/noordoostpolder/municipality.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("changes:")], encoding="utf-8")
    result = api.build(project, "noordoostpolder", api.BuildOptions(output_dir=tmp_path,
                                                                    formats=("md",)))
    assert "volgt het gezamenlijke deel van het basisteam zonder afwijkingen" in \
        result.outputs[0].read_text(encoding="utf-8")


def test_a_change_inside_an_item_removed_later_is_still_accounted(project: Project) -> None:
    edit(project.root / "shared/40-kaders.yaml", "            tables: []\n",
         "            tables:\n              - id: regio-cijfers\n                caption: Regio\n"
         "                source: Politie\n                years: [2018]\n"
         "                rows: [{id: regio-totaal, label: Totaal, values: {2018: 3000}}]\n")
    path = project.root / "municipalities/urk/municipality.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n  - update: regio-totaal\n"
                    "    with: {label: Totaal basisteam}\n  - remove: regio-cijfers\n"
                    "    reason: Urk neemt de regionale tabel niet op.\n", encoding="utf-8")
    found = api.compose_municipality(project, "urk").differences
    update = next(d for d in found if d.item_id == "regio-totaal")
    assert update.ancestors == ("regio-cijfers", "politiecijfers", "criminaliteitscijfers",
                                "kaders")
    assert update.parent == "Regio"


def test_fields_are_named_by_the_model_not_by_their_key(project: Project) -> None:
    # Two fields called `rows`: the rows of a planning and the rows of a crime table.
    path = project.root / "municipalities/dronten/municipality.yaml"
    path.write_text(path.read_text(encoding="utf-8") + """
  - replace: cijfers-dronten.rows
    with:
      - {id: criminaliteit-totaal, label: Totaal, values: {2016: 1697, 2017: 1530, 2018: 1283}}
  - replace: planning.rows
    with:
      - {id: dronten-klaar, when: Q2 2020, action: Vaststellen, responsible: [Gemeenteraad]}
""", encoding="utf-8")
    found = {d.item_id: d for d in api.compose_municipality(project, "dronten").differences}
    assert describe(found["cijfers-dronten"]) == "Rijen met cijfers aangepast"
    assert describe(found["planning"]) == "Planningsrijen aangepast"


def _document_places(project: Project, municipality: str) -> list[int]:
    """For each appendix row, the index of the first block where its difference shows."""
    composition = api.compose_municipality(project, municipality)
    blocks = api.document_for(project, composition).blocks
    anchors: dict[str, int] = {}
    for index, block in enumerate(blocks):
        anchor = getattr(block, "anchor", None)
        if anchor:
            anchors.setdefault(anchor, index)
    places = []
    for difference in composition.differences:
        own = () if difference.kind == "removed" else (difference.item_id,)
        places.append(next((anchors[c] for c in (*own, *difference.ancestors) if c in anchors),
                           places[-1] if places else 0))
    return places


def test_the_appendix_rows_follow_the_document_not_the_changes(project: Project,
                                                               tmp_path: Path) -> None:
    path = project.root / "municipalities/dronten/municipality.yaml"
    before = appendix_rows(api.build(project, "dronten",
                                     api.BuildOptions(output_dir=tmp_path / "a")).outputs[0])
    # The change of the first chapter's text moves to the end of the changes.
    text = path.read_text(encoding="utf-8")
    start = text.index("  - replace: inleiding.body")
    end = text.index("  - add: {id: meerpaal-jongerenwerk")
    path.write_text(text[:start] + text[end:].rstrip("\n") + "\n\n" + text[start:end],
                    encoding="utf-8")
    after = appendix_rows(api.build(project, "dronten",
                                    api.BuildOptions(output_dir=tmp_path / "b")).outputs[0])
    assert after == before
    assert after[0][:2] == ["Inleiding", "Tekst aangepast"]
    # Dronten's file changes indicators of the Focus chapter after adding its own
    # chapter's subjects; the appendix lists them where the document has them.
    places = _document_places(project, "dronten")
    assert places == sorted(places)
    labels = [row[0] for row in after]
    assert labels.index("Woninginbraken") < labels.index("Grote evenementen in Biddinghuizen")
