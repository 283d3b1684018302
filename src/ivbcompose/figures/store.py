"""Imported figures as YAML files: one per member and table, and one for the comparison.

`municipalities/<id>/figures/<table>.yaml` holds a member's figures,
`shared/figures/<table>.yaml` those of Nederland. Both are written by
`ivbcompose import-figures` only (never typed by hand, never touching
hand-written YAML); a newer export replaces them, and the import says what
changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ..errors import IvbError, Problem
from ..files import write_all_atomically
from ..i18n import ntr, tr
from ..model import FigureFile
from ..model.base import Base
from ..project import Project
from ..provenance import Origin
from ..sources import MapNode, Node, ScalarNode, SeqNode, load_mapping, remembered, to_plain
from ..validation import validation_problems
from .exports import Export, Series

__all__ = ["FIGURES_DIR", "NATIONAL", "ImportSummary", "ImportedFigures", "load_figures",
           "plan_import"]

FIGURES_DIR = "figures"
NATIONAL = ("NL01", "Nederland")
_HEADER = """\
# Imported by `ivbcompose import-figures` from {source}.
# Do not edit by hand: import a newer export instead.
"""


@dataclass
class ImportSummary:
    """What an import wrote, ignored and changed."""

    written: list[Path] = field(default_factory=list)
    ignored_regions: int = 0
    changes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def write(self, files: Iterable[tuple[Path, bytes]]) -> None:
        write_all_atomically(list(files))


def plan_import(project: Project, export: Export, members: dict[str, tuple[str, str]],
                source: str) -> tuple[list[tuple[Path, bytes]], ImportSummary]:
    """The files to write for `export` and a summary; `members` maps id → (CBS code, name)."""
    summary = ImportSummary()
    by_region: dict[str, list[Series]] = {}
    for series in export.series:
        by_region.setdefault(series.region_code, []).append(series)
    files = []
    matched: set[str] = set()
    for municipality_id, (code, name) in members.items():
        key = code if code in by_region else name if name in by_region else None
        if key is None:
            summary.warnings.append(tr("{name} ({code}) is not in the export", name=name,
                                       code=code))
            continue
        matched.add(key)
        path = project.municipality_dir(municipality_id) / FIGURES_DIR / f"{export.table}.yaml"
        files.append((path, _document(export, code, by_region[key], source)))
    national = next((k for k in NATIONAL if k in by_region), None)
    if national is not None:
        matched.add(national)
        path = project.shared_dir / FIGURES_DIR / f"{export.table}.yaml"
        files.append((path, _document(export, "NL01", by_region[national], source)))
    ignored = sorted(set(by_region) - matched)
    summary.ignored_regions = len(ignored)
    if ignored:
        shown = ", ".join(ignored[:5]) + (", …" if len(ignored) > 5 else "")
        summary.warnings.append(ntr("{n} region in the export is not a member of the "
                                    "basisteam and was left out ({names})",
                                    "{n} regions in the export are not members of the "
                                    "basisteam and were left out ({names})",
                                    len(ignored), names=shown))
    for path, data in files:
        summary.changes.extend(_changes(project, path, data))
        summary.written.append(path)
    return files, summary


@dataclass(frozen=True)
class ImportedFigures:
    """Every imported figure file of the members and of Nederland: as read (`nodes`, with
    positions; a file's `owner` is its member's id, none for Nederland) and as the
    documents read them (`files`).

    No change of a municipality reaches them, and every document shows the same files,
    so they are validated once per command, not once per document: in a large basisteam
    they are most of what a document would otherwise validate and walk.
    """

    nodes: SeqNode

    @remembered
    def files(self) -> tuple[FigureFile, ...]:
        """The validated files; raises IvbError with each mistake at its place."""
        tree = MapNode({"figures": self.nodes}, {"figures": self.nodes.origin},
                       self.nodes.origin)
        plain, sources = to_plain(tree)
        try:
            return tuple(_Files.model_validate(plain).figures)
        except ValidationError as error:
            raise IvbError(validation_problems(error, _Files, sources, plain)) from None


class _Files(Base):
    figures: list[FigureFile]


def load_figures(project: Project) -> ImportedFigures:
    """Every imported figure file of the members and of Nederland (see ImportedFigures)."""
    problems: list[Problem] = []
    found: list[Node] = []
    folders = [(None, project.shared_dir / FIGURES_DIR)] + [
        (m, project.municipalities_dir / m / FIGURES_DIR) for m in project.municipality_ids()]
    for owner, folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.yaml")):
            node = load_mapping(path, project.display(path), problems, "figures-type",
                                tr("an imported figures file is a mapping; import it again"),
                                tr("do not edit this file by hand: delete it and run "
                                   "'ivbcompose import-figures' again"))
            if node is not None:
                found.append(MapNode({**node.values, "owner": ScalarNode(owner, node.origin)},
                                     {**node.keys, "owner": node.origin}, node.origin))
    if problems:
        raise IvbError(problems)
    return ImportedFigures(SeqNode(tuple(found),
                                   Origin(project.display(project.municipalities_dir))))


def _document(export: Export, region: str, series: list[Series], source: str) -> bytes:
    years = sorted({y for s in series for y in s.values})
    data: dict[str, Any] = {
        "table": export.table,
        "title": export.title or None,
        "exported": export.exported,
        "form": export.form,
        "region": {"code": region, "name": series[0].region_name},
        "status": {y: export.status[y] for y in years if y in export.status},
        "series": [{"category": s.category, "label": s.category_label, "topic": s.topic,
                    "topic_label": s.topic_label,
                    "values": {y: _plain(s.values[y]) for y in sorted(s.values)}}
                   for s in sorted(series, key=lambda s: (s.category, s.topic))],
    }
    text = _HEADER.format(source=source) + yaml.safe_dump(data, allow_unicode=True,
                                                          sort_keys=False, width=100)
    return text.encode("utf-8")


def _plain(value: float | None) -> float | int | None:
    return int(value) if value is not None and float(value).is_integer() else value


def _changes(project: Project, path: Path, data: bytes) -> list[str]:
    """What a newer import changes in a file: new, or the values that differ."""
    shown = project.display(path)
    if not path.is_file():
        return [tr("{file}: new", file=shown)]
    old = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    new = yaml.safe_load(data.decode("utf-8"))
    before = {(s["category"], s["topic"]): s["values"] for s in old.get("series", [])}
    after = {(s["category"], s["topic"]): s["values"] for s in new.get("series", [])}
    added = len(set(after) - set(before))
    changes = [ntr("{file}: {n} new series", "{file}: {n} new series", added, file=shown)] \
        if added else []
    values = sum(1 for key, row in after.items() for year, value in row.items()
                 if before.get(key, {}).get(year, object()) != value)
    years = sorted({y for row in after.values() for y in row} -
                   {y for row in before.values() for y in row})
    if years:
        changes.append(tr("{file}: new years {years}", file=shown,
                          years=", ".join(map(str, years))))
    if values:
        changes.append(ntr("{file}: {n} value changed", "{file}: {n} values changed", values,
                           file=shown))
    return changes
