"""How a municipality's document differs from the shared part, derived from provenance.

The overlay records every change it applied; this module turns those records
into `Difference`s a reader understands: which item was added, extended,
changed or removed, with its Dutch label, the fields involved and the reason.
The document's appendix, the review marks and `ivbcompose compare` all read
them, so none of them is typed by hand.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from .nl import FIELD_LABELS
from .overlay import AppliedChange
from .provenance import ChangeRef
from .sources import (
    MapNode,
    Node,
    Path_,
    ScalarNode,
    SeqNode,
    find_ids,
    item_id,
    locate,
    node_at,
)

__all__ = ["Difference", "differences"]

Kind = Literal["added", "extended", "changed", "removed"]

_KIND: dict[str, Kind] = {"add": "added", "append": "extended", "replace": "changed",
                          "update": "changed", "remove": "removed"}
_LABEL_FIELDS = ("title", "name", "label", "caption", "action")


@dataclass(frozen=True)
class Difference:
    """One local difference.

    `item_id` is the item the change is about and `ancestors` the ids of the
    items that contain it, nearest first (so a reader of the difference can
    find where it shows in the document), `parent` the label of the nearest
    one. `fields` are the changed field names, `values` the appended values.
    """

    kind: Kind
    item_id: str
    label: str
    ancestors: tuple[str, ...]
    parent: str
    previous_label: str | None
    added_fields: tuple[str, ...]
    fields: tuple[str, ...]
    values: tuple[str, ...]
    reason: str | None
    change: ChangeRef

    @property
    def field_labels(self) -> tuple[str, ...]:
        return tuple(FIELD_LABELS.get(field, field) for field in self.fields)


def differences(applied: tuple[AppliedChange, ...], result: MapNode, base: MapNode,
                render: Callable[[str], str] = lambda text: text,
                reasons: Mapping[ChangeRef, str] | None = None) -> tuple[Difference, ...]:
    """The differences made by `applied`, labelled from the result (or the base for removals).

    `render` fills in template variables in labels (a removed partner may be
    named "Gemeente {{ gemeente }}, Sociaal Domein" in the shared part);
    `reasons` are the changes' reasons as rendered (default: as written).
    """
    reasons = reasons or {}
    found = []
    for record in applied:
        # Where the item is now; a removed item (or one whose container a later
        # change removed) is found in the shared part instead.
        trees = (base,) if record.change.operation == "remove" else (result, base)
        tree, places = next(((t, p) for t in trees if (p := find_ids(t).get(record.item_id))),
                            (base, []))
        path, item = places[0] if places else ((), None)
        found.append(Difference(
            kind=_KIND[record.change.operation],
            item_id=record.item_id,
            label=render(_label(item, record.item_id)),
            ancestors=(ancestors := _ancestors(tree, path)),
            parent=render(_label(_item(tree, ancestors[0]), "")) if ancestors else "",
            previous_label=_previous_label(record, render),
            added_fields=_added_fields(record),
            fields=_fields(record),
            values=tuple(render(str(_scalar(node))) for node in _appended(record)),
            reason=reasons.get(record.change.ref, record.change.reason),
            change=record.change.ref,
        ))
    return tuple(found)


def _added_fields(record: AppliedChange) -> tuple[str, ...]:
    """Fields an update set that the item did not have before (added, not changed)."""
    if record.change.operation != "update" or not isinstance(record.before, MapNode) \
            or not isinstance(record.change.value, MapNode):
        return ()
    return tuple(str(key) for key in record.change.value.values if key not in record.before.values)


def _previous_label(record: AppliedChange, render: Callable[[str], str]) -> str | None:
    """The item's label before a change that renamed it, else None."""
    if record.change.operation not in ("replace", "update") or record.after is None:
        return None
    before = record.before if isinstance(record.before, MapNode) else None
    after = record.after if isinstance(record.after, MapNode) else None
    if before is None or after is None:
        return None
    old, new = _label(before, ""), _label(after, "")
    return render(old) if old and old != new else None


def _item(tree: MapNode, item_id: str) -> MapNode | None:
    found = locate(tree, item_id)
    return found[1] if found is not None and isinstance(found[1], MapNode) else None


def _label(item: MapNode | None, fallback: str) -> str:
    if item is not None:
        for field in _LABEL_FIELDS:
            value = item.values.get(field)
            if isinstance(value, ScalarNode) and isinstance(value.value, str):
                return value.value
    return fallback


def _ancestors(tree: MapNode, path: Path_) -> tuple[str, ...]:
    """The ids of the items that contain the node at `path`, nearest first."""
    ids = (item_id(node_at(tree, path[:end])) for end in range(len(path) - 1, -1, -1))
    return tuple(found for found in ids if found is not None)


def _fields(record: AppliedChange) -> tuple[str, ...]:
    change = record.change
    address = change.to if change.operation == "append" else change.target
    _, *fields = (address or "").split(".")
    if change.operation == "update" and isinstance(change.value, MapNode):
        return (*fields, *(str(key) for key in change.value.values)) if not fields \
            else tuple(fields)
    if change.operation in ("add", "append") and record.path:
        # add and append name the list they extend (items, attention, ...).
        return (str(record.path[-2 if change.operation == "add" else -1]),)
    return tuple(fields)


def _appended(record: AppliedChange) -> tuple[Node, ...]:
    if record.change.operation != "append" or record.change.value is None:
        return ()
    value = record.change.value
    return value.items if isinstance(value, SeqNode) else (value,)


def _scalar(node: Node) -> object:
    if isinstance(node, ScalarNode):
        return node.value
    if isinstance(node, MapNode):
        return _label(node, "")
    return ""
