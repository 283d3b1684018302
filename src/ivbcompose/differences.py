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
from functools import cache
from typing import Literal

from .model import Ivb, model_classes, naming_fields
from .overlay import AppliedChange, Op
from .provenance import ChangeRef
from .sources import (
    MapNode,
    Node,
    Path_,
    ScalarNode,
    SeqNode,
    find_ids,
    item_id,
    node_at,
)

__all__ = ["Difference", "differences"]

Kind = Literal["added", "extended", "changed", "removed", "moved"]

_KIND: dict[Op, Kind] = {Op.ADD: "added", Op.APPEND: "extended", Op.REPLACE: "changed",
                         Op.UPDATE: "changed", Op.REMOVE: "removed", Op.MOVE: "moved"}


@cache
def _label_fields() -> tuple[str, ...]:
    """The fields that name an item (a title, a name), as the model declares them.

    Asked for at run time: the model is complete (with its block types) only
    once the registry is loaded.
    """
    return naming_fields(model_classes(Ivb))


@dataclass(frozen=True)
class Difference:
    """One local difference.

    `item_id` is the item the change is about and `ancestors` the ids of the
    items that contain it, nearest first (so a reader of the difference can
    find where it shows in the document), `parent` the label of the nearest
    one that has a label (for a move: where it went, `previous_parent` where it
    was and `anchor` beside which item, 'vóór ‘Ondermijning’').
    `fields` are the changed field names and `field_labels` their Dutch names
    as the model declares them, `values` the appended values.
    """

    kind: Kind
    item_id: str
    label: str
    ancestors: tuple[str, ...]
    parent: str
    previous_label: str | None
    added_fields: tuple[str, ...]
    fields: tuple[str, ...]
    field_labels: tuple[str, ...]
    values: tuple[str, ...]
    reason: str | None
    change: ChangeRef
    previous_parent: str = ""
    anchor: str = ""

    @property
    def concerns(self) -> frozenset[str]:
        """The ids the difference is about: its item and every item that contains it."""
        return frozenset((self.item_id, *self.ancestors))


def differences(applied: tuple[AppliedChange, ...], result: MapNode, base: MapNode,
                render: Callable[[str], str] = lambda text: text,
                reasons: Mapping[ChangeRef, str] | None = None,
                field_label: Callable[[str, str], str] = lambda item, field: field,
                ) -> tuple[Difference, ...]:
    """The differences made by `applied`, labelled from the result (or the base for removals).

    `render` fills in template variables in labels (a removed partner may be
    named "Gemeente {{ gemeente }}, Sociaal Domein" in the shared part);
    `reasons` are the changes' reasons as rendered (default: as written);
    `field_label(item_id, field)` names a field of an item in Dutch.
    """
    reasons = reasons or {}
    found = []
    result_ids, base_ids = find_ids(result), find_ids(base)
    place = _document_place(result_ids, base_ids)
    for record in applied:
        # Where the item is now; a removed item (or one whose container a later
        # change removed) is found in the shared part instead.
        operation = record.change.operation
        indexes = ((base, base_ids),) if operation is Op.REMOVE else \
            ((result, result_ids), (base, base_ids))
        tree, tree_ids, places = next(((t, ids, p) for t, ids in indexes
                                       if (p := ids.get(record.item_id))), (base, base_ids, []))
        path, item = places[0] if places else ((), None)
        fields = _fields(record)
        ancestors = _ancestors(tree, path)
        found.append(Difference(
            kind=_KIND[operation],
            item_id=record.item_id,
            label=render(_label(item, "") or _parent_label(tree_ids, ancestors)
                         or record.item_id),
            ancestors=ancestors,
            parent=render(_parent_label(tree_ids, ancestors)),
            previous_label=_previous_label(record, render),
            added_fields=_added_fields(record),
            fields=fields,
            field_labels=tuple(field_label(record.item_id, field) for field in fields),
            values=tuple(render(str(_scalar(node))) for node in _appended(record)),
            reason=reasons.get(record.change.ref, record.change.reason),
            change=record.change.ref,
            previous_parent=_previous_parent(record, base, base_ids, render),
            anchor=_anchor(record, result_ids, render),
        ))
    # In the order of the document, not of the changes: the reader of the appendix
    # goes through it beside the document. Several changes of one item keep theirs.
    return tuple(sorted(found, key=place))


def _document_place(result_ids: dict[str, list[tuple[Path_, MapNode]]],
                    base_ids: dict[str, list[tuple[Path_, MapNode]]],
                    ) -> Callable[[Difference], tuple[int, int]]:
    """Where a difference's item is in the composed document, for sorting.

    `find_ids` lists ids parents first, in the order the tree holds them. A
    removed item takes the place just after the nearest item before it in the
    shared part that the document still has.
    """
    order = {item: index for index, item in enumerate(result_ids)}
    shared = list(base_ids)
    shared_index = {item: index for index, item in enumerate(shared)}

    def place(difference: Difference) -> tuple[int, int]:
        if difference.kind != "removed" and difference.item_id in order:
            return order[difference.item_id], 0
        index = shared_index.get(difference.item_id)
        if index is None:
            return -1, 0
        before = next((order[item] for item in reversed(shared[:index]) if item in order), -1)
        return before, 1 + index

    return place


def _previous_parent(record: AppliedChange, base: MapNode,
                     ids: dict[str, list[tuple[Path_, MapNode]]],
                     render: Callable[[str], str]) -> str:
    """Where a moved item was in the shared part (the label of the item that held it)."""
    places = ids.get(record.item_id)
    if record.change.operation is not Op.MOVE or not places:
        return ""
    return render(_parent_label(ids, _ancestors(base, places[0][0])))


def _anchor(record: AppliedChange, ids: dict[str, list[tuple[Path_, MapNode]]],
            render: Callable[[str], str]) -> str:
    """For a move placed after or before an item: 'vóór ‘Buurt & Veiligheid’'."""
    change = record.change
    anchor = change.after or change.before
    if change.operation is not Op.MOVE or anchor is None:
        return ""
    word = "na" if change.after else "vóór"
    return f"{word} ‘{render(_label(_item(ids, anchor), anchor))}’"


def _parent_label(ids: dict[str, list[tuple[Path_, MapNode]]],
                  ancestors: tuple[str, ...]) -> str:
    """The label of the nearest containing item that has one (a block has none: its
    section or chapter names the place); `ids` is the tree's `find_ids`."""
    for ancestor in ancestors:
        label = _label(_item(ids, ancestor), "")
        if label:
            return label
    return ""


def _added_fields(record: AppliedChange) -> tuple[str, ...]:
    """Fields an update set that the item did not have before (added, not changed)."""
    if record.change.operation is not Op.UPDATE or not isinstance(record.before, MapNode) \
            or not isinstance(record.change.value, MapNode):
        return ()
    return tuple(str(key) for key in record.change.value.values if key not in record.before.values)


def _previous_label(record: AppliedChange, render: Callable[[str], str]) -> str | None:
    """The item's label before a change that renamed it, else None."""
    if record.change.operation not in (Op.REPLACE, Op.UPDATE) or record.after is None:
        return None
    before = record.before if isinstance(record.before, MapNode) else None
    after = record.after if isinstance(record.after, MapNode) else None
    if before is None or after is None:
        return None
    old, new = _label(before, ""), _label(after, "")
    return render(old) if old and old != new else None


def _item(ids: dict[str, list[tuple[Path_, MapNode]]], item_id: str) -> MapNode | None:
    # Looked up in the tree's index, made once: walking the tree per item was quadratic.
    places = ids.get(item_id)
    return places[0][1] if places else None


def _label(item: MapNode | None, fallback: str) -> str:
    if item is not None:
        for field in _label_fields():
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
    if change.operation is Op.MOVE:
        return ()
    address = change.to if change.operation is Op.APPEND else change.target
    _, *fields = (address or "").split(".")
    if change.operation is Op.UPDATE and isinstance(change.value, MapNode):
        return (*fields, *(str(key) for key in change.value.values)) if not fields \
            else tuple(fields)
    if change.operation in (Op.ADD, Op.APPEND) and record.path:
        # add and append name the list they extend (items, attention, ...).
        return (str(record.path[-2 if change.operation is Op.ADD else -1]),)
    return tuple(fields)


def _appended(record: AppliedChange) -> tuple[Node, ...]:
    if record.change.operation is not Op.APPEND or record.change.value is None:
        return ()
    value = record.change.value
    return value.items if isinstance(value, SeqNode) else (value,)


def _scalar(node: Node) -> object:
    if isinstance(node, ScalarNode):
        return node.value
    if isinstance(node, MapNode):
        return _label(node, "")
    return ""
