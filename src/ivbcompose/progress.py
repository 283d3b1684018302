"""Progress files: what happened in a year with the measures, and where the indicators stand.

`shared/progress/<year>.yaml` is the regional team's report of the shared
measures; `municipalities/<id>/progress/<year>.yaml` the municipality's own
measures and indicators, and its remarks on shared measures. Both are merged
into one `progress` entry per year of the composed tree, so every value keeps
the position it was written at.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .errors import IvbError, Problem
from .i18n import tr
from .project import Project
from .provenance import Origin
from .sources import MapNode, Node, ScalarNode, SeqNode, load_mapping

__all__ = ["PROGRESS_DIR", "load_progress"]

PROGRESS_DIR = "progress"
_YEAR_FILE = re.compile(r"^(\d{4})\.ya?ml$")
_KEYS = ("measures", "indicators")
_KEY_OF = {"measures": "measure", "indicators": "indicator"}


def load_progress(project: Project, municipality_id: str,
                  period: tuple[int, int] | None = None) -> SeqNode:
    """Every year's progress for one municipality, the shared reports merged in.

    A shared report of a year outside the municipality's `period` is not its
    concern (the members have periods of their own); its own file for such a
    year is kept, so validation reports it.
    """
    problems: list[Problem] = []
    shared = _year_files(project, project.shared_dir / PROGRESS_DIR, problems)
    local = _year_files(project, project.municipality_dir(municipality_id) / PROGRESS_DIR,
                        problems)
    if period is not None:
        shared = {y: n for y, n in shared.items() if period[0] <= y <= period[1] or y in local}
    years = []
    for year in sorted(set(shared) | set(local)):
        years.append(_merge(year, shared.get(year), local.get(year), problems))
    if problems:
        raise IvbError(problems)
    origin = Origin(project.display(project.municipality_dir(municipality_id) / PROGRESS_DIR))
    return SeqNode(tuple(years), origin)


def _year_files(project: Project, folder: Path, problems: list[Problem]) -> dict[int, MapNode]:
    found: dict[int, MapNode] = {}
    if not folder.is_dir():
        return found
    for path in sorted(folder.iterdir()):
        if path.suffix not in (".yaml", ".yml"):
            continue
        match = _YEAR_FILE.match(path.name)
        if match is None:
            problems.append(Problem("progress-name", tr("a progress file is named after its "
                                                        "year, not '{file}'", file=path.name),
                                    Origin(project.display(path)),
                                    tr("rename it to e.g. 2021.yaml")))
            continue
        node = load_mapping(path, project.display(path), problems, "progress-type",
                            tr("a progress file is a mapping with 'measures' and "
                               "'indicators'"),
                            tr("start the file with 'measures:' and 'indicators:', each at the "
                               "beginning of a line, and the entries below them starting with "
                               "'- '"))
        if node is None:
            continue
        for key in node.values:
            if key not in _KEYS:
                problems.append(Problem("unknown-key", tr("unknown key '{key}'", key=key),
                                        node.keys[key],
                                        tr("a progress file has: measures, indicators")))
        found[int(match.group(1))] = node
    return found


def _merge(year: int, shared: MapNode | None, local: MapNode | None,
           problems: list[Problem]) -> MapNode:
    """One year: the shared entries, a municipality's remark added to them, then its own."""
    source = local if local is not None else shared
    assert source is not None  # a year exists because one of the two has a file for it
    origin = source.origin
    values: dict[Any, Node] = {"year": ScalarNode(year, origin)}
    keys: dict[Any, Origin] = {"year": origin}
    for key in _KEYS:
        entries = list(_entries(shared, key))
        by_id = {_id(e, key): index for index, e in enumerate(entries)}
        for entry in _entries(local, key):
            reported = by_id.get(_id(entry, key))
            if reported is None or not isinstance(entry, MapNode):
                entries.append(entry)
                continue
            extra = [k for k in entry.values if k not in (_KEY_OF[key], "remark")]
            if extra:
                report = f"shared/{PROGRESS_DIR}/{year}.yaml"
                problems.append(Problem("progress-shared", tr(
                    "'{id}' is reported by the regional team in {file}", id=_id(entry, key),
                    file=report), entry.keys[extra[0]],
                    tr("a municipality adds its own 'remark' to a shared report")))
                continue
            base = entries[reported]
            assert isinstance(base, MapNode)
            entries[reported] = MapNode({**base.values, **entry.values},
                                        {**base.keys, **entry.keys}, base.origin)
        node = source.get(key)
        values[key] = SeqNode(tuple(entries), node.origin if node is not None else origin)
        keys[key] = values[key].origin
    return MapNode(values, keys, origin)


def _entries(node: MapNode | None, key: str) -> tuple[Node, ...]:
    value = node.get(key) if node is not None else None
    return value.items if isinstance(value, SeqNode) else ()


def _id(entry: Node, key: str) -> object:
    if isinstance(entry, MapNode):
        value = entry.get(_KEY_OF[key])
        return value.value if isinstance(value, ScalarNode) else None
    return None
