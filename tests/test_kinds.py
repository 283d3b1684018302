"""The documents of the policy cycle from one source (kinds.py, progress.py, layout/cycle.py):
startnotitie, policy, uitvoeringsprogramma and voortgangsrapportage, on copies of the
fixture project, read back from the written documents."""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.document import Document as DocxDocument

from ivbcompose import api
from ivbcompose.cli import main
from ivbcompose.errors import IvbError, Problem
from ivbcompose.model import Indicator
from ivbcompose.money import costs_for
from ivbcompose.project import Project

from .conftest import REPO, edit, line_of

KINDS = "shared/05-documenten.yaml"
SEED = REPO.parent / "shared" / "seed" / "startnotitie-ivb-2020-2023-dronten.txt"


def build(project: Project, municipality: str, tmp_path: Path, kind: str | None = None,
          year: int | None = None, **options: object) -> Path:
    result = api.build(project, municipality, api.BuildOptions(
        output_dir=tmp_path, kind=kind, year=year, **options))  # type: ignore[arg-type]
    return result.outputs[0]


def headings(document: DocxDocument, level: int) -> list[str]:
    return [p.text for p in document.paragraphs
            if p.style is not None and p.style.name == f"Heading {level}"]


def tables_with(document: DocxDocument, first: str) -> list[list[list[str]]]:
    return [[[c.text for c in row.cells] for row in t.rows] for t in document.tables
            if t.rows[0].cells[0].text == first]


def euros(cell: str) -> int:
    return 0 if cell in ("–", "") else int(cell.removeprefix("€ ").replace(".", ""))


def problems_of(project: Project, municipality: str = "dronten", **kind: object
                ) -> list[Problem]:
    with pytest.raises(IvbError) as caught:
        api.compose_municipality(project, municipality) if not kind else \
            api.build(project, municipality, api.BuildOptions(**kind))  # type: ignore[arg-type]
    return list(caught.value.problems)


@pytest.mark.parametrize("municipality", ["dronten", "noordoostpolder", "urk"])
def test_every_kind_builds_for_every_municipality(project: Project, tmp_path: Path,
                                                  municipality: str) -> None:
    kinds = api.document_kinds(project, municipality)
    assert [k.id for k in kinds] == ["beleid", "startnotitie", "uitvoeringsprogramma",
                                     "voortgangsrapportage"]
    first_year = kinds[2].years[0]
    for kind in kinds:
        year = first_year if kind.per_year else None
        path = build(project, municipality, tmp_path, None if kind.default else kind.id, year)
        document = docx.Document(str(path))
        title = document.core_properties.title
        if kind.id == "beleid":
            assert path.name.endswith(f"-{municipality}.docx") and "startnotitie" not in path.name
        elif kind.per_year:
            assert path.name == f"{kind.id}-{year}-{municipality}.docx"
            assert title.startswith(f"{kind.id.capitalize()} {year}")
        else:
            assert path.name.startswith(f"{kind.id}-") and "Startnotitie" in title
        assert headings(document, 1)[-1] == "Bijlage: Verantwoording couleur locale"


def test_the_uitvoeringsprogramma_holds_exactly_the_measures_of_its_year(
        project: Project, tmp_path: Path) -> None:
    for year in (2021, 2022):
        document = docx.Document(str(build(project, "dronten", tmp_path, "uitvoeringsprogramma",
                                           year)))
        listed = [row[0] for table in tables_with(document, "Maatregel") for row in table[1:]]
        ivb = api.compose_municipality(project, "dronten").ivb
        expected = [m.title for _, area in ivb.priorities() for m in area.measures
                    if m.runs_in([year])]
        assert listed == expected
        # Keurmerk Veilig Buitengebied runs in 2020 and 2021 only.
        assert ("Keurmerk Veilig Buitengebied voortzetten" in listed) == (year == 2021)
        shares = sum(euros(row[-1]) for t in tables_with(document, "Maatregel") for row in t[1:])
        [summary] = tables_with(document, "Prioriteit")
        [total] = [row for row in summary if row[0] == "Totaal"]
        assert euros(total[1]) == shares == sum(c.by_year[year] for c in costs_for(ivb, "dronten"))
        # ... and the policy's finance chapter says the same for that year.
        policy = docx.Document(str(build(project, "dronten", tmp_path)))
        finance = next(t for t in tables_with(policy, "Maatregel") if t[0][-1] == "Totaal")
        column = finance[0].index(str(year))
        assert euros(next(r for r in finance if r[0] == "Totaal")[column]) == shares


def test_the_uitvoeringsprogramma_says_when_in_the_year(project: Project, tmp_path: Path) -> None:
    edit(project.root / "municipalities/dronten/municipality.yaml",
         "          years: [2020, 2021]", "          when: Q3/Q4 2021")
    document = docx.Document(str(build(project, "dronten", tmp_path, "uitvoeringsprogramma",
                                       2021)))
    rows = {r[0]: r for t in tables_with(document, "Maatregel") for r in t[1:]}
    assert rows["Keurmerk Veilig Buitengebied voortzetten"][3] == "Q3–Q4"
    assert rows["Buurtpreventie en Burgernet ondersteunen"][3] == "Hele jaar"


def test_the_voortgangsrapportage_says_in_words_where_things_stand(project: Project,
                                                                   tmp_path: Path) -> None:
    document = docx.Document(str(build(project, "dronten", tmp_path, "voortgangsrapportage",
                                       2020)))
    indicators = {r[0]: r for t in tables_with(document, "Indicator") for r in t[1:]}
    # The real CBS figure of 2020 (33,2) is above the nulmeting of 2018 (32,5).
    assert indicators["Geregistreerde misdrijven"] == [
        "Geregistreerde misdrijven", "32,5 (2018)", "Ten hoogste de nulmeting", "33,2",
        "Streefwaarde nog niet gehaald"]
    assert indicators["Woninginbraken"][3:] == ["–", "Geen meting"]
    measures = {r[0]: r for t in tables_with(document, "Maatregel") for r in t[1:]}
    festival = measures["Extra toezicht en voorlichting tegen zakkenrollen op festivals"]
    assert festival[1] == "Vervallen" and "coronamaatregelen" in festival[2]
    shared = measures["Gezamenlijke aanpak van ondermijning in het basisteam"]
    assert shared[1] == "Gestart"
    assert "Opmerking van de gemeente: In Dronten is in 2020" in shared[2]
    assert measures["Inzet van het Jeugdinterventieteam"][1] == "Niet gerapporteerd"


def test_realised_costs_of_a_shared_measure_are_the_municipalitys_share(
        project: Project, tmp_path: Path) -> None:
    edit(project.root / "shared/progress/2020.yaml", "    status: gestart\n    note: Het "
         "casusoverleg", "    status: gestart\n    spent: 29000\n    note: Het casusoverleg")
    documents = {m: docx.Document(str(build(project, m, tmp_path, "voortgangsrapportage",
                                            2020))) for m in ("dronten",)}
    rows = {r[0]: r for t in tables_with(documents["dronten"], "Maatregel") for r in t[1:]}
    planned, realised = rows["Gezamenlijk casusoverleg in het Veiligheidshuis"][3:]
    assert planned == "€ 11.435"  # 30.000 by inhabitants
    assert realised == "€ 11.054"  # 29.000 by inhabitants


@pytest.mark.parametrize(("target", "targets", "better", "value", "expected"), [
    (None, {}, None, None, "Geen meting"),
    (100, {}, None, 90, "Niet te beoordelen: geen streefwaarde in cijfers"),
    (60, {}, None, 61, "Streefwaarde nog niet gehaald"),
    (60, {}, None, 60, "Streefwaarde gehaald"),
    (60, {2021: 65}, None, 64, "Streefwaarde gehaald"),
    (80, {}, None, 85, "Streefwaarde gehaald"),
    ("Ten hoogste de nulmeting", {}, "lower", 70, "Streefwaarde gehaald"),
    ("Ten hoogste de nulmeting", {}, None, 70, "Niet te beoordelen: geen streefwaarde in "
     "cijfers"),
    (7.5, {}, "higher", 7.1, "Streefwaarde nog niet gehaald"),
])
def test_indicators_are_judged_against_their_streefwaarde(target: object, targets: dict,
                                                          better: str | None, value: float | None,
                                                          expected: str) -> None:
    baseline = {"value": 70, "year": 2018} if target != 100 else {"pending": "volgt"}
    indicator = Indicator.model_validate({"id": "i", "name": "I", "unit": "aantal",
                                          "baseline": baseline, "target": target,
                                          "targets": targets, "better": better})
    assert indicator.judge(value, 2021) == expected


def test_the_startnotitie_has_the_seeds_chapters_in_the_seeds_order(project: Project,
                                                                    tmp_path: Path) -> None:
    document = docx.Document(str(build(project, "dronten", tmp_path, "startnotitie")))
    chapters = headings(document, 1)[:-1]  # the last is the appendix
    assert chapters == ["Inleiding", "Proces", "Betrokkenen", "Kaders en uitgangspunten",
                        "Thema's", "Focus", "Leefbaarheid en verkeersveiligheid",
                        "Samenwerking basisteamgemeenten", "Financiën"]
    assert "Doel van dit document" in headings(document, 2)
    # A startnotitie sets the frame: goals and measures follow in the policy.
    assert "Wat willen we bereiken?" not in headings(document, 3)
    assert document.core_properties.title.startswith("Startnotitie IVB 2020–2023")
    if not SEED.is_file():
        pytest.skip("the seed (../shared/seed) is not beside the checkout to compare with")
    # The seed's headings are lines of their own ("III Proces", " Thema’s", "Samenwerking
    # basisteamgemeenten Dronten, Noordoostpolder en Urk").
    lines = [line.strip().lower().replace("’", "'")
             for line in SEED.read_text(encoding="utf-8").splitlines()]
    positions = [next(i for i, line in enumerate(lines)
                      if re.fullmatch(rf"(?:[ivx]+ )?{re.escape(title.lower())}.*", line)
                      and len(line) < len(title) + 40) for title in chapters]
    assert positions == sorted(positions)


def test_everything_else_holds_for_every_kind(project: Project, tmp_path: Path) -> None:
    review = build(project, "dronten", tmp_path / "a", "uitvoeringsprogramma", 2021,
                   review=True, source_date_epoch=1600000000)
    with zipfile.ZipFile(review) as archive:
        comments = html.unescape(archive.read("word/comments.xml").decode("utf-8"))
    assert "De gemeente Dronten heeft dit onderdeel toegevoegd" in comments
    again = build(project, "dronten", tmp_path / "b", "uitvoeringsprogramma", 2021,
                  review=True, source_date_epoch=1600000000)
    assert review.read_bytes() == again.read_bytes()
    markdown = api.build(project, "dronten", api.BuildOptions(
        output_dir=tmp_path / "c", kind="voortgangsrapportage", year=2020, formats=("md",)))
    text = markdown.outputs[0].read_text(encoding="utf-8")
    assert re.search(r"\| Geregistreerde misdrijven .*\| Streefwaarde nog niet gehaald", text)
    # The title page of a yearly document says which policy it reports on.
    assert "# Voortgangsrapportage 2020\n" in text
    assert "\nBij het Integraal Veiligheidsbeleid 2020–2023\n" in text


def test_unknown_kinds_and_years_are_usage_errors(project: Project,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    root = str(project.root)
    assert main(["--project", root, "build", "dronten", "--document", "jaarplan"]) == 2
    assert "unknown document 'jaarplan'; known: beleid, startnotitie" in capsys.readouterr().err
    assert main(["--project", root, "build", "dronten", "--document", "uitvoeringsprogramma",
                 "--year", "2019"]) == 2
    assert "2019 is outside the period of dronten; its years: 2020, 2021, 2022, 2023" in \
        capsys.readouterr().err
    assert main(["--project", root, "build", "--all", "--document", "uitvoeringsprogramma"]) == 2
    assert "give --year" in capsys.readouterr().err
    assert main(["--project", root, "build", "urk", "--document", "startnotitie", "--year",
                 "2021"]) == 2
    assert main(["--project", root, "list"]) == 0
    [line] = [x for x in capsys.readouterr().out.splitlines() if x.startswith("urk")]
    assert line.endswith("beleid, startnotitie, uitvoeringsprogramma (2021-2022), "
                         "voortgangsrapportage (2021-2022)")


@pytest.mark.parametrize(("where", "old", "new", "message", "hint"), [
    ("municipalities/dronten/progress/2020.yaml", "  - measure: buurtpreventie",
     "  - measure: buurtpreventy",
     "progress for 2020 names measure 'buurtpreventy', which the document does not have",
     "did you mean 'buurtpreventie'?"),
    ("municipalities/dronten/progress/2020.yaml", "    status: vervallen", "    status: verval",
     "must be one of 'gepland', 'gestart', 'afgerond', 'vertraagd' or 'vervallen'",
     "did you mean 'vervallen'?"),
    ("municipalities/dronten/progress/2020.yaml", "  - indicator: ind-misdrijven-per-1000",
     "  - indicator: ind-misdrijven-per-100",
     "progress for 2020 names indicator 'ind-misdrijven-per-100', which the document does "
     "not have", "did you mean 'ind-misdrijven-per-1000'?"),
    ("shared/05-documenten.yaml", "      - leefbaarheid\n", "      - leefbaarhied\n",
     "kind 'startnotitie' names chapter 'leefbaarhied', which the document does not have",
     "did you mean 'leefbaarheid'?"),
    ("shared/05-documenten.yaml", "  - id: voortgangsrapportage", "  - id: uitvoeringsprogramma",
     "id 'uitvoeringsprogramma' is used more than once (also at shared/05-documenten.yaml:",
     "every id must be unique in the whole document; rename one"),
    ("municipalities/dronten/municipality.yaml", "  startnotitie: {status",
     "  startnotitei: {status", "'startnotitei' is not a kind of document with metadata of "
     "its own", "did you mean 'startnotitie'?"),
])
def test_mistakes_in_kinds_and_progress(project: Project, where: str, old: str, new: str,
                                        message: str, hint: str | None) -> None:
    path = project.root / where
    edit(path, old, new)
    [problem] = problems_of(project)
    assert message in problem.message
    assert (problem.origin.file, problem.origin.line) == (where, line_of(path, new.strip()))
    if hint is not None:
        assert problem.hint == hint


def test_progress_outside_the_period_and_badly_named_files(project: Project) -> None:
    folder = project.root / "municipalities/dronten/progress"
    (folder / "2019.yaml").write_text("measures:\n  - {measure: buurtpreventie, status: "
                                      "gestart}\n", encoding="utf-8")
    [problem] = problems_of(project)
    assert problem.message == "progress for 2019 is outside the period 2020–2023"
    assert problem.origin.file == "municipalities/dronten/progress/2019.yaml"
    (folder / "2019.yaml").rename(folder / "voortgang.yaml")
    [problem] = problems_of(project)
    assert problem.message == "a progress file is named after its year, not 'voortgang.yaml'"


def test_a_shared_report_is_not_overwritten_by_a_municipality(project: Project) -> None:
    path = project.root / "municipalities/dronten/progress/2020.yaml"
    edit(path, "    remark: In Dronten", "    status: afgerond\n    remark: In Dronten")
    [problem] = problems_of(project)
    assert problem.message == ("'ondermijning-basisteam' is reported by the regional team in "
                               "shared/progress/2020.yaml")
    assert problem.hint == "a municipality adds its own 'remark' to a shared report"


def test_check_finds_what_building_another_kind_would_refuse(project: Project) -> None:
    edit(project.root / "municipalities/dronten/municipality.yaml",
         "2021: {version: \"0.1\", date: 2021-01-12}", "2021: {version: \"0.1\", date: "
         "2021-02-30}")
    assert [p.code for p in api.check(project)] == ["yaml-value"]
    edit(project.root / "municipalities/dronten/municipality.yaml", "date: 2021-02-30",
         "datum: 2021-02-01")
    problems = api.check(project)
    assert [p.message for p in problems] == ["unknown field 'datum'"]


def _appendix(path: Path) -> list[tuple[str, str]]:
    document = docx.Document(str(path))
    [table] = [t for t in document.tables if t.rows[0].cells[0].text == "Onderdeel"]
    return [(row.cells[0].text, row.cells[1].text) for row in table.rows[1:]]


def test_the_appendix_of_another_kind_accounts_only_for_what_that_document_shows(
        project: Project, tmp_path: Path) -> None:
    policy = _appendix(build(project, "dronten", tmp_path / "beleid"))
    report = _appendix(build(project, "dronten", tmp_path / "voortgang", "voortgangsrapportage",
                             2021))
    notitie = _appendix(build(project, "dronten", tmp_path / "notitie", "startnotitie"))
    partner = ("De Meerpaal Jongerenwerk", "Toegevoegd aan: Betrokkenen")
    baseline = ("Geregistreerde misdrijven", "Nulmeting aangepast")
    local = ("Grote evenementen in Biddinghuizen", "Toegevoegd aan: Couleur locale")
    assert {partner, baseline, local} <= set(policy)
    # The progress report shows the priorities' indicators and measures, not the partners;
    # the view it is made from still holds the policy's chapters.
    assert baseline in report and local in report and partner not in report
    assert all(row in policy for row in report)
    # The startnotitie shows the chapters without their goals, and no couleur locale.
    assert partner in notitie and baseline not in notitie and local not in notitie
    assert [row for row in policy if row in notitie] == notitie


def test_a_kind_without_the_policy_does_not_account_for_a_removed_measure(
        project: Project, tmp_path: Path) -> None:
    edit(project.root / "municipalities/dronten/municipality.yaml", "changes:\n",
         "changes:\n  - remove: crisisoefening\n    reason: Dronten oefent met de regio.\n")
    removed = [row for row in _appendix(build(project, "dronten", tmp_path / "beleid"))
               if row[0] == "Jaarlijkse crisisoefening met de Veiligheidsregio"]
    assert removed and removed[0][1].startswith("Verwijderd")
    # The startnotitie shows no measures: the measure is gone from the tree, and still
    # not listed.
    notitie = _appendix(build(project, "dronten", tmp_path / "notitie", "startnotitie"))
    assert removed[0] not in notitie
    report = _appendix(build(project, "dronten", tmp_path / "voortgang", "voortgangsrapportage",
                             2021))
    assert removed[0] in report
