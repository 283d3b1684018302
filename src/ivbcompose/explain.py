"""`ivbcompose explain`: every value of a composed document with where it came from.

In the spirit of `puppet lookup --explain` and `spack config blame`: for one
item, one field or the whole document, each value is listed with the file,
line and column that produced it, the change that put it there, and for a
changed value the shared value it replaced. Items a municipality removed are
listed with the change and its reason. Values are shown as written in the
YAML, before template variables are filled in.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from .compose import Composition
from .errors import did_you_mean
from .i18n import Language, Message, language_for, tr
from .provenance import ChangeRef, Op, Origin
from .sources import (
    MapNode,
    Node,
    Path_,
    ScalarNode,
    SeqNode,
    find_ids,
    locate,
    node_at,
    plain_value,
)
from .sources import item_id as id_of

__all__ = ["Explanation", "UnknownAddress", "explain", "explanation_json", "format_explanation"]


class UnknownAddress(LookupError):
    """An address on the command line that names no item or field."""

    def __init__(self, address: str, hint: str | None) -> None:
        self.address = address
        self.hint = hint
        super().__init__(tr("nothing at '{address}'; {hint}", address=address, hint=hint)
                         if hint else tr("nothing at '{address}'", address=address))


@dataclass(frozen=True)
class Explanation:
    """One value, or one removed item, and its provenance."""

    address: str
    value: Any
    origin: Origin
    shared_value: Any = None
    shared_origin: Origin | None = None
    removed_by: ChangeRef | None = None
    reason: str | None = None
    moved_by: ChangeRef | None = None
    moved_to: str | None = None


def explain(composition: Composition, address: str | None = None) -> list[Explanation]:
    """Explanations for `address` (`id`, `id.field…`, `document.period`), or the whole document."""
    tree = composition.overlay.tree
    figures = composition.figures
    if figures is not None and figures.nodes.items:
        # The imported figures are kept beside the tree (see compose), and explained too.
        tree = MapNode({**tree.values, "figures": figures.nodes},
                       {**tree.keys, "figures": figures.nodes.origin}, tree.origin)
    removals = [r for r in composition.overlay.applied if r.change.operation is Op.REMOVE]
    moves = [_move(composition, r.item_id) for r in composition.overlay.applied
             if r.change.operation is Op.MOVE]
    if address is None:
        found = list(_leaves(tree, (), ""))
        found += [_removal(composition, record.item_id) for record in removals]
        found += moves
        return [e for e in found if e is not None]
    start = locate(tree, address)
    if start is None:
        removal = _removal(composition, address.split(".")[0])
        if removal is not None:
            return [removal]
        raise UnknownAddress(address, _suggest(tree, address) or tr(
            "give the id of an item, optionally with a field, e.g. 'jeugd-en-veiligheid.title'; "
            "'ivbcompose explain {municipality}' lists them all",
            municipality=composition.municipality_id))
    path, node = start
    moved = [m for m in moves if m is not None and m.address == address.split(".")[0]]
    return moved + [_with_shared(composition, e) for e in _leaves(node, path, address)]


def _suggest(tree: MapNode, address: str) -> str | None:
    """Did-you-mean for the first part of an address that does not exist."""
    parts = address.split(".")
    for end in range(len(parts) - 1, 0, -1):
        found = locate(tree, ".".join(parts[:end]))
        if found is not None:
            node = found[1]
            fields = [str(k) for k in node.values] if isinstance(node, MapNode) else []
            return did_you_mean(parts[end], fields)
    known = list(find_ids(tree)) + [str(k) for k in tree.values]
    return did_you_mean(parts[0], known)


def _leaves(node: Node, path: Path_, label: str) -> Iterator[Explanation]:
    """Every scalar under `node`; labels restart at each item with an id."""
    if isinstance(node, MapNode):
        item_id = node.values.get("id")
        if isinstance(item_id, ScalarNode) and isinstance(item_id.value, str) \
                and label.split(".")[0] != item_id.value:
            label = item_id.value
        for key, child in node.values.items():
            yield from _leaves(child, (*path, key), f"{label}.{key}" if label else str(key))
    elif isinstance(node, SeqNode):
        for index, child in enumerate(node.items):
            yield from _leaves(child, (*path, index), f"{label}.{index}")
    else:
        yield Explanation(label, node.value, node.origin)


def _with_shared(composition: Composition, explanation: Explanation) -> Explanation:
    """Add the shared value an overridden value replaced."""
    if explanation.origin.file.startswith("shared/"):
        return explanation
    via = explanation.origin.via
    if via is not None and via.operation in (Op.ADD, Op.APPEND):
        return explanation  # a new value replaced nothing
    if via is not None and via.operation is Op.REPLACE:
        # A replaced list is replaced wholesale: show the whole shared list it replaced.
        whole = locate(composition.shared, via.target)
        if whole is not None and isinstance(whole[1], SeqNode):
            return Explanation(explanation.address, explanation.value, explanation.origin,
                               plain_value(whole[1]), whole[1].origin)
    found = locate(composition.shared, explanation.address)
    if found is None or not isinstance(found[1], ScalarNode):
        return explanation
    shared = found[1]
    return Explanation(explanation.address, explanation.value, explanation.origin, shared.value,
                       shared.origin)


def _removal(composition: Composition, item_id: str) -> Explanation | None:
    for record in composition.overlay.applied:
        if record.change.operation is Op.REMOVE and record.item_id == item_id:
            origin = record.before.origin if record.before is not None else Origin("?")
            return Explanation(item_id, None, origin, removed_by=record.change.ref,
                               reason=record.change.reason)
    return None


def _move(composition: Composition, item_id: str) -> Explanation | None:
    """Where a moved item went: the change, and the item whose part it now is."""
    record = next((r for r in reversed(composition.overlay.applied)
                   if r.change.operation is Op.MOVE and r.item_id == item_id), None)
    found = locate(composition.overlay.tree, item_id)
    if record is None or found is None:
        return None
    path = found[0]
    parents = (id_of(node_at(composition.overlay.tree, path[:end]))
               for end in range(len(path) - 1, -1, -1))
    parent = next((p for p in parents if p is not None), None) or str(path[0])
    return Explanation(item_id, None, found[1].origin, moved_by=record.change.ref,
                       moved_to=parent, reason=record.change.reason)


def _shown(value: Any, width: int = 72) -> str:
    if isinstance(value, date):
        value = value.isoformat()
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= width else text[: width - 2] + "…\""


_ENGLISH = language_for("en")
# The labels of the text form (the operations in brackets are YAML keys: not translated).
_REMOVED = tr("(removed)")
_MOVED = tr("(moved)")
_REMOVED_AT = tr("removed")
_MOVED_AT = tr("moved")
_REASON = tr("reason")
_SHARED = tr("shared")
_NOW_IN = tr("now in")
_ADDED_BY = tr("added by")
_SET_BY = tr("set by")
_IMPORTED = tr("imported")
_FROM = tr("from")
_LABELS = (_REMOVED_AT, _MOVED_AT, _REASON, _SHARED, _NOW_IN, _ADDED_BY, _SET_BY, _IMPORTED,
           _FROM)


def format_explanation(explanations: list[Explanation], language: Language | None = None) -> str:
    """The text form: one block per value, aligned like a blame, in `language` (English)."""
    say = (language or _ENGLISH).text
    # Labels are padded to the longest in this language, so the values line up.
    width = max(len(say(label)) for label in _LABELS)

    def line(label: Message, text: str) -> str:
        return f"  {say(label):{width}} {text}"

    lines: list[str] = []
    for e in explanations:
        if e.removed_by is not None:
            lines.append(f"{e.address}  {say(_REMOVED)}")
            lines.append(line(_REMOVED_AT, f"{e.removed_by.file}:{e.removed_by.line}:"
                              f"{e.removed_by.column}  (remove {e.removed_by.target})"))
            lines.append(line(_REASON, f"{e.reason}"))
            lines.append(line(_SHARED, e.origin.location()))
            continue
        if e.moved_by is not None:
            lines.append(f"{e.address}  {say(_MOVED)}")
            lines.append(line(_MOVED_AT, f"{e.moved_by.file}:{e.moved_by.line}:"
                              f"{e.moved_by.column}  (move {e.moved_by.target})"))
            lines.append(line(_NOW_IN, f"{e.moved_to}"))
            if e.reason:
                lines.append(line(_REASON, e.reason))
            continue
        lines.append(f"{e.address} = {_shown(e.value)}")
        via = e.origin.via
        if via is not None:
            verb = _ADDED_BY if via.operation in (Op.ADD, Op.APPEND) else _SET_BY
            lines.append(line(verb, f"{e.origin.location()}  ({via.operation} {via.target})"))
        elif "/figures/" in e.origin.file or e.origin.file.startswith("shared/figures/"):
            lines.append(line(_IMPORTED, e.origin.location()))
        elif not e.origin.file.startswith("shared/"):
            lines.append(line(_SET_BY, e.origin.location()))
        else:
            lines.append(line(_FROM, e.origin.location()))
        if e.shared_origin is not None:
            lines.append(line(_SHARED, f"{e.shared_origin.location()}  "
                              f"{_shown(e.shared_value)}"))
    return "\n".join(lines)


def explanation_json(explanations: list[Explanation]) -> list[dict[str, Any]]:
    """The JSON form, for editors and scripts."""
    def origin(o: Origin | None) -> dict[str, Any] | None:
        if o is None:
            return None
        return {"file": o.file, "line": o.line or None, "column": o.column or None}

    def change(c: ChangeRef | None) -> dict[str, Any] | None:
        if c is None:
            return None
        return {"file": c.file, "line": c.line, "column": c.column, "operation": c.operation,
                "target": c.target}

    result = []
    for e in explanations:
        value = e.value.isoformat() if isinstance(e.value, date) else e.value
        shared = e.shared_value.isoformat() if isinstance(e.shared_value, date) \
            else e.shared_value
        result.append({
            "address": e.address,
            "value": value,
            "origin": origin(e.origin),
            "change": change(e.removed_by or e.moved_by or e.origin.via),
            "removed": e.removed_by is not None,
            "moved_to": e.moved_to,
            "reason": e.reason,
            "shared": None if e.shared_origin is None else {"value": shared,
                                                            **(origin(e.shared_origin) or {})},
        })
    return result
