"""The outline as data, end to end: chapters and blocks written in YAML reach the documents.

Runs on copies of the frozen fixture project (tests/fixtures/project) and
reads the written .docx back with python-docx.
"""

from __future__ import annotations

import html
import zipfile
from pathlib import Path

import docx
import pytest
from docx.document import Document as DocxDocument

from ivbcompose import api
from ivbcompose.account import describe
from ivbcompose.cli import main
from ivbcompose.errors import IvbError, Problem
from ivbcompose.project import Project

from .conftest import edit, line_of

URK = "municipalities/urk/municipality.yaml"

EVALUATION = """\
chapters:
  - id: evaluatie
    title: Evaluatie IVB 2016–2019
    body: |
      Wat heeft het vorige beleid opgeleverd?

      | Doel              | Resultaat |    Jaar |
      | ----------------- | --------- | ------: |
      | Minder inbraken   | Gehaald   |    2019 |
      | Veiliger centrum  | Deels     |    2018 |

      Tabel: Resultaten van het IVB 2016–2019
"""


def build(project: Project, municipality: str, tmp_path: Path) -> DocxDocument:
    result = api.build(project, municipality, api.BuildOptions(output_dir=tmp_path))
    return docx.Document(str(result.outputs[0]))


def headings(document: DocxDocument, level: int) -> list[str]:
    return [p.text for p in document.paragraphs
            if p.style is not None and p.style.name == f"Heading {level}"]


def problems_of(project: Project, municipality: str = "urk") -> list[Problem]:
    with pytest.raises(IvbError) as caught:
        api.compose_municipality(project, municipality)
    return list(caught.value.problems)


def append_changes(project: Project, text: str, municipality: str = "urk") -> Path:
    path = project.root / f"municipalities/{municipality}/municipality.yaml"
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
    return path


def test_a_shared_file_adds_a_chapter_whose_markdown_table_is_a_real_table(
        project: Project, tmp_path: Path) -> None:
    (project.root / "shared/15-evaluatie.yaml").write_text(EVALUATION, encoding="utf-8")
    assert api.check(project) == []
    document = build(project, "dronten", tmp_path)
    chapters = headings(document, 1)
    assert chapters[:3] == ["Inleiding", "Evaluatie IVB 2016–2019", "Proces"]
    [table] = [t for t in document.tables if t.rows[0].cells[0].text == "Doel"]
    assert [c.text for c in table.rows[0].cells] == ["Doel", "Resultaat", "Jaar"]
    assert [c.text for c in table.rows[2].cells] == ["Veiliger centrum", "Deels", "2018"]
    assert table.rows[1].cells[2].paragraphs[0].alignment is not None  # right-aligned column
    texts = [p.text for p in document.paragraphs]
    assert not [t for t in texts if "|" in t]
    captions = [t for t in texts if t.startswith("Tabel ") and "Resultaten" in t]
    assert captions == ["Tabel 1: Resultaten van het IVB 2016–2019"]


def test_a_markdown_table_with_ragged_rows_is_refused_in_the_file_that_has_it(
        project: Project) -> None:
    (project.root / "shared/15-evaluatie.yaml").write_text(
        EVALUATION.replace("| Deels     |    2018 |", "| Deels |"), encoding="utf-8")
    problem = problems_of(project, "dronten")[0]
    assert problem.origin.file == "shared/15-evaluatie.yaml"
    assert "row 2 of the table has 2 cells, its header has 3" in problem.message


def test_a_municipality_adds_moves_and_removes_chapters_and_sections(
        project: Project, tmp_path: Path) -> None:
    append_changes(project, """
  - add: {id: evaluatie-urk, title: Evaluatie LVP 2019–2020, body: Terugblik.}
    to: chapters
    after: kaders
    reason: Urk blikt terug op het vorige plan.
  - add: {id: visserij, title: Visserij, body: Over de vloot.}
    to: themas
    reason: De visserij is een thema op Urk.
  - move: cybercrime
    to: kaders
    reason: Op Urk hoort cybercrime bij de kaders.
  - remove: samenwerking-basisteam
    reason: Urk beschrijft de samenwerking in het jaarplan.
""")
    document = build(project, "urk", tmp_path)
    chapters = headings(document, 1)
    kaders = chapters.index("Kaders en uitgangspunten")
    assert chapters.index("Evaluatie LVP 2019–2020") == kaders + 1
    assert "Samenwerking basisteamgemeenten" not in chapters
    sections = headings(document, 2)
    assert sections.index("Cybercrime") == sections.index("Uitgangspunt") + 1
    assert sections.index("Visserij") == sections.index("Burgerparticipatie") + 1
    rows = {row.cells[0].text: row.cells[1].text for table in document.tables
            if table.rows[0].cells[0].text == "Onderdeel" for row in table.rows[1:]}
    assert rows["Cybercrime"] == "Verplaatst van Thema's naar Kaders en uitgangspunten"
    assert rows["Visserij"] == "Toegevoegd aan: Thema's"
    assert rows["Samenwerking basisteamgemeenten"] == "Hoofdstuk verwijderd"
    assert rows["Evaluatie LVP 2019–2020"] == "Hoofdstuk toegevoegd"


def test_moves_show_in_explain_compare_review_and_drift(project: Project, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    append_changes(project, "\n  - move: cybercrime\n    before: thema-ondermijning\n"
                            "    reason: Cybercrime eerst.\n")
    root = str(project.root)
    assert main(["--project", root, "explain", "urk", "cybercrime"]) == 0
    assert "cybercrime  (moved)\n  moved    municipalities/urk/municipality.yaml:" in \
        capsys.readouterr().out
    assert main(["--project", root, "compare"]) == 0
    [line] = [x for x in capsys.readouterr().out.splitlines() if "(cybercrime)" in x]
    assert line.split()[-3:] == ["shared", "shared", "moved"]
    review = api.build(project, "urk", api.BuildOptions(output_dir=tmp_path, review=True))
    assert "De gemeente Urk: Verplaatst binnen Thema's, vóór ‘Ondermijning’. Toelichting: " \
           "Cybercrime eerst." in _comments(review.outputs[0])
    assert [p.code for p in api.check(project)] == ["lock-missing"]
    api.accept(project, ["urk"])
    assert api.check(project) == []
    # The regional team puts another theme before cybercrime: the move was written
    # against the old order, so it is reviewed again.
    shared = project.root / "shared/50-themas.yaml"
    text = shared.read_text(encoding="utf-8")
    start = text.index("      - id: burgerparticipatie")
    block = text[start:]
    text = text[:start].replace("      - id: cybercrime", block.rstrip("\n") +
                                "\n      - id: cybercrime", 1)
    shared.write_text(text, encoding="utf-8")
    [warning] = api.check(project)
    assert warning.code == "drift" and "'cybercrime'" in warning.message
    assert warning.detail == "shared: in: themas after: [-thema-ondermijning-] " \
        "{+burgerparticipatie+}"


def _comments(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return html.unescape(archive.read("word/comments.xml").decode("utf-8"))


def test_removing_a_required_chapter_names_the_rule(project: Project, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    path = append_changes(project, "\n  - remove: financien\n    reason: Staat in de begroting.\n")
    assert main(["--project", str(project.root), "build", "urk", "-o", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    line = line_of(path, "remove: financien")
    assert f"{URK}:{line}:13: error: 'financien' is required: the shared part marks it " \
           "'required: true' (at shared/70-organisatie.yaml:" in err
    assert "hint: a required chapter stays in every document" in err
    assert not (tmp_path / "urk").exists()


def test_an_unknown_block_type_is_refused_with_the_known_ones(project: Project) -> None:
    path = project.root / "shared/70-organisatie.yaml"
    edit(path, "      - type: related-subjects", "      - type: related-subject")
    [problem] = problems_of(project)
    assert problem.message == "unknown block type 'related-subject'"
    assert problem.hint == "did you mean 'related-subjects'?"
    assert (problem.origin.file, problem.origin.line) == (
        "shared/70-organisatie.yaml", line_of(path, "type: related-subject"))
    edit(path, "      - type: related-subject", "      - type: grafiek")
    [problem] = problems_of(project)
    assert problem.hint is not None and problem.hint.startswith("known types: text, list, table")


def test_a_block_without_type_and_an_unknown_field_of_a_block(project: Project) -> None:
    path = project.root / "shared/70-organisatie.yaml"
    edit(path, "      - type: related-subjects\n        id: andere-teams",
         "      - id: andere-teams")
    [problem] = problems_of(project)
    assert "has no 'type'" in problem.message and "related-subjects" in (problem.hint or "")
    edit(path, "      - id: andere-teams", "      - type: related-subjects\n"
         "        id: andere-teams\n        captoin: Andere teams")
    [problem] = problems_of(project)
    assert problem.message == "unknown field 'captoin'"
    assert problem.hint == "did you mean 'caption'?"


def test_a_table_written_in_yaml(project: Project, tmp_path: Path) -> None:
    path = append_changes(project, """
  - add:
      type: table
      id: capaciteit
      caption: Inzet handhaving per jaar
      columns: [{label: Jaar}, {label: Uren, align: right}]
      rows:
        - ["2021", 1250]
        - ["2022", 1400.5]
      source: Team Handhaving
    to: betrokkenen.blocks
    reason: Urk laat de inzet van handhaving zien.
""")
    document = build(project, "urk", tmp_path)
    [table] = [t for t in document.tables if t.rows[0].cells[0].text == "Jaar"]
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["Jaar", "Uren"], ["2021", "1.250"], ["2022", "1.400,5"]]
    texts = [p.text for p in document.paragraphs]
    assert "Bron: Team Handhaving." in texts
    edit(path, '        - ["2022", 1400.5]', '        - ["2022"]')
    [problem] = problems_of(project)
    assert problem.message == ("'capaciteit': row 2 of the table has 1 cells, the table has 2 "
                               "columns")
    assert (problem.origin.file, problem.origin.line) == (URK, line_of(path, '- ["2022"]'))


def test_a_misspelt_basisteam_variable_is_a_positioned_error(project: Project) -> None:
    path = project.root / "shared/70-organisatie.yaml"
    edit(path, "De gemeenten {{ basisteam.names | opsomming }} vallen onder hetzelfde",
         "De gemeenten van {{ basisteam.naam }} vallen onder hetzelfde")
    [problem] = problems_of(project)
    assert problem.message == "undefined variable: 'basisteam' has no field 'naam'"
    assert problem.hint == "did you mean 'name'?"
    assert problem.origin.line == line_of(path, "{{ basisteam.naam }}")


def test_the_basisteam_lists_its_members_in_every_document(project: Project) -> None:
    ivb = api.compose_municipality(project, "urk").ivb
    assert ivb.basisteam.names == ["Dronten", "Noordoostpolder", "Urk"]
    assert ivb.basisteam.inhabitants == sum(
        api.compose_municipality(project, m).ivb.municipality.inhabitants
        for m in project.municipality_ids())


def test_members_are_not_written_in_the_shared_part(project: Project) -> None:
    edit(project.root / "shared/00-document.yaml", "basisteam:\n",
         "basisteam:\n  municipalities: []\n")
    [problem] = api.check(project)
    assert problem.message == "the members of the basisteam are the folders under municipalities/"


def test_a_point_of_a_list_cannot_hold_a_table(project: Project) -> None:
    path = project.root / URK
    edit(path, "        - Arbeidsuitbuiting\n",
         "        - |\n          | a | b |\n          | - | - |\n          | 1 | 2 |\n")
    [problem] = problems_of(project)
    assert problem.message == "a point of a list cannot hold a table"
    assert (problem.origin.file, problem.origin.line) == (URK, line_of(path, "- |"))


@pytest.mark.parametrize(("change", "expected"), [
    ("- move: cybercrime\n    to: chapters\n", "Verplaatst van Thema's naar de hoofdstukken"),
    ("- move: focus\n    before: inleiding\n", "Hoofdstuk verplaatst, vóór ‘Inleiding’"),
    ("- move: kaders\n    to: themas\n", "Verplaatst van de hoofdstukken naar Thema's"),
])
def test_the_appendix_says_where_an_item_went(project: Project, change: str,
                                              expected: str) -> None:
    append_changes(project, f"\n  {change}    reason: Zo leest het beter.\n")
    [moved] = [d for d in api.compose_municipality(project, "urk").differences
               if d.kind == "moved"]
    assert describe(moved) == expected
