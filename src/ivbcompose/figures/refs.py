"""Values that come from imported figures: `figure: {table, category, topic, year}`.

A nulmeting or a realisatie may point at an imported figure instead of
repeating it, so a newer import updates it. The pointer is replaced by the
figure's own node, so a mistake or `explain` names the imported file and line
the value came from.
"""

from __future__ import annotations

from typing import Any

from ..errors import IvbError, Problem, did_you_mean
from ..i18n import tr
from ..model import FigurePointer
from ..provenance import Origin
from ..sources import MapNode, Node, ScalarNode, SeqNode

__all__ = ["resolve_figures"]

_FIELDS = tuple(FigurePointer.model_fields)


def resolve_figures(tree: MapNode, municipality_id: str, files: SeqNode) -> MapNode:
    """The tree with every `figure:` pointer replaced by the value it points at in the
    municipality's imported figure `files` (see figures/store.py)."""
    own = [f for f in files.items if isinstance(f, MapNode) and _text(f.get("owner"))
           == municipality_id]
    problems: list[Problem] = []
    result = _walk(tree, own, problems)
    if problems:
        raise IvbError(problems)
    assert isinstance(result, MapNode)
    return result


def _walk(node: Node, files: list[MapNode], problems: list[Problem]) -> Node:
    if isinstance(node, SeqNode):
        return SeqNode(tuple(_walk(item, files, problems) for item in node.items), node.origin)
    if not isinstance(node, MapNode):
        return node
    values = {k: _walk(v, files, problems) for k, v in node.values.items()}
    keys = dict(node.keys)
    pointer = values.get("figure")
    if isinstance(pointer, MapNode):
        found = _resolve(pointer, files, problems)
        del values["figure"], keys["figure"]
        if found is not None:
            value, year, source = found
            for key, new in (("value", value), ("year", year), ("source", source)):
                if key not in values and (key != "year" or "indicator" not in values):
                    values[key], keys[key] = new, new.origin
    return MapNode(values, keys, node.origin)


def _resolve(pointer: MapNode, files: list[MapNode],
             problems: list[Problem]) -> tuple[Node, ScalarNode, ScalarNode] | None:
    wanted = {k: pointer.get(k) for k in _FIELDS}
    missing = [k for k, v in wanted.items() if not isinstance(v, ScalarNode)]
    if missing:
        problems.append(Problem("figure-field", tr("a figure needs '{field}'", field=missing[0]),
                                pointer.origin,
                                tr("write e.g. 'figure: {{table: 83648NED, category: "
                                   "\"Misdrijven, totaal\", topic: "
                                   "GeregistreerdeMisdrijvenPer1000Inw_3, year: 2018}}'")))
        return None
    table, category, topic, year = (wanted[k].value for k in _FIELDS)  # type: ignore[union-attr]
    file = next((f for f in files if _text(f.get("table")) == table), None)
    if file is None:
        tables = [str(t) for f in files if (t := _text(f.get("table")))]
        problems.append(Problem("figure-table", tr("no imported figures of table '{table}' for "
                                                   "this municipality", table=table),
                                _at(pointer, "table"),
                                did_you_mean(str(table), tables) or
                                tr("import them first: ivbcompose import-figures <export>")))
        return None
    series = file.get("series")
    candidates = [s for s in series.items if isinstance(s, MapNode)] \
        if isinstance(series, SeqNode) else []
    match = next((s for s in candidates if category in (_text(s.get("category")),
                                                        _text(s.get("label")))
                  and _text(s.get("topic")) == topic), None)
    if match is None:
        topics = sorted({t for s in candidates if (t := _text(s.get("topic")))})
        problems.append(Problem("figure-series", tr("table '{table}' has no figures of "
                                                    "'{category}' / '{topic}'", table=table,
                                                    category=category, topic=topic),
                                _at(pointer, "topic"),
                                did_you_mean(str(topic), topics) or
                                tr("topics: {names}", names=", ".join(topics))))
        return None
    values = match.get("values")
    value = values.get(year) if isinstance(values, MapNode) else None
    if not isinstance(value, ScalarNode) or value.value is None:
        years = [str(y) for y in values.values] if isinstance(values, MapNode) else []
        problems.append(Problem("figure-year", tr("table '{table}' has no figure for {year}",
                                                  table=table, year=year),
                                _at(pointer, "year"), tr("years: {years}", years=", ".join(years))))
        return None
    source = ScalarNode(f"CBS StatLine {table}", file.origin)
    return value, wanted["year"], source  # type: ignore[return-value]


def _at(node: MapNode, key: str) -> Origin:
    value = node.get(key)
    return value.origin if value is not None else node.origin


def _text(node: Any) -> Any:
    return node.value if isinstance(node, ScalarNode) else None
