"""Figures from open data (figures/exports.py, figures/store.py, layout/figures.py): exports
in each form written by the tests, the two real files beside the checkout, and what the
documents compute from them."""

from __future__ import annotations

import html
import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml
from lxml import etree

from ivbcompose import api
from ivbcompose.cli import main
from ivbcompose.errors import IvbError
from ivbcompose.figures.exports import read_export
from ivbcompose.nl import change_in_words as trend
from ivbcompose.project import Project

from .conftest import REPO

OPENDATA = REPO.parent / "shared" / "opendata"
CBSODATA = OPENDATA / "83648NED-Dashboard-Misdrijven.csv"
METADATA = OPENDATA / "47013NED-NLViolentCrime-metadata.csv"
CHART_NS = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart"}

METADATA_SMALL = """\ufeffTableInfos;;;;;
ID;Title;ShortTitle;Identifier;Summary;Modified
0;"Geregistreerde misdrijven; soort misdrijf, gemeente";Misdrijven;47022NED;"Een tabel
over twee regels";2024-04-02T02:00:00
DataProperties;;;;;
ID;Position;ParentID;Type;Key;Title
0;0;;Dimension;SoortMisdrijf;Soort misdrijf
1;1;;Topic;GeregistreerdeMisdrijven_1;Geregistreerde misdrijven
SoortMisdrijf;;;;;
Key;Title;Description;;;
"0.0.0 ";Totaal misdrijven;;;;
RegioS;;;;;
Key;Title;Description;;;
"GM0303";Dronten;;;;
"GM0184";Urk;;;;
"GM0999";Elders;;;;
"NL01  ";Nederland;;;;
Perioden;;;;;
Key;Title;Description;Status;;
2023MM01;2023 januari;;Definitief;;
2023JJ00;2023;;Voorlopig;;
"""


def statline_csv(months: dict[str, int], withheld: str = "GM0184") -> str:
    """A monthly police export with codes: all twelve months of 2023 for every region but
    `withheld`, which misses December; a yearly row for Nederland."""
    lines = ['"ID";"SoortMisdrijf";"RegioS";"Perioden";"GeregistreerdeMisdrijven_1"']
    number = 0
    for region, per_month in months.items():
        for month in range(1, 13):
            if region == withheld and month == 12:
                continue
            value = "" if (region, month) == ("GM0303", 5) else str(per_month)
            lines.append(f'{number};"0.0.0 ";"{region}  ";"2023MM{month:02d}";{value}')
            number += 1
    lines.append(f'{number};"0.0.0 ";"NL01  ";"2023JJ00";800000')
    return "\r\n".join(lines) + "\r\n"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_trend_in_words_and_per_cent_checked_by_hand() -> None:
    assert trend((2016, 1735), (2020, 1380)) == ("Van 2016 tot 2020 een daling van 20% "
                                                 "(van 1.735 naar 1.380).")
    assert trend((2019, 405), (2020, 580)) == ("Van 2019 tot 2020 een stijging van 43% "
                                               "(van 405 naar 580).")
    assert trend((2019, 10), (2020, 10)) == "Van 2019 tot 2020 geen verandering (van 10 naar 10)."


def test_a_monthly_statline_export_is_summed_to_complete_years(tmp_path: Path) -> None:
    data = write(tmp_path / "export.csv", statline_csv({"GM0303": 100, "GM0184": 10,
                                                        "GM0999": 5}))
    meta = write(tmp_path / "meta.csv", METADATA_SMALL)
    export = read_export(data, meta)
    assert (export.table, export.title, str(export.exported)) == (
        "47022NED", "Geregistreerde misdrijven; soort misdrijf, gemeente", "2024-04-02")
    series = {s.region_code: s for s in export.series}
    assert series["GM0303"].region_name == "Dronten"
    assert series["GM0303"].category_label == "Totaal misdrijven"
    # May was withheld: the year cannot be summed and is not zero.
    assert series["GM0303"].values[2023] is None
    assert series["GM0184"].values[2023] is None and export.status[2023] == "onvolledig"
    assert series["GM0999"].values[2023] == 60
    assert series["NL01"].values[2023] == 800000


def test_import_writes_each_member_and_nederland_and_is_idempotent(
        project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = write(tmp_path / "export.csv", statline_csv({"GM0303": 100, "GM0184": 10,
                                                        "GM0999": 5}, withheld="none"))
    meta = write(tmp_path / "meta.csv", METADATA_SMALL)
    root = str(project.root)
    assert main(["--project", root, "import-figures", str(data), "--metadata", str(meta)]) == 0
    out = capsys.readouterr()
    assert "municipalities/urk/figures/47022NED.yaml" in out.out
    assert "warning: 1 region in the export is not a member of the basisteam and was left " \
           "out (GM0999)" in out.err
    assert "Noordoostpolder (GM0171) is not in the export" in out.err
    urk = yaml.safe_load((project.root / "municipalities/urk/figures/47022NED.yaml")
                         .read_text(encoding="utf-8"))
    assert urk["region"] == {"code": "GM0184", "name": "Urk"}
    assert urk["series"][0]["values"] == {2023: 120}
    assert urk["status"] == {2023: "voorlopig"}
    before = {p: p.read_bytes() for p in project.root.rglob("figures/*.yaml")}
    assert main(["--project", root, "import-figures", str(data), "--metadata", str(meta)]) == 0
    assert "nothing changed" in capsys.readouterr().out
    assert {p: p.read_bytes() for p in project.root.rglob("figures/*.yaml")} == before
    data.write_bytes(data.read_bytes().replace(b";10\r\n", b";11\r\n", 1))
    assert main(["--project", root, "import-figures", str(data), "--metadata", str(meta)]) == 0
    assert "municipalities/urk/figures/47022NED.yaml: 1 value changed" in \
        capsys.readouterr().out


def test_an_odata_typed_data_set_with_its_dimensions(tmp_path: Path) -> None:
    rows = [{"ID": i, "SoortMisdrijf": "T001161", "RegioS": "GM0303  ",
             "Perioden": f"{year}JJ00", "TotaalGeregistreerdeMisdrijven_1": value}
            for i, (year, value) in enumerate([(2019, 1590), (2020, None)])]
    data = write(tmp_path / "83648NED.json", json.dumps({"value": rows}))
    write(tmp_path / "RegioS.json", json.dumps({"value": [{"Key": "GM0303  ",
                                                            "Title": "Dronten"}]}))
    write(tmp_path / "Perioden.json", json.dumps({"value": [
        {"Key": "2019JJ00", "Title": "2019", "Status": "Definitief"},
        {"Key": "2020JJ00", "Title": "2020*", "Status": "Voorlopig"}]}))
    export = read_export(data)
    [series] = export.series
    assert (export.table, export.form, series.region_name) == ("83648NED", "odata", "Dronten")
    assert series.values == {2019: 1590, 2020: None}
    assert export.status == {2019: "definitief", 2020: "voorlopig"}


@pytest.mark.skipif(not CBSODATA.is_file(), reason="../shared/opendata is not beside the "
                    "checkout")
def test_the_real_files_beside_the_checkout(project: Project) -> None:
    export = read_export(CBSODATA, table="83648NED")
    dronten = next(s for s in export.series if s.region_code == "Dronten"
                   and s.topic == "TotaalGeregistreerdeMisdrijven_1")
    assert dronten.values[2016] == 1735 and dronten.values[2020] == 1380
    labels = read_export(write(project.root / "x.csv", statline_csv({"GM0303": 1})), METADATA)
    assert labels.regions["GM0303"] == "Dronten" and labels.table == "47013NED"


@pytest.mark.parametrize(("text", "message"), [
    ('"ID";"RegioS";"Perioden";"GeregistreerdeMisdrijven_1"\r\n0;"GM0303";"2018XX00";5\r\n',
     "export.csv:2:1: error: '2018XX00' is not a period"),
    ('"ID";"RegioS";"Perioden";"TotaalGeregistreerdeMisdrijven_1"\r\n0;"GM0303";"2018JJ00";5\r\n',
     "export.csv:1:1: error: the export is of another table than its metadata (47022NED)"),
    ('"ID";"RegioS";"Jaar";"X_1"\r\n0;"GM0303";"2018JJ00";5\r\n',
     "export.csv:1:1: error: the export has no column 'Perioden'"),
    ('"ID";"RegioS";"Perioden";"GeregistreerdeMisdrijven_1"\r\n0;"GM0303";"2018JJ00";5\r\n'
     '1;"GM0303";"2019JJ00";vijf\r\n',
     "export.csv:3:1: error: 'vijf' in column GeregistreerdeMisdrijven_1 is not a number"),
    ("", "export.csv:?: error: the file is empty"),
])
def test_exports_that_cannot_be_read_write_nothing(project: Project, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str],
                                                   text: str, message: str) -> None:
    data = write(tmp_path / "export.csv", text)
    assert main(["--project", str(project.root), "import-figures", str(data), "--metadata",
                 str(write(tmp_path / "meta.csv", METADATA_SMALL))]) == 1
    err = capsys.readouterr().err
    assert message in err and "No figures were written." in err
    assert not (project.root / "municipalities/urk/figures/47022NED.yaml").exists()


def test_a_file_in_another_encoding_gets_a_hint(project: Project, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "export.csv"
    data.write_bytes('"RegioS";"Perioden";"X_1"\r\n"Súdwest";"2018";5\r\n'.encode("cp1252"))
    assert main(["--project", str(project.root), "import-figures", str(data), "--table",
                 "83648NED"]) == 1
    err = capsys.readouterr().err
    assert "export.csv:2:1: error: the file is not UTF-8 text" in err
    assert "save it as UTF-8" in err


def test_the_document_shows_counts_rates_comparison_trend_and_source(
        project: Project, tmp_path: Path) -> None:
    result = api.build(project, "urk", api.BuildOptions(output_dir=tmp_path, formats=("md",)))
    text = result.outputs[0].read_text(encoding="utf-8")
    assert re.search(r"\| \*\*Urk: aantal\*\* +\| \*\*455\*\* \| \*\*415\*\* \| "
                     r"\*\*410\*\* \| \*\*405\*\* \| \*\*580\*\* \|", text)
    # The comparisons sit under a heading row of their own, not under the municipality's rate.
    assert re.search(r"\| \*\*Ter vergelijking: per 1\.000 inwoners\*\* \|( +\|){5}\n"
                     r"\| &emsp;Nederland +\| +54,8 \|.*\n"
                     r"\| &emsp;Dronten +\| +42,8 \|", text)
    assert "Van 2016 tot 2020 een stijging van 27% (van 455 naar 580)." in text
    assert "Bron: CBS StatLine, tabel 83648NED, 2016–2020." in text
    nop = api.build(project, "noordoostpolder", api.BuildOptions(output_dir=tmp_path,
                                                                 formats=("md",)))
    assert "zijn (nog) geen cijfers van het CBS ingelezen" in nop.outputs[0].read_text(
        encoding="utf-8")


def test_a_rate_is_computed_from_inhabitants_and_marked_so(project: Project,
                                                           tmp_path: Path) -> None:
    path = project.root / "shared/40-kaders.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("            rate: GeregistreerdeMisdrijvenPer1000Inw_3\n", ""),
                    encoding="utf-8")
    result = api.build(project, "urk", api.BuildOptions(output_dir=tmp_path, formats=("md",)))
    out = result.outputs[0].read_text(encoding="utf-8")
    # 580 / 21.929 × 1.000 = 26,4 (the data's own rate for 2020 is 27,6).
    assert "| Urk: per 1.000 inwoners (berekend)" in out and "26,4" in out
    assert "Per 1.000 inwoners berekend met het inwonertal van 2024 (21.929)." in out


def test_a_nulmeting_and_a_realisatie_point_at_imported_figures(
        project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = str(project.root)
    assert main(["--project", root, "explain", "dronten",
                 "ind-misdrijven-per-1000.baseline.value"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("ind-misdrijven-per-1000.baseline.value = 32.5\n"
                          "  imported municipalities/dronten/figures/83648NED.yaml:")
    # A newer import (CBS revised 2018) updates the nulmeting without touching the YAML.
    path = project.root / "municipalities/dronten/figures/83648NED.yaml"
    text = path.read_text(encoding="utf-8")
    rate = text.index("topic: GeregistreerdeMisdrijvenPer1000Inw_3")
    path.write_text(text[:rate] + text[rate:].replace("2018: 32.5", "2018: 32.9", 1),
                    encoding="utf-8")
    ivb = api.compose_municipality(project, "dronten").ivb
    [indicator] = [i for _, a in ivb.priorities() for g in a.goals for i in g.indicators
                   if i.id == "ind-misdrijven-per-1000"]
    assert indicator.baseline is not None and indicator.baseline.value == 32.9
    assert indicator.baseline.source == "CBS StatLine 83648NED"
    report = ivb.progress_of(2020)
    assert report is not None and report.indicators[0].value == 33.2


@pytest.mark.parametrize(("old", "new", "message", "hint"), [
    ("figure: {table: 83648NED, category: \"Misdrijven, totaal\", topic: "
     "GeregistreerdeMisdrijvenPer1000Inw_3, year: 2018}",
     "figure: {table: 83648NEX, category: \"Misdrijven, totaal\", topic: "
     "GeregistreerdeMisdrijvenPer1000Inw_3, year: 2018}",
     "no imported figures of table '83648NEX' for this municipality",
     "did you mean '83648NED'?"),
    ("topic: GeregistreerdeMisdrijvenPer1000Inw_3, year: 2018}",
     "topic: GeregistreerdeMisdrijvenPer1000Inw_3, year: 2009}",
     "table '83648NED' has no figure for 2009", None),
    ("topic: GeregistreerdeMisdrijvenPer1000Inw_3, year: 2018}",
     "topic: GeregistreerdeMisdrijvenPer1000Inw, year: 2018}",
     "table '83648NED' has no figures of 'Misdrijven, totaal' / "
     "'GeregistreerdeMisdrijvenPer1000Inw'",
     "did you mean 'GeregistreerdeMisdrijvenPer1000Inw_3'?"),
])
def test_a_figure_that_does_not_exist_is_a_positioned_error(project: Project, old: str,
                                                            new: str, message: str,
                                                            hint: str | None) -> None:
    path = project.root / "municipalities/dronten/municipality.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(IvbError) as caught:
        api.compose_municipality(project, "dronten")
    [problem] = caught.value.problems
    assert problem.message == message
    assert problem.origin.file == "municipalities/dronten/municipality.yaml"
    if hint is not None:
        assert problem.hint == hint


def test_a_chart_has_stable_bytes_and_alt_text_with_the_main_figures(
        project: Project, tmp_path: Path) -> None:
    from ivbcompose.document import Chart
    from ivbcompose.writers.charts import render_chart

    chart = Chart("Misdrijven", "Lijndiagram", ("2019", "2020"),
                  (("Urk", (19.6, 27.6)), ("Nederland", (47.5, None))), "per 1.000 inwoners")
    first = render_chart(chart)
    assert first[:8] == b"\x89PNG\r\n\x1a\n" and render_chart(chart) == first
    assert b"matplotlib" not in first  # no version stamped in the file
    result = api.build(project, "urk", api.BuildOptions(output_dir=tmp_path / "a"))
    with zipfile.ZipFile(result.outputs[0]) as archive:
        body = html.unescape(archive.read("word/document.xml").decode("utf-8"))
        # In Word the chart is a native one, drawn from the figures; the PNG is the web's.
        assert not [n for n in archive.namelist() if n.startswith("word/media/")]
        chart = etree.fromstring(archive.read("word/charts/chart1.xml"))
    series = chart.findall(".//c:ser", CHART_NS)
    assert [s.findtext("c:tx/c:v", namespaces=CHART_NS) for s in series] == \
        ["Urk", "Nederland", "Dronten"]
    assert [v.text for v in series[0].findall("c:cat//c:v", CHART_NS)] == \
        ["2016", "2017", "2018", "2019", "2020"]
    urk = [float(v.text or "") for v in series[0].findall("c:val//c:v", CHART_NS)]
    assert (urk[0], urk[-1]) == (22.9, 27.6)
    assert ('descr="Lijndiagram van de geregistreerde misdrijven per 1.000 inwoners, '
            '2016–2020: Urk van 22,9 in 2016 naar 27,6 in 2020; Nederland van 54,8 in 2016 '
            'naar 46,4 in 2020; Dronten van 42,8 in 2016 naar 33,2 in 2020."') in body
    again = api.build(project, "urk", api.BuildOptions(output_dir=tmp_path / "b"))
    assert again.outputs[0].read_bytes() == result.outputs[0].read_bytes()


def test_a_broken_imported_file_is_a_positioned_error_once(project: Project,
                                                            capsys: pytest.CaptureFixture[str]
                                                            ) -> None:
    # Validated once for every municipality (figures/store.py), and before a pointer into
    # it is followed: a table that is not a text would otherwise crash the lookup.
    path = project.municipalities_dir / "urk" / "figures" / "83648NED.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("table: 83648NED", "table: 5"),
                    encoding="utf-8")
    assert main(["--project", str(project.root), "check"]) == 1
    err = capsys.readouterr().err
    assert err.count("municipalities/urk/figures/83648NED.yaml:3:8: error: ") == 1
    assert "Traceback" not in err


def test_a_chart_with_more_lines_than_colours_keeps_the_municipality_and_nederland(
        project: Project, tmp_path: Path) -> None:
    # Four more members with Dronten's figures: seven lines, more than the five colours.
    source = project.municipalities_dir / "dronten"
    for number in range(4):
        folder = project.municipalities_dir / f"kopie-{number}"
        shutil.copytree(source, folder)
        file = folder / "municipality.yaml"
        file.write_text(file.read_text(encoding="utf-8").replace("name: Dronten",
                                                                   f"name: Kopie {number}")
                        .replace("GM0303", f"GM99{number:02d}"), encoding="utf-8")
    result = api.build(project, "urk", api.BuildOptions(output_dir=tmp_path))
    with zipfile.ZipFile(result.outputs[0]) as archive:
        body = html.unescape(archive.read("word/document.xml").decode("utf-8"))
    alt = re.search(r'descr="(Lijndiagram[^"]*)"', body)
    assert alt is not None
    assert alt.group(1) == ("Lijndiagram van de geregistreerde misdrijven per 1.000 inwoners, "
                            "2016–2020: Urk van 22,9 in 2016 naar 27,6 in 2020; Nederland van "
                            "54,8 in 2016 naar 46,4 in 2020. De andere gemeenten van het "
                            "basisteam staan in de tabel.")
    # The table beside the chart still compares with every member.
    compared = body[body.index("Ter vergelijking: per 1.000 inwoners"):]
    compared = compared[:compared.index("</w:tbl>")]
    for name in ("Dronten", *(f"Kopie {n}" for n in range(4))):
        assert f"<w:t>{name}</w:t>" in compared


def test_fetch_reads_the_cbs_api_here_a_local_server_with_recorded_answers(
        project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    import http.server
    import threading
    import urllib.parse

    answers = {
        "TypedDataSet": {"value": [
            {"ID": 0, "SoortMisdrijf": "T001161", "RegioS": "GM0184  ", "Perioden": "2020JJ00",
             "TotaalGeregistreerdeMisdrijven_1": 580},
            {"ID": 1, "SoortMisdrijf": "T001161", "RegioS": "NL01  ", "Perioden": "2020JJ00",
             "TotaalGeregistreerdeMisdrijven_1": 808030}]},
        "TableInfos": {"value": [{"Identifier": "83648NED", "Title": "Geregistreerde "
                                  "criminaliteit; soort misdrijf, regio",
                                  "Modified": "2021-05-12T02:00:00"}]},
        "DataProperties": {"value": [{"Type": "Topic", "Key": "TotaalGeregistreerdeMisdrijven_1",
                                      "Title": "Totaal geregistreerde misdrijven"}]},
        "RegioS": {"value": [{"Key": "GM0184  ", "Title": "Urk"},
                             {"Key": "NL01  ", "Title": "Nederland"}]},
        "Perioden": {"value": [{"Key": "2020JJ00", "Title": "2020*", "Status": "Voorlopig"}]},
        "SoortMisdrijf": {"value": [{"Key": "T001161", "Title": "Misdrijven, totaal"}]},
    }
    asked: list[str] = []

    class Recorded(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(urllib.parse.unquote(self.path))
            name = urllib.parse.urlparse(self.path).path.rsplit("/", 1)[-1]
            body = json.dumps(answers[name]).encode() if name in answers else b""
            self.send_response(200 if body else 404)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorded)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        monkeypatch.setenv("IVBCOMPOSE_CBS_ODATA",
                           f"http://127.0.0.1:{server.server_address[1]}/odata")
        assert main(["--project", str(project.root), "import-figures", "--fetch",
                     "83648NED"]) == 0
    finally:
        server.shutdown()
        server.server_close()
    assert "substringof('GM0184',RegioS)" in asked[0]
    urk = yaml.safe_load((project.root / "municipalities/urk/figures/83648NED.yaml")
                         .read_text(encoding="utf-8"))
    assert urk["title"] == "Geregistreerde criminaliteit; soort misdrijf, regio"
    assert str(urk["exported"]) == "2021-05-12" and urk["status"] == {2020: "voorlopig"}
    assert urk["series"][0]["label"] == "Misdrijven, totaal"
    assert urk["series"][0]["values"] == {2020: 580}
    monkeypatch.setenv("IVBCOMPOSE_CBS_ODATA", "http://127.0.0.1:9/odata")
    assert main(["--project", str(project.root), "import-figures", "--fetch",
                 "83648NED"]) == 1
    assert "cannot reach the CBS API" in capsys.readouterr().err


def test_broken_json_and_a_declared_windows_1252_file(tmp_path: Path) -> None:
    from ivbcompose.figures.exports import ExportError

    broken = write(tmp_path / "83648NED.json", '{"value": [')
    with pytest.raises(ExportError) as caught:
        read_export(broken)
    assert caught.value.message.startswith("the JSON is broken")
    declared = tmp_path / "83648NED.csv"
    declared.write_bytes('"RegioS";"Perioden";"X_1";"charset=windows-1252"\r\n'
                         '"Súdwest";"2018";5;\r\n'.encode("cp1252"))
    [series] = [s for s in read_export(declared).series if s.topic == "X_1"]
    assert series.region_name == "Súdwest" and series.values == {2018: 5}


def test_bbv_indicators_where_the_imported_figures_have_them(project: Project,
                                                             tmp_path: Path) -> None:
    def police(code: str, per_month: int) -> str:
        lines = ['"ID";"SoortMisdrijf";"RegioS";"Perioden";"GeregistreerdeMisdrijven_1"']
        lines += [f'{m};"{code} ";"GM0303";"2023MM{m:02d}";{per_month}' for m in range(1, 13)]
        return "\r\n".join(lines) + "\r\n"

    before = api.build(project, "dronten", api.BuildOptions(output_dir=tmp_path / "a",
                                                            formats=("md",)))
    assert "De verplichte BBV-indicatoren volgen zodra" in before.outputs[0].read_text(
        encoding="utf-8")
    data = write(tmp_path / "47022NED-winkels.csv", police("2.5.2", 10))
    assert api.import_figures(project, data).written
    result = api.build(project, "dronten", api.BuildOptions(output_dir=tmp_path / "b",
                                                            formats=("md",)))
    text = result.outputs[0].read_text(encoding="utf-8")
    # 120 shop thefts in 2023 among 44.337 inhabitants: 2,7 per 1.000.
    assert "| Winkeldiefstallen per 1.000 inwoners | 2023 |     2,7 |         – |" in text
    assert "Diefstallen uit woningen" not in text
    assert "Per 1.000 inwoners berekend met het inwonertal van 2024 (44.337)." in text
