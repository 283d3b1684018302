"""`ivbcompose compare`: which items differ between the municipalities, side by side.

For the basisteam's triangle meeting: one row per item that at least one
municipality added, changed or removed, one column per municipality, each cell
saying whether that municipality keeps the shared item, changed it, added it,
removed it, or does not have it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from .compose import Composition
from .i18n import Language, language_for, tr
from .sources import find_ids

__all__ = ["Comparison", "ComparisonRow", "compare", "comparison_markdown", "comparison_text"]

State = Literal["shared", "changed", "moved", "added", "removed", "absent"]
_ORDER: dict[str, State] = {"removed": "removed", "added": "added", "changed": "changed",
                            "extended": "changed", "moved": "moved"}


@dataclass(frozen=True)
class ComparisonRow:
    item_id: str
    label: str
    states: tuple[State, ...]


@dataclass(frozen=True)
class Comparison:
    municipalities: tuple[str, ...]
    rows: tuple[ComparisonRow, ...]


def compare(compositions: Sequence[Composition]) -> Comparison:
    """The matrix of differing items (rows) by municipality (columns)."""
    labels: dict[str, str] = {}
    for composition in compositions:
        for difference in composition.differences:
            labels.setdefault(difference.item_id, difference.label)
    rows = []
    for item_id, label in labels.items():
        states = tuple(_state(composition, item_id) for composition in compositions)
        rows.append(ComparisonRow(item_id, label, states))
    names = tuple(c.ivb.municipality.name for c in compositions)
    return Comparison(names, tuple(rows))


def _state(composition: Composition, item_id: str) -> State:
    kinds = {d.kind for d in composition.differences if d.item_id == item_id}
    for kind in ("removed", "added", "changed", "extended", "moved"):
        if kind in kinds:
            return _ORDER[kind]
    return "shared" if item_id in find_ids(composition.overlay.tree) else "absent"


_SHOWN = {"shared": tr("shared"), "changed": tr("changed"), "moved": tr("moved"),
          "added": tr("added"), "removed": tr("removed"), "absent": "-"}


def _table(comparison: Comparison, language: Language | None) -> list[list[str]]:
    say = (language or language_for("en")).text
    header = [say(tr("item")), *comparison.municipalities]
    body = [[f"{row.label} ({row.item_id})", *(say(_SHOWN[s]) for s in row.states)]
            for row in comparison.rows]
    return [header, *body]


def comparison_text(comparison: Comparison, language: Language | None = None) -> str:
    """An aligned table for the terminal (in `language`, default English)."""
    table = _table(comparison, language)
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
             for row in table]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def comparison_markdown(comparison: Comparison, language: Language | None = None) -> str:
    """A GFM table for the meeting's notes."""
    table = _table(comparison, language)

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"

    separator = ["---"] * len(table[0])
    return "\n".join([line(table[0]), line(separator), *(line(row) for row in table[1:])])
