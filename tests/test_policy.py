"""Goals, indicators, measures and money (model/policy.py, money.py, policy_checks.py and
their layout), on copies of the fixture project, read back from the written documents."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import docx
import pytest
from docx.document import Document as DocxDocument
from hypothesis import assume, given
from hypothesis import strategies as st

from ivbcompose import api
from ivbcompose.cli import main
from ivbcompose.errors import IvbError, Problem
from ivbcompose.money import costs_for, shares
from ivbcompose.project import Project

from .conftest import edit, line_of

DRONTEN = "municipalities/dronten/municipality.yaml"
URK = "municipalities/urk/municipality.yaml"
FOCUS = "shared/60-focus.yaml"


def problems_of(project: Project, municipality: str = "dronten") -> list[Problem]:
    with pytest.raises(IvbError) as caught:
        api.compose_municipality(project, municipality)
    return list(caught.value.problems)


def warnings_of(project: Project, municipality: str = "dronten") -> list[Problem]:
    return list(api.compose_municipality(project, municipality).warnings)


def append(project: Project, text: str, municipality: str = "dronten") -> Path:
    path = project.root / f"municipalities/{municipality}/municipality.yaml"
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
    return path


def table_with(document: DocxDocument, first_header: str) -> list[list[str]]:
    for table in document.tables:
        if table.rows[0].cells[0].text == first_header:
            return [[cell.text for cell in row.cells] for row in table.rows]
    raise AssertionError(f"no table starting with {first_header!r}")


def euros(cell: str) -> int:
    return 0 if cell in ("–", "") else int(cell.removeprefix("€ ").replace(".", ""))


# --- the split ------------------------------------------------------------------------


@given(st.integers(0, 10**9), st.lists(st.integers(1, 10**6), min_size=1, max_size=12))
def test_shares_are_whole_euros_that_add_up_and_stay_within_a_euro(amount: int,
                                                                   weights: list[int]) -> None:
    named = {f"m{i}": w for i, w in enumerate(weights)}
    result = shares(amount, named)
    assert sum(result.values()) == amount
    total = sum(weights)
    for key, weight in named.items():
        assert isinstance(result[key], int)
        assert abs(result[key] - Fraction(amount * weight, total)) < 1


def _shares_by_fractions(amount: int, weights: dict[str, Fraction]) -> dict[str, int]:
    """The largest remainder rule as the module docstring words it, one Fraction each."""
    total = sum(weights.values())
    exact = {key: amount * weight / total for key, weight in weights.items()}
    result = {key: int(value) for key, value in exact.items()}
    order = list(weights)
    ranked = sorted(order, key=lambda key: (-(exact[key] - result[key]), -weights[key],
                                            order.index(key)))
    for key in ranked[:amount - sum(result.values())]:
        result[key] += 1
    return result


@given(st.integers(0, 10**7), st.lists(st.one_of(
    st.integers(0, 1000), st.fractions(0, 100, max_denominator=60),
    st.floats(0, 100, allow_nan=False, allow_infinity=False)), min_size=1, max_size=12))
def test_shares_follow_the_rule_exactly_for_whole_fractional_and_zero_weights(
        amount: int, weights: list[int | Fraction | float]) -> None:
    named = {f"m{i}": w for i, w in enumerate(weights)}
    assume(sum(Fraction(w) for w in weights) > 0)
    assert shares(amount, named) == _shares_by_fractions(
        amount, {key: Fraction(w) for key, w in named.items()})


def test_shares_tie_rule_larger_weight_then_member_order() -> None:
    assert shares(100, {"a": 1, "b": 1, "c": 1}) == {"a": 34, "b": 33, "c": 33}
    assert shares(2, {"a": 1, "b": 1, "c": 1}) == {"a": 1, "b": 1, "c": 0}
    assert shares(1, {"a": 1, "b": 2, "c": 1}) == {"a": 0, "b": 1, "c": 0}
    assert shares(10, {"klein": 1, "groot": 2}) == {"klein": 3, "groot": 7}
    # Equal fractions (0,5 and 0,5): the euro left goes to the larger weight.
    assert shares(2, {"klein": 1, "groot": 3}) == {"klein": 0, "groot": 2}
    assert shares(2, {"groot": 3, "klein": 1}) == {"groot": 2, "klein": 0}


# --- what the documents show ---------------------------------------------------------------


def test_each_priority_says_what_it_wants_how_it_is_measured_and_what_it_does(
        project: Project, tmp_path: Path) -> None:
    result = api.build(project, "dronten", api.BuildOptions(output_dir=tmp_path))
    document = docx.Document(str(result.outputs[0]))
    headings = [p.text for p in document.paragraphs if p.style is not None
                and p.style.name == "Heading 3"]
    assert headings.count("Wat willen we bereiken?") == headings.count(
        "Wat gaan we daarvoor doen?") == 9  # six shared areas, three Dronten topics
    indicators = [t for t in document.tables if t.rows[0].cells[0].text == "Indicator"]
    assert [c.text for c in indicators[0].rows[0].cells] == ["Indicator", "Nulmeting (jaar)",
                                                             "Streefwaarde", "Bron"]
    rows = {r.cells[0].text: [c.text for c in r.cells] for t in indicators for r in t.rows[1:]}
    assert rows["Woninginbraken"] == ["Woninginbraken", "79 (2018)", "Ten hoogste de nulmeting",
                                      "Politie"]
    assert rows["Zakkenrollen"][1:3] == ["68 (2018)", "60 (2023)"]
    measures = [t for t in document.tables if t.rows[0].cells[0].text == "Maatregel"
                and len(t.columns) == 5]
    assert [c.text for c in measures[0].rows[0].cells] == ["Maatregel", "Trekker", "Partners",
                                                           "Looptijd", "Kosten"]
    by_title = {r.cells[0].text: [c.text for c in r.cells] for t in measures for r in t.rows[1:]}
    assert by_title["Extra toezicht en voorlichting tegen zakkenrollen op festivals"] == [
        "Extra toezicht en voorlichting tegen zakkenrollen op festivals", "Politie",
        "Gemeente Dronten, team Handhaving en Toezicht", "2020–2023", "€ 80.000"]
    assert by_title["Keurmerk Veilig Buitengebied voortzetten"][3:] == ["2020–2021", "€ 8.000"]
    assert by_title["Gezamenlijk casusoverleg in het Veiligheidshuis"][4] == "€ 45.740 (aandeel)"
    velden = table_with(document, "Veiligheidsveld")
    assert [row[0] for row in velden[1:]] == [
        "Veilige woon- en leefomgeving", "Bedrijvigheid en veiligheid", "Jeugd en veiligheid",
        "Fysieke veiligheid", "Integriteit en veiligheid"]
    assert "Grote evenementen in Biddinghuizen" in velden[2][1]


def test_the_finance_chapter_adds_up(project: Project, tmp_path: Path) -> None:
    for municipality in project.municipality_ids():
        result = api.build(project, municipality, api.BuildOptions(output_dir=tmp_path))
        document = docx.Document(str(result.outputs[0]))
        costs = next(t for t in document.tables if t.rows[0].cells[0].text == "Maatregel"
                     and t.rows[0].cells[-1].text == "Totaal")
        rows = [[c.text for c in row.cells] for row in costs.rows]
        body = [r for r in rows[1:] if r[0] not in ("Totaal", "Budgetplafond")]
        [total] = [r for r in rows if r[0] == "Totaal"]
        for column in range(1, len(rows[0])):
            assert euros(total[column]) == sum(euros(r[column]) for r in body), municipality
        for row in body:
            assert euros(row[-1]) == sum(euros(cell) for cell in row[1:-1])
        sources = table_with(document, "Financiering")
        assert sources[-1][1:] == total[1:]
        split = table_with(document, "Maatregel en gemeente")
        for start, row in enumerate(split):
            if row[0].endswith(("(naar inwoners)", "(gelijk verdeeld)")):
                members = split[start + 1:start + 4]
                for column in range(1, len(row)):
                    assert euros(row[column]) == sum(euros(m[column]) for m in members)


def test_every_member_pays_its_exact_share_of_a_shared_measure(project: Project) -> None:
    paid = 0
    for municipality in project.municipality_ids():
        ivb = api.compose_municipality(project, municipality).ivb
        [cost] = [c for c in costs_for(ivb, municipality) if c.measure.id == "pga-casusoverleg"]
        paid += cost.by_year[2021]
    assert paid == 30000


# --- the couleur locale on goals and measures ------------------------------------------------


def test_a_municipality_raises_a_streefwaarde_and_the_appendix_says_so(
        project: Project, tmp_path: Path) -> None:
    composition = api.compose_municipality(project, "urk")
    [raised] = [d for d in composition.differences if d.item_id == "ind-rapportcijfer-buurt"]
    assert raised.field_labels == ("streefwaarde",)
    result = api.build(project, "urk", api.BuildOptions(output_dir=tmp_path, formats=("md",)))
    text = result.outputs[0].read_text(encoding="utf-8")
    assert "| Rapportcijfer veiligheid in de eigen buurt (rapportcijfer) |" in text
    assert "7,5 (2022)" in text
    assert "Streefwaarde aangepast" in text


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(("old", "new", "message", "hint"), [
    ("          partners: [handhaving]", "          partners: [handhavng]",
     "measure 'toezicht-festivals' names partner 'handhavng', which the document does not have",
     "did you mean 'handhaving'?"),
    ("          lead: politie\n", "          lead: polite\n",
     "measure 'toezicht-festivals' names partner 'polite', which the document does not have",
     "did you mean 'politie'?"),
    ("          goals: [doel-minder-zakkenrollen]", "          goals: [doel-minder-zakenrollen]",
     "measure 'toezicht-festivals' serves goal 'doel-minder-zakenrollen', which the document "
     "does not have", "did you mean 'doel-minder-zakkenrollen'?"),
    ("      veld: bedrijvigheid-en-veiligheid", "      veld: bedrijvigheid-en-veilighied",
     None, "did you mean 'bedrijvigheid-en-veiligheid'?"),
    ("amount: 20000, funding: nieuw budget", "amount: \"€ 20.000\", funding: nieuw budget",
     "an amount is a whole number of euros, not the text '€ 20.000'",
     "write 20000, without '€', dots or quotes"),
    ("amount: 20000, funding: nieuw budget", "amount: 20.000, funding: nieuw budget",
     "an amount is a whole number of euros, without a dot or comma",
     "if you meant 20000 euros, write 20000: YAML reads the dot as a decimal point, so "
     "12.000 is twelve"),
    ("amount: 20000, funding: nieuw budget", "amount: 0.5, funding: nieuw budget",
     "an amount is a whole number of euros, without a dot or comma",
     "write the amount without dots or commas: twelve thousand euros is 12000 (YAML reads "
     "12.000 as twelve)"),
    ("amount: 20000, funding: nieuw budget", "amount: -20000, funding: nieuw budget",
     "'toezicht-festivals.costs.0.amount' must be at least 0, not -20000",
     "costs and counts are never negative"),
    ("            - {kind: structureel, amount: 20000, funding: nieuw budget}",
     "            - {kind: incidenteel, year: 2019, amount: 20000, funding: nieuw budget}",
     "measure 'toezicht-festivals' names 2019, outside the period 2020–2023", None),
    ("          years: [2020, 2021]", "          years: [2020, 2025]",
     "measure 'keurmerk-buitengebied' names 2025, outside the period 2020–2023", None),
    ("              baseline: {value: 68, year: 2018, source: \"Politie, startnotitie IVB "
     "2020–2023\"}", "              baseline: {value: 68}",
     "a nulmeting needs the 'year' it was measured in", None),
])
def test_mistakes_in_goals_measures_and_money(project: Project, old: str, new: str,
                                              message: str | None, hint: str | None) -> None:
    path = project.root / DRONTEN
    edit(path, old, new)
    [problem] = problems_of(project)
    assert problem.origin.file == DRONTEN
    assert problem.origin.line == line_of(path, new.strip().splitlines()[0])
    if message is not None:
        assert message in problem.message
    if hint is not None:
        assert problem.hint == hint


@pytest.mark.parametrize(("unit", "value", "message"), [
    ("rapportcijfer", "11", "a rapportcijfer of 11 is not possible: it runs from 1 to 10"),
    ("percentage", "140", "a percentage of 140 is not possible: it runs from 0 to 100"),
])
def test_values_outside_what_a_unit_can_be(project: Project, unit: str, value: str,
                                           message: str) -> None:
    path = project.root / DRONTEN
    edit(path, "              unit: aantal\n              baseline: {value: 68",
         f"              unit: {unit}\n              baseline: {{value: 6")
    edit(path, "              target: 60 ", f"              target: {value} ")
    problem = problems_of(project)[0]
    assert message in problem.message
    assert problem.origin.line == line_of(path, f"target: {value} ")


def test_percentages_of_a_split_must_add_up_to_100_and_name_members(project: Project) -> None:
    path = project.root / FOCUS
    edit(path, "                split: equal", "                split: {dronten: 33, "
         "noordoostpolder: 33, urk: 33}")
    [problem] = problems_of(project)
    assert "the percentages of the split add up to 99, not 100" in problem.message
    assert (problem.origin.file, problem.origin.line) == (FOCUS, line_of(path, "urk: 33}"))
    edit(path, "{dronten: 33, noordoostpolder: 33, urk: 33}", "{dronten: 50, lelystad: 50}")
    [problem] = problems_of(project)
    assert problem.message == ("the split of 'ondermijning-basisteam' names 'lelystad', which "
                               "is not a municipality of the basisteam")
    assert problem.hint == "the members are: dronten, noordoostpolder, urk"


def test_fixed_percentages_split_the_costs_that_way(project: Project) -> None:
    edit(project.root / FOCUS, "                split: equal",
         "                split: {dronten: 50, noordoostpolder: 30, urk: 20}")
    ivb = api.compose_municipality(project, "urk").ivb
    [cost] = [c for c in costs_for(ivb, "urk") if c.measure.id == "ondermijning-basisteam"]
    assert cost.by_year == {2021: 11400, 2022: 9000}


def test_removing_a_partner_a_measure_names_fails_at_the_remove(project: Project) -> None:
    path = append(project, "\n  - remove: handhaving\n    reason: Niet van toepassing.\n")
    found = problems_of(project)
    assert [p.message for p in found] == [
        "'handhaving' is removed here, but measure 'toezicht-festivals' still names it as a "
        "partner",
        "'handhaving' is removed here, but measure 'straatcoaches-centrum' still names it as a "
        "partner"]
    assert {(p.origin.file, p.origin.line) for p in found} == {
        (DRONTEN, line_of(path, "remove: handhaving"))}


def test_a_split_on_a_measure_of_one_municipality_is_refused(project: Project) -> None:
    path = project.root / DRONTEN
    edit(path, "          goals: [doel-minder-zakkenrollen]\n",
         "          goals: [doel-minder-zakkenrollen]\n          split: inhabitants\n")
    [problem] = problems_of(project)
    assert problem.message == ("measure 'toezicht-festivals' has a split, but only this "
                               "municipality has it")
    assert problem.origin.line == line_of(path, "split: inhabitants")


def test_a_policy_that_cannot_be_evaluated_gets_warnings_and_fails_strict(
        project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    path = project.root / DRONTEN
    edit(path, "              target: 60                                        # [illustratief]\n",
         "")
    edit(path, "          lead: politie\n", "")
    edit(path, "          costs:\n            - {kind: structureel, amount: 20000, funding: "
         "nieuw budget}   # [illustratief]\n", "")
    codes = sorted(p.code for p in warnings_of(project))
    assert codes == ["no-costs", "no-lead", "no-target"]
    append(project, "\n  - replace: ind-woninginbraken\n    with: {name: Woninginbraken, "
                    "unit: aantal}\n    reason: x\n")
    assert "no-baseline" in [p.code for p in warnings_of(project)]
    root = str(project.root)
    assert main(["--project", root, "check", "dronten"]) == 0
    assert main(["--project", root, "check", "dronten", "--strict"]) == 1
    assert "warning: measure 'toezicht-festivals' has no trekker" in capsys.readouterr().err


def test_priority_without_goal_and_goal_without_indicator_are_warnings(project: Project) -> None:
    append(project, """
  - add: {id: cameratoezicht, title: Cameratoezicht, veld: veilige-woon-en-leefomgeving,
          goals: [{id: doel-camera, title: Veilig uitgaan}]}
    to: lokale-onderwerpen
    reason: x
  - add: {id: drugs, title: Drugs, veld: jeugd-en-veiligheid}
    to: lokale-onderwerpen
    reason: x
""")
    found = {(p.code, p.message) for p in warnings_of(project)}
    assert ("no-indicator", "goal 'doel-camera' has no indicator") in found
    assert ("no-goal", "priority 'drugs' has no goal") in found
    assert ("no-goal", "priority 'cameratoezicht' has no goal") not in found


def test_a_budget_ceiling_that_is_exceeded_is_a_warning_and_fails_strict(
        project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = project.root / DRONTEN
    edit(path, "2021: 135000,", "2021: 90000,")
    [warning] = warnings_of(project)
    assert warning.message == ("the costs in 2021 (€ 94.935) are above the budget ceiling of "
                               "€ 90.000")
    assert warning.origin.line == line_of(path, "2021: 90000")
    assert warning.hint is not None and "toezicht-festivals" in warning.hint
    root = str(project.root)
    assert main(["--project", root, "build", "dronten", "-o", str(tmp_path), "--strict"]) == 1
    assert not (tmp_path / "dronten").exists()
    assert main(["--project", root, "build", "dronten", "-o", str(tmp_path)]) == 0
    assert "warning: the costs in 2021" in capsys.readouterr().err
    document = docx.Document(str(next((tmp_path / "dronten").glob("*.docx"))))
    assert any("boven het budgetplafond in 2021" in p.text for p in document.paragraphs)


def test_a_ceiling_outside_the_period_is_an_error(project: Project) -> None:
    edit(project.root / DRONTEN, "2023: 120000}", "2023: 120000, 2024: 1}")
    [problem] = problems_of(project)
    assert problem.message.endswith("the budget ceiling for 2024 is outside the period "
                                    "2020–2023")


def test_a_target_in_words_is_a_text_with_variables_like_any_other(project: Project,
                                                                     tmp_path: Path) -> None:
    # A target is a number or a text: the text is rendered and checked as every text is.
    path = project.root / FOCUS
    edit(path, "target: Elke aangemelde casus binnen een maand besproken",
         "target: Elke casus in {{ gemeente }} binnen een maand besproken")
    result = api.build(project, "dronten", api.BuildOptions(output_dir=tmp_path))
    document = docx.Document(str(result.outputs[0]))
    rows = {r.cells[0].text: [c.text for c in r.cells] for t in document.tables
            if t.rows[0].cells[0].text == "Indicator" for r in t.rows[1:]}
    assert rows["Casussen met een persoonsgerichte aanpak"][2] == \
        "Elke casus in Dronten binnen een maand besproken"
    edit(path, "{{ gemeente }}", "{{ gemeent }}")
    problem = problems_of(project)[0]
    assert problem.code == "template-undefined"
    assert problem.origin.file.endswith(FOCUS)
    assert problem.origin.line == line_of(path, "gemeent }}")
