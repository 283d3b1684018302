"""Tests for ivbcompose.compose: the example project composes; mistakes point at their source."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel

from ivbcompose import api
from ivbcompose.compose import compose
from ivbcompose.errors import IvbError, Problem
from ivbcompose.model import items_by_id
from ivbcompose.project import Project

from .conftest import edit, line_of

URK = "municipalities/urk/municipality.yaml"


def problems_of(project: Project, municipality: str = "urk") -> list[Problem]:
    with pytest.raises(IvbError) as caught:
        api.compose_municipality(project, municipality)
    return list(caught.value.problems)


def test_example_project_composes_for_all_three(project: Project) -> None:
    names = {m: api.compose_municipality(project, m).ivb for m in project.municipality_ids()}
    assert [ivb.municipality.name for ivb in names.values()] == ["Dronten", "Noordoostpolder",
                                                                 "Urk"]
    assert names["urk"].document.kind == "Lokaal Veiligheidsplan"
    assert str(names["noordoostpolder"].document.period) == "2021–2024"
    assert api.check(project) == []


def test_shared_text_is_rendered_per_municipality(project: Project) -> None:
    urk = items_by_id(api.compose_municipality(project, "urk").ivb)
    assert "Vaststellen Lokaal Veiligheidsplan 2021–2022" in [r.action for r in
                                                             urk["planning"].rows]
    names = [p.name for p in urk["partners"].items]
    assert "Gemeente Urk, team Sociaal Domein" in names


def _every_item(value: object, found: dict[str, object]) -> None:
    """items_by_id without its shortcut: into every field of every model."""
    if isinstance(value, BaseModel):
        if isinstance(getattr(value, "id", None), str):
            found.setdefault(value.id, value)  # type: ignore[attr-defined]
        for name in type(value).model_fields:
            _every_item(getattr(value, name), found)
    elif isinstance(value, list | tuple | dict):
        for element in value.values() if isinstance(value, dict) else value:
            _every_item(element, found)


@pytest.mark.parametrize("kind", [None, "voortgangsrapportage"])
def test_items_by_id_finds_every_item_though_it_skips_the_fields_that_hold_none(
        project: Project, kind: str | None) -> None:
    year = api.document_kinds(project, "dronten")
    ivb = compose(project, "dronten", kind=kind,
                  year=next((k.years[-1] for k in year if k.id == kind), None)).ivb
    every: dict[str, object] = {}
    _every_item(ivb, every)
    assert ivb.figures and len(every) > 30
    assert items_by_id(ivb) == every


def test_unknown_field_in_added_item_points_at_the_municipality(project: Project) -> None:
    path = project.root / URK
    edit(path, "      title: Haven en visserij", "      titel: Haven en visserij")
    found = {p.code: p for p in problems_of(project)}
    unknown = found["unknown-field"]
    assert unknown.origin.file == URK
    assert unknown.origin.line == line_of(path, "titel: Haven")
    assert unknown.origin.column == 7
    assert unknown.hint == "did you mean 'title'?"
    assert found["missing-field"].message == "required field 'title' is missing"


def test_wrong_type_is_named_with_its_position(project: Project) -> None:
    path = project.root / "municipalities/dronten/municipality.yaml"
    edit(path, "inhabitants: 44337", 'inhabitants: "44337"')
    [problem] = problems_of(project, "dronten")
    assert problem.code == "wrong-type"
    assert problem.origin.line == line_of(path, "inhabitants:")
    assert "'municipality.inhabitants' must be a whole number" in problem.message
    assert problem.hint == "remove the quotes around the number"


def test_missing_required_field(project: Project) -> None:
    path = project.root / "shared/10-inleiding.yaml"
    edit(path, "        title: Doel van dit document\n", "")
    [problem] = problems_of(project, "dronten")
    assert problem.message == "required field 'title' is missing"
    assert problem.origin.file == "shared/10-inleiding.yaml"


def test_duplicate_id_introduced_by_a_municipality_names_both(project: Project) -> None:
    path = project.root / URK
    edit(path, "      id: jeugd-urk", "      id: jeugd-en-veiligheid")
    problem = next(p for p in problems_of(project) if p.code in ("id-exists", "duplicate-id"))
    assert problem.origin.file == URK
    assert "shared/60-focus.yaml" in problem.message


def test_a_top_level_key_in_two_shared_files(project: Project) -> None:
    (project.root / "shared/99-extra.yaml").write_text("basisteam:\n  name: Regio\n",
                                                       encoding="utf-8")
    [problem] = api.check(project)
    assert problem.origin.location() == "shared/99-extra.yaml:1:1"
    assert "also defined at shared/00-document.yaml" in problem.message


def test_undefined_variable_points_into_the_text(project: Project) -> None:
    path = project.root / "shared/50-themas.yaml"
    edit(path, "Door de digitalisering verandert", "Door {{ gemeente.naam }} verandert")
    [problem] = problems_of(project, "dronten")
    assert problem.code == "template-undefined"
    assert problem.origin.line == line_of(path, "{{ gemeente.naam }}")
    line = path.read_text(encoding="utf-8").splitlines()[problem.origin.line - 1]
    assert problem.origin.column == line.index("{{ gemeente.naam }}") + 1


def test_template_syntax_error(project: Project) -> None:
    path = project.root / "shared/10-inleiding.yaml"
    edit(path, "In dit {{ document.short }} staan", "In dit {{ document.short } staan")
    [problem] = problems_of(project, "dronten")
    assert problem.code == "template-syntax"
    assert problem.origin.file == "shared/10-inleiding.yaml"


def test_sandbox_refuses_python_internals(project: Project) -> None:
    path = project.root / "shared/10-inleiding.yaml"
    edit(path, "title: Inleiding", "title: \"{{ municipality.__class__.__mro__ }}\"")
    [problem] = problems_of(project, "dronten")
    assert problem.code == "template-unsafe"
    assert problem.origin.line == line_of(path, "__mro__")


def test_status_vastgesteld_needs_a_date(project: Project) -> None:
    path = project.root / URK
    edit(path, "  adopted_on: 2021-03-09             # [illustratief]\n", "")
    [problem] = problems_of(project)
    assert "needs 'adopted_on'" in problem.message
    assert problem.origin.file == "shared/00-document.yaml" or problem.origin.file == URK


def test_crime_table_parts_cannot_exceed_the_whole(project: Project) -> None:
    path = project.root / "municipalities/dronten/municipality.yaml"
    edit(path, "values: {2016: 37, 2017: 47, 2018: 22}", "values: {2016: 370, 2017: 47, 2018: 22}")
    [problem] = problems_of(project, "dronten")
    assert "the parts of 'woninginbraken' add up to 454 in 2016" in problem.message
    assert problem.origin.file == "municipalities/dronten/municipality.yaml"


def test_quarters_must_be_valid(project: Project) -> None:
    path = project.root / "shared/20-proces.yaml"
    edit(path, "when: Q1/Q2 2020", "when: Q5 2020")
    [problem] = problems_of(project, "dronten")
    assert "'Q5 2020' is not a quarter" in problem.message
    assert problem.origin.line == line_of(path, "Q5 2020")


def test_unknown_key_in_municipality_file(project: Project) -> None:
    path = project.root / URK
    edit(path, "changes:\n", "chagnes:\n")
    [problem] = problems_of(project)
    assert problem.hint == "did you mean 'changes'?"


def test_all_problems_of_a_stage_are_reported_together(project: Project) -> None:
    path = project.root / URK
    edit(path, "  - remove: buurtbemiddeling", "  - remove: buurtbemidelling")
    edit(path, "  - remove: verkeersoverlast", "  - remove: verkeersoverlst")
    assert len(problems_of(project)) == 2


def test_project_is_found_from_a_subfolder(project: Project,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project.root / "municipalities" / "urk")
    assert api.open_project().root == project.root.resolve()


def test_paths_are_shown_relative_to_the_project(project: Project) -> None:
    assert project.display(project.root / "shared" / "x.yaml") == "shared/x.yaml"
    assert project.display(Path("/elsewhere/x.yaml")) == "/elsewhere/x.yaml"


def test_wrong_type_in_an_item_urk_added_points_at_urk(project: Project) -> None:
    path = project.root / URK
    edit(path, "        - Arbeidsuitbuiting\n", "        - {soort: Arbeidsuitbuiting}\n")
    [problem] = problems_of(project)
    assert problem.code == "wrong-type"
    assert problem.origin.file == URK
    assert problem.origin.line == line_of(path, "soort: Arbeidsuitbuiting")
    assert problem.origin.via is not None and problem.origin.via.operation == "add"


DRONTEN = "municipalities/dronten/municipality.yaml"


@pytest.mark.parametrize(("old", "new", "line_text", "message"), [
    ("  date: 2021-03-09 ", "  date: 9 maart 2021 ", "date: 9 maart 2021",
     "'document.date' must be a date"),
    ("  period: {start: 2021, end: 2022}", "  period: {start: 2022, end: 2021}",
     "period: {start: 2022", "the period ends (2021) before it starts (2022)"),
    ("  status: vastgesteld\n", "  status: concept\n", "status: concept",
     "'adopted_on' is set, but the status is 'concept'"),
    ("  status: vastgesteld\n", "  status: Vastgesteld\n", "status: Vastgesteld",
     "'document.status' must be one of"),
])
def test_document_mistakes_point_at_the_municipality(project: Project, old: str, new: str,
                                                     line_text: str, message: str) -> None:
    path = project.root / URK
    edit(path, old, new)
    [problem] = problems_of(project)
    assert problem.origin.file == URK, problem.headline()
    assert problem.origin.line == line_of(path, line_text)
    assert message in problem.message


def test_a_quoted_date_gets_a_hint(project: Project) -> None:
    edit(project.root / URK, "  adopted_on: 2021-03-09", '  adopted_on: "2021-03-09"')
    [problem] = problems_of(project)
    assert problem.hint == "remove the quotes around the date"


def test_a_wrong_status_suggests_the_right_spelling(project: Project) -> None:
    edit(project.root / URK, "  status: vastgesteld\n", "  status: Vastgesteld\n")
    [problem] = problems_of(project)
    assert problem.hint == "did you mean 'vastgesteld'?"


@pytest.mark.parametrize(("old", "new", "message"), [
    ("values: {2016: 78, 2017: 74, 2018: 75}", "values: {2016: 78, 2018: 75}",
     "row 'autokraak' has no figure for [2017]"),
    ("values: {2016: 78, 2017: 74, 2018: 75}", "values: {2016: 78, 2017: -74, 2018: 75}",
     "row 'autokraak' has a negative figure"),
    ("values: {2016: 78, 2017: 74, 2018: 75}", "values: {2016: 78, 2017: 74, 2018: 75, 2019: 80}",
     "row 'autokraak' has a figure for 2019, which is listed as pending"),
    ("part_of: geweld-totaal, values: {2016: 16,", "part_of: geweld-mishandeling, "
     "values: {2016: 16,", "row 'geweld-zeden' is part of 'geweld-mishandeling', which is "
     "itself a part"),
    ("id: autokraak, label: Autokraak,", "id: autokraak, label: Autokraak, part_of: autokraak,",
     "row 'autokraak' cannot be a part of itself"),
])
def test_crime_table_rules_point_at_the_row(project: Project, old: str, new: str,
                                            message: str) -> None:
    path = project.root / DRONTEN
    edit(path, old, new)
    [problem] = problems_of(project, "dronten")
    assert message in problem.message
    row_id = message.split("'")[1]
    assert problem.origin.file == DRONTEN
    assert problem.origin.line == line_of(path, f"id: {row_id},")


def test_a_value_that_is_no_number_is_reported_once(project: Project) -> None:
    edit(project.root / DRONTEN, "values: {2016: 78, 2017: 74, 2018: 75}",
         'values: {2016: 78, 2017: "1,5", 2018: 75}')
    [problem] = problems_of(project, "dronten")
    assert problem.code == "wrong-type"
    assert problem.message.startswith("'autokraak.values.2017' must be a")


def test_messages_name_items_by_id_not_list_position(project: Project) -> None:
    edit(project.root / "shared/60-focus.yaml", "        - Radicalisering\n",
         "        - {tekst: Radicalisering}\n")
    problems = api.check(project)
    assert [p.message for p in problems] == [
        "'zorg-en-veiligheid.attention.2' must be a text, not a mapping"]


def test_blank_titles_are_refused(project: Project) -> None:
    edit(project.root / URK, "      title: Haven en visserij", '      title: " "')
    [problem] = problems_of(project)
    assert problem.message == "'haven-en-visserij.title': must not be empty"


def test_reasons_are_texts_with_variables(project: Project) -> None:
    edit(project.root / URK, "reason: Urk heeft geen eigen organisatie voor buurtbemiddeling als "
         "netwerkpartner.", "reason: \"{{ gemeente }} heeft geen eigen organisatie voor "
         "buurtbemiddeling als netwerkpartner.\"")
    found = api.compose_municipality(project, "urk").differences
    assert "Urk heeft geen eigen organisatie voor buurtbemiddeling als netwerkpartner." in \
        [d.reason for d in found]
    edit(project.root / URK, "{{ gemeente }} heeft", "{{ onbekend }} heeft")
    [problem] = problems_of(project)
    assert problem.code == "template-undefined" and problem.origin.file == URK


@pytest.mark.parametrize(("text", "message"), [
    ("• eerste punt\\n        • tweede punt", "a list is typed with bullet or number characters"),
    ("<p>Huiselijk geweld</p>", "HTML is not supported in a text"),
    ("Zie de kaart ![Kaart van Urk](kaart.png)", "images are not supported in a text"),
])
def test_texts_the_document_cannot_show_are_refused(project: Project, text: str,
                                                    message: str) -> None:
    path = project.root / URK
    edit(path, "Huiselijk geweld blijft vaak verborgen.", text.replace("\\n", "\n"))
    [problem] = problems_of(project)
    assert problem.message == message
    assert problem.origin.file == URK


def test_a_missing_shared_section_is_named(project: Project) -> None:
    (project.root / "shared/00-document.yaml").unlink()
    names = sorted(p.message for p in problems_of(project, "dronten"))
    assert names == ["the shared part has no 'basisteam'"]
    for name in ("10-inleiding", "20-proces", "30-betrokkenen", "40-kaders", "50-themas",
                 "60-focus"):
        (project.root / f"shared/{name}.yaml").unlink()
    (project.root / "shared/70-organisatie.yaml").write_text("# empty\n", encoding="utf-8")
    names = sorted(p.message for p in problems_of(project, "dronten"))
    assert names == ["the shared part has no 'basisteam'", "the shared part has no 'chapters'"]


def test_municipality_folders_that_would_drop_out_are_reported(project: Project) -> None:
    folder = project.root / "municipalities"
    (folder / "urk" / "municipality.yaml").rename(folder / "urk" / "municipality.yml")
    (folder / "Lelystad").mkdir()
    found = {p.origin.file: p for p in api.check(project)}
    assert found["municipalities/urk"].hint == "rename municipality.yml to municipality.yaml"
    assert "is not a municipality id" in found["municipalities/Lelystad"].message


def test_a_mistake_in_shared_metadata_that_everyone_overrides_is_found(project: Project) -> None:
    edit(project.root / "shared/00-document.yaml", "  date: 2020-01-09", "  date: 9 januari 2020")
    [problem] = api.check(project)
    assert problem.origin.file == "shared/00-document.yaml"
    assert "'document.date' must be a date" in problem.message


@pytest.mark.parametrize(("field", "text"), [
    ("body", "– eerst terugkijken, dan vernieuwen."),
    ("body", "1) eerst terugkijken"),
    ("body", "Gewone tekst, met een - streepje erin."),
    ("body", "- een echte lijst\n      - met twee punten"),
    ("action", "- informeren van de gemeenteraad"),
    ("action", "1. informeren"),
    ("action", "Informeren van de gemeenteraad"),
])
def test_check_and_the_build_audit_agree(project: Project, tmp_path: Path, field: str,
                                         text: str) -> None:
    """Whatever `check` accepts, the accessibility audit of the build accepts too."""
    target = "doel.body" if field == "body" else "urk-raad.action"
    path = project.root / URK
    path.write_text(path.read_text(encoding="utf-8")
                    + f"\n  - replace: {target}\n    with: |\n      {text}\n", encoding="utf-8")
    checked = [p for p in api.check(project, ["urk"]) if p.severity == "error"]
    try:
        api.build(project, "urk", api.BuildOptions(output_dir=tmp_path))
        built: list[Problem] = []
    except IvbError as error:
        built = list(error.problems)
    assert [p.code for p in checked] == [p.code for p in built]
    assert not any(p.code.startswith("a11y-") for p in built)


@pytest.mark.parametrize(("old", "new", "message"), [
    ("    title: Inleiding\n", '    title: "Inleiding\\x01"\n',
     "the text contains an invisible character (U+0001) that no document can hold"),
    ("    title: Inleiding\n", "    title: \"{{ '\\x0b' }}Inleiding\"\n",
     "the text contains an invisible character (U+000B) that no document can hold"),
])
def test_characters_no_document_can_hold_are_refused_at_their_text(
        project: Project, tmp_path: Path, old: str, new: str, message: str) -> None:
    path = project.root / "shared/10-inleiding.yaml"
    edit(path, old, new)
    assert [p.message for p in api.check(project)] == [message]
    with pytest.raises(IvbError) as caught:
        api.build(project, "urk", api.BuildOptions(output_dir=tmp_path))
    [problem] = caught.value.problems
    assert (problem.origin.file, problem.origin.line) == ("shared/10-inleiding.yaml",
                                                          line_of(path, "title: "))


def test_a_line_separator_pasted_from_the_web_is_named_at_its_place(project: Project) -> None:
    path = project.root / "shared/10-inleiding.yaml"
    edit(path, "de politie, het Openbaar", "de politie,\u2028het Openbaar")
    [problem] = problems_of(project, "dronten")
    assert problem.message == "the file contains an invisible line separator (U+2028)"
    assert problem.origin.line == line_of(path, "de politie,")


def test_a_dutch_thousands_dot_gets_the_hint_to_leave_it_out(project: Project) -> None:
    edit(project.root / URK, "  inhabitants: 21929", "  inhabitants: 21.929")
    [problem] = api.check(project)
    assert problem.hint == "write 21929 without the dot: YAML reads 21.929 as a decimal number"


def test_mistakes_that_would_pass_in_silence(project: Project, tmp_path: Path) -> None:
    path = project.root / "shared/10-inleiding.yaml"
    edit(path, "    title: Inleiding\n", "    title: “Inleiding”\n")
    [problem] = api.check(project)
    assert problem.message == "the whole text is between curly quotes (“ ”), which would be " \
        "printed"
    assert problem.origin.line == line_of(path, "title: “Inleiding”")
    edit(path, "    title: “Inleiding”\n", "    title: Inleiding\n")
    edit(project.root / "shared/00-document.yaml", '  subtitle: "{{ basisteam.name }}"',
         '  subtitle: "   "')
    assert [p.message for p in api.check(project)] == ["'document.subtitle': must not be empty"]


def test_a_text_of_paragraphs_without_the_bar_is_refused(project: Project) -> None:
    path = project.root / "shared/20-proces.yaml"
    edit(path, "        body: |\n          Met de uitkomsten van stap 1",
         "        body:\n          Met de uitkomsten van stap 1")
    edit(path, "denken daarbij mee.\n", "denken daarbij mee.\n\n          Een tweede alinea.\n")
    [problem] = problems_of(project, "dronten")
    assert problem.message.startswith("this text has several paragraphs or list items, but "
                                      "without '|'")
    assert problem.hint is not None and "('body: |')" in problem.hint


def test_the_bar_hint_names_the_key_that_lacks_it(project: Project) -> None:
    path = project.root / "shared/20-proces.yaml"
    edit(path, "        body: |\n          Met de uitkomsten van stap 1",
         "        intro:\n          Met de uitkomsten van stap 1")
    edit(path, "denken daarbij mee.\n", "denken daarbij mee.\n\n          Een tweede alinea.\n")
    problems = [p for p in problems_of(project, "dronten") if p.code == "unsupported-markup"]
    assert problems and problems[0].hint is not None and "('intro: |')" in problems[0].hint


def test_a_stray_yaml_file_beside_the_municipality_file_is_a_warning(
        project: Project, tmp_path: Path) -> None:
    (project.root / "municipalities/urk/wijzigingen.yaml").write_text("changes: []\n",
                                                                       encoding="utf-8")
    [warning] = api.check(project)
    assert warning.severity == "warning"
    assert warning.message == ("wijzigingen.yaml is never read: a municipality's changes "
                               "belong in municipality.yaml")
    assert api.build(project, "urk", api.BuildOptions(output_dir=tmp_path)).outputs


def test_a_malformed_change_does_not_hide_the_mistakes_of_the_others(project: Project) -> None:
    path = project.root / "municipalities/urk/municipality.yaml"
    edit(path, "  - remove: buurtbemiddeling ", "  - colour: red\n    remove: buurtbemiddeling ")
    edit(path, "  - update: jeugd-en-veiligheid\n", "  - update: jeugd-en-veilgheid\n")
    with pytest.raises(IvbError) as caught:
        api.compose_municipality(project, "urk")
    found = [(p.code, p.origin.line) for p in caught.value.problems]
    assert found == [("change-key", line_of(path, "colour: red")),
                     ("unknown-id", line_of(path, "update: jeugd-en-veilgheid"))]


def test_a_malformed_add_leaves_no_follow_on_mistakes_about_its_item(project: Project) -> None:
    path = project.root / "municipalities/urk/municipality.yaml"
    text = path.read_text(encoding="utf-8")
    # A later change that names the item the broken add would have made says nothing.
    path.write_text(text.replace("changes:\n", "changes:\n  - add: {id: nieuw-item, title: Nieuw}\n"
                                 "    to: inleiding\n    reson: Lokaal.\n"
                                 "  - update: nieuw-item\n    with: {title: Beter}\n"
                                 "    reason: Beter.\n", 1), encoding="utf-8")
    with pytest.raises(IvbError) as caught:
        api.compose_municipality(project, "urk")
    assert [p.code for p in caught.value.problems] == ["change-key"]
