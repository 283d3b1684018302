"""Exports of CBS StatLine and the police's open data, read into one shape.

Forms read:

- StatLine CSV as downloaded: codes (`GM0123`, `T001161`), periods `2018JJ00`
  (a year) or `2024MM03` (a month), `;` separators, quotes, keys with trailing
  spaces, a byte order mark; labels and the table's title, export date and
  provisional years from the sectioned metadata CSV downloaded beside it;
- the output of CBS's Python client `cbsodata`: labels instead of codes
  (a municipality by its name, `Misdrijven, totaal`, period `2018`), `,` separators;
- OData JSON: a `TypedDataSet` (`{"value": [...]}`) with the dimension
  endpoints' JSON (`RegioS`, `Perioden`, …) beside it for labels.

Police tables (47022NED and the like) are monthly: a year is summed only when
all twelve months are there, otherwise the year is marked incomplete. An
empty value means withheld, never zero.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TextIO

from ..i18n import tr

__all__ = ["Export", "ExportError", "Series", "read_export"]

_PERIOD = re.compile(r"^(\d{4})(JJ00|MM(0[1-9]|1[0-2]))$")
_REGION_COLUMNS = ("RegioS", "WijkenEnBuurten", "Gemeenten")
_JSON_LIMIT = 200 * 1024 * 1024  # OData JSON is read whole; a CSV is streamed


class ExportError(Exception):
    """An export that cannot be read: where (file, row) and what to do."""

    def __init__(self, file: str, row: int | None, message: str, hint: str | None = None):
        self.file, self.row, self.message, self.hint = file, row, message, hint
        super().__init__(f"{file}:{row or '?'}: {message}")


@dataclass
class Series:
    """One region's figures of one category and topic, per year (None: withheld)."""

    region_code: str
    region_name: str
    category: str
    category_label: str
    topic: str
    topic_label: str
    values: dict[int, float | None] = field(default_factory=dict)
    months: dict[int, set[int]] = field(default_factory=dict)


@dataclass
class Export:
    """What an export holds, whatever its form."""

    table: str
    title: str
    exported: date | None
    form: str
    status: dict[int, str]  # year → "voorlopig" / "definitief" / "onvolledig"
    series: list[Series]
    regions: dict[str, str]  # code (or name) → name

    def years(self) -> list[int]:
        return sorted({y for s in self.series for y in s.values})


def read_export(path: Path, metadata: Path | None = None, table: str | None = None) -> Export:
    """Read an export in any of the supported forms (see the module docstring).

    A CSV is read row by row, so a large export takes the memory of the
    figures it holds, not of the file.
    """
    display = path.name
    with path.open("rb") as stream:
        head = stream.read(4096)
    if not head.strip():
        raise ExportError(display, None, tr("the file is empty"),
                          tr("download the export again"))
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        if path.stat().st_size > _JSON_LIMIT:
            raise ExportError(display, None, tr("the JSON file is too large to read"),
                              tr("fetch or export only the municipalities you need"))
        text = _decode(path.read_bytes(), display)
        return _odata(text, display, path.parent, table or _table_from_name(path))
    labels = _metadata(metadata) if metadata is not None else None
    encoding = "utf-8-sig"
    if re.search(rb"charset\s*=\s*(windows-1252|cp1252)", head, re.IGNORECASE):
        encoding = "cp1252"
    try:
        with path.open(encoding=encoding, newline="") as text:
            export = _csv(text, display, labels, table or _table_from_name(path))
    except UnicodeDecodeError:
        _decode(path.read_bytes(), display)  # says on which line
        raise
    if labels is not None and table and labels.table and labels.table != table:
        raise ExportError(display, None, tr("the metadata is of table {table}, not of "
                                            "{wanted}", table=labels.table, wanted=table),
                          tr("download the metadata of the same table"))
    return export


def _decode(raw: bytes, file: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        if re.search(rb"charset\s*=\s*(windows-1252|cp1252)", raw[:2000], re.IGNORECASE):
            return raw.decode("cp1252")
        raise ExportError(file, line, tr("the file is not UTF-8 text"),
                          tr("save it as UTF-8 (in Excel: 'CSV UTF-8'), or declare "
                             "charset=windows-1252 in its first line")) from None


def _table_from_name(path: Path) -> str:
    match = re.match(r"^(\d{5}[A-Z]{3})", path.name)
    return match.group(1) if match else ""


@dataclass
class _Labels:
    table: str
    title: str
    exported: date | None
    status: dict[str, str]
    dimensions: dict[str, dict[str, str]]  # dimension → key → title
    topics: dict[str, str]


def _metadata(path: Path) -> _Labels:
    """The sectioned metadata CSV: TableInfos, DataProperties, and a section per dimension."""
    text = _decode(path.read_bytes(), path.name)
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    # A section starts with its name alone on a row, then a header row (ID or Key first).
    starts = [i for i, row in enumerate(rows[:-1]) if row and row[0].strip()
              and not any(c.strip() for c in row[1:]) and rows[i + 1][:1] in (["ID"], ["Key"])]
    sections: dict[str, list[dict[str, str]]] = {}
    for number, first in enumerate(starts):
        last = starts[number + 1] if number + 1 < len(starts) else len(rows)
        header = [c.strip() for c in rows[first + 1]]
        sections[rows[first][0].strip()] = [dict(zip(header, row, strict=False))
                                            for row in rows[first + 2:last]
                                            if any(c.strip() for c in row)]
    if "TableInfos" not in sections:
        raise ExportError(path.name, 1,
                          tr("this is not a StatLine metadata file (no TableInfos)"),
                          tr("download the metadata ('Metadata' in StatLine) beside the data"))
    info = sections["TableInfos"][0]
    modified = info.get("Modified", "")[:10]
    dimensions = {name: {r.get("Key", "").strip(): r.get("Title", "").strip() for r in body}
                  for name, body in sections.items()
                  if name not in ("TableInfos", "DataProperties")}
    topics = {r.get("Key", "").strip(): r.get("Title", "").strip()
              for r in sections.get("DataProperties", []) if r.get("Type") == "Topic"}
    status = {r.get("Key", "").strip(): r.get("Status", "").strip().lower()
              for r in sections.get("Perioden", [])}
    return _Labels(info.get("Identifier", "").strip(), info.get("Title", "").strip(),
                   _date(modified), status, dimensions, topics)


def _date(text: str) -> date | None:
    try:
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        return None


def _csv(text: TextIO, file: str, labels: _Labels | None, table: str) -> Export:
    sample = text.readline()
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(itertools.chain([sample], text), delimiter=delimiter)
    header = [h.strip() for h in reader.fieldnames or []]
    reader.fieldnames = header
    return _export(header, reader, file, labels, table, "statline" if labels else "cbsodata")


def _export(header: list[str], records: Iterable[dict[str, str]], file: str,
            labels: _Labels | None, table: str, form: str) -> Export:
    """Series per region, category and topic from the rows of an export."""
    region = next((c for c in _REGION_COLUMNS if c in header), None)
    missing = [c for c in ("Perioden",) if c not in header] + ([] if region else ["RegioS"])
    if missing:
        raise ExportError(file, 1, tr("the export has no column '{column}'", column=missing[0]),
                          tr("export the table with the regions and periods as columns "
                             "(found: {columns})", columns=", ".join(header)))
    dimensions = [h for h in header if h not in (region, "Perioden", "ID")
                  and not re.search(r"_\d+$", h)]
    topics = [h for h in header if re.search(r"_\d+$", h)]
    if not topics:
        raise ExportError(file, 1, tr("the export has no figures (columns such as "
                                      "'TotaalGeregistreerdeMisdrijven_1')"),
                          tr("in StatLine, choose at least one topic (Onderwerp) before you "
                             "download the export"))
    if labels is not None and labels.topics and not set(topics) & set(labels.topics):
        raise ExportError(file, 1, tr("the export is of another table than its metadata "
                                      "({table}): none of its columns {columns} is "
                                      "in the metadata", table=labels.table,
                                      columns=", ".join(topics)),
                          tr("download the data and the metadata of one table"))
    coded = labels is not None
    found: dict[tuple[str, str, str], Series] = {}
    status: dict[int, str] = {}
    regions: dict[str, str] = {}
    for number, row in enumerate(records, start=2):
        region_key = (row.get(region) or "").strip()
        category = " ".join((row.get(d) or "").strip() for d in dimensions) or "totaal"
        period = (row.get("Perioden") or "").strip()
        year, month = _period(period, file, number, coded)
        region_name = labels.dimensions.get(region, {}).get(region_key, region_key) \
            if labels else region_key
        regions[region_key] = region_name
        if labels is not None:
            state = labels.status.get(period, "")
            if state and status.get(year) != "voorlopig":
                status[year] = state
        for topic in topics:
            series = found.get((region_key, category, topic))
            if series is None:
                label = _category_label(labels, dimensions, row) if labels else category
                series = found[(region_key, category, topic)] = Series(
                    region_key, region_name, category, label, topic,
                    labels.topics.get(topic, topic) if labels else topic)
            value = _number(row.get(topic), file, number, topic)
            if month is None:
                series.values[year] = value
            else:
                months = series.months.setdefault(year, set())
                if value is not None or month not in months:
                    months.add(month)
                    previous = series.values.get(year, 0.0)
                    series.values[year] = None if value is None or previous is None \
                        else previous + value
    for series in found.values():
        for year, months in series.months.items():
            if len(months) < 12:
                series.values[year] = None
                status[year] = "onvolledig"
    return Export(labels.table or table if labels else table, labels.title if labels else "",
                  labels.exported if labels else None, form, status, list(found.values()),
                  regions)


def _category_label(labels: _Labels, dimensions: list[str], row: dict[str, str]) -> str:
    return " ".join(labels.dimensions.get(d, {}).get((row.get(d) or "").strip(),
                                                     (row.get(d) or "").strip())
                    for d in dimensions) or "Totaal"


def _period(text: str, file: str, row: int, coded: bool) -> tuple[int, int | None]:
    match = _PERIOD.match(text)
    if match:
        return int(match.group(1)), int(match.group(3)) if match.group(3) else None
    if re.fullmatch(r"\d{4}", text) and not coded:
        return int(text), None
    raise ExportError(file, row, tr("'{value}' is not a period (a year like 2018JJ00, or a "
                                    "month like 2024MM03)", value=text),
                      tr("export the table with periods as StatLine writes them"))


def _number(text: str | None, file: str, row: int, column: str) -> float | None:
    value = (text or "").strip()
    if value in ("", ".", "x"):  # withheld, never zero
        return None
    try:
        return float(value.replace(",", ".")) if value.count(",") == 1 and "." not in value \
            else float(value)
    except ValueError:
        raise ExportError(file, row, tr("'{value}' in column {column} is not a number",
                                        value=value, column=column),
                          tr("an empty cell means withheld; write no text in a figure "
                             "column")) from None


def _odata(text: str, file: str, folder: Path, table: str) -> Export:
    """OData JSON: `{"value": [...]}` rows with codes; dimension files beside it for labels
    (`RegioS.json`, `Perioden.json`, … as the API serves them)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ExportError(file, exc.lineno,
                          tr("the JSON is broken: {reason}", reason=exc.msg),
                          tr("download the file again, and do not open and save it in another "
                             "program before importing it")) from None
    records = data.get("value") if isinstance(data, dict) else None
    if not isinstance(records, list) or not records or not isinstance(records[0], dict):
        raise ExportError(file, 1, tr("this is not an OData TypedDataSet (no 'value' rows)"),
                          tr("save the TypedDataSet endpoint's answer as it is"))
    dimensions: dict[str, dict[str, str]] = {}
    status: dict[str, str] = {}
    for name in records[0]:
        path = folder / f"{name}.json"
        if not path.is_file():
            continue
        values = json.loads(path.read_text(encoding="utf-8")).get("value", [])
        dimensions[name] = {str(v.get("Key", "")).strip(): str(v.get("Title", "")).strip()
                            for v in values}
        if name == "Perioden":
            status = {str(v.get("Key", "")).strip(): str(v.get("Status", "")).strip().lower()
                      for v in values}
    title, exported, topics = "", None, {}
    infos = folder / "TableInfos.json"
    if infos.is_file():
        info = (json.loads(infos.read_text(encoding="utf-8")).get("value") or [{}])[0]
        title, exported = str(info.get("Title", "")), _date(str(info.get("Modified", ""))[:10])
        table = str(info.get("Identifier", table)) or table
    properties = folder / "DataProperties.json"
    if properties.is_file():
        topics = {str(p.get("Key", "")): str(p.get("Title", "")) for p in json.loads(
            properties.read_text(encoding="utf-8")).get("value", []) if p.get("Type") == "Topic"}
    labels = _Labels(table, title, exported, status, dimensions, topics)
    header = [str(k) for k in records[0]]
    rows = ({k: "" if v is None else str(v) for k, v in r.items()} for r in records)
    return _export(header, rows, file, labels, table, "odata")
