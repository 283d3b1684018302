"""The five change operations, each a pure function behind one interface.

An operation takes the tree as it is after the earlier changes and one
`Change`, and returns the new tree and an `AppliedChange` record; it raises
`ChangeFailed` when its change does not hit exactly one target. `OPERATIONS`
maps each operation's name to its function.
"""

from __future__ import annotations

from collections.abc import Callable

from ..errors import Problem, did_you_mean
from ..sources import MapNode, Node, SeqNode, find_ids
from ..sources import item_id as id_of
from .changes import AppliedChange, Change, ChangeFailed
from .tree import deep_merge, find_list, get_node, resolve, set_node, stamp

__all__ = ["OPERATIONS", "Operation"]


def _add(tree: Node, change: Change) -> tuple[Node, AppliedChange]:
    assert change.value is not None and change.to is not None
    existing = find_ids(tree).get(change.target)
    if existing:
        where = existing[0][1].values["id"].origin.location()
        raise ChangeFailed(Problem("id-exists", f"an item with id '{change.target}' already "
                                    f"exists (at {where})", change.value.origin,
                                    "use 'update' or 'replace' to change it, or choose a new id"))
    list_path = find_list(tree, change.to, change.field_origin("to"))
    items = get_node(tree, list_path)
    assert isinstance(items, SeqNode)
    position = len(items.items)
    anchor = change.after or change.before
    if anchor is not None:
        siblings = [id_of(item) for item in items.items]
        if anchor not in siblings:
            key = "after" if change.after else "before"
            hint = did_you_mean(anchor, [s for s in siblings if s]) or (
                "items here: " + ", ".join(s for s in siblings if s))
            raise ChangeFailed(Problem("unknown-anchor", f"'{anchor}' is not an item of "
                                        f"'{change.to}'", change.field_origin(key), hint))
        position = siblings.index(anchor) + (1 if change.after else 0)
    new_items = list(items.items)
    new_items.insert(position, stamp(change.value, change.ref))
    tree = set_node(tree, list_path, SeqNode(tuple(new_items), items.origin))
    return tree, AppliedChange(change, change.target, (*list_path, position), None,
                               get_node(tree, (*list_path, position)))


def _append(tree: Node, change: Change) -> tuple[Node, AppliedChange]:
    assert change.value is not None
    list_path = find_list(tree, change.target, change.field_origin("to"))
    items = get_node(tree, list_path)
    assert isinstance(items, SeqNode)
    added = change.value.items if isinstance(change.value, SeqNode) else (change.value,)
    stamped = tuple(stamp(item, change.ref) for item in added)
    new_list = SeqNode(items.items + stamped, items.origin)
    owner = change.target.split(".")[0]
    return set_node(tree, list_path, new_list), AppliedChange(change, owner, list_path, items,
                                                          new_list)


def _replace(tree: Node, change: Change) -> tuple[Node, AppliedChange]:
    value = change.value
    assert value is not None
    item_id, item_path, path = resolve(tree, change.target, change.field_origin("replace"))
    old = get_node(tree, path)
    if path == (*item_path, "id"):
        raise ChangeFailed(Problem("replace-id", "an id cannot be replaced",
                                   change.field_origin("replace"),
                                   "remove the item and add a new one to change an id"))
    if path == item_path:
        if not isinstance(value, MapNode):
            raise ChangeFailed(Problem("replace-type", f"replacing item '{item_id}' needs a "
                                        "mapping with its fields", value.origin,
                                        f"to replace one field, write "
                                        f"'replace: {item_id}.<field>'"))
        new_id = id_of(value)
        if new_id is None:
            assert isinstance(old, MapNode)
            value = MapNode({"id": old.values["id"], **value.values},
                            {"id": old.keys["id"], **value.keys}, value.origin)
        elif new_id != item_id:
            raise ChangeFailed(Problem("replace-id", f"a replacement keeps the id '{item_id}'",
                                        value.values["id"].origin,
                                        "remove the item and add a new one to change an id"))
    new = stamp(value, change.ref)
    return set_node(tree, path, new), AppliedChange(change, item_id, path, old, new)


def _update(tree: Node, change: Change) -> tuple[Node, AppliedChange]:
    value = change.value
    item_id, item_path, path = resolve(tree, change.target, change.field_origin("update"))
    old = get_node(tree, path)
    if not isinstance(old, MapNode):
        raise ChangeFailed(Problem("update-target", f"'{change.target}' is not a mapping",
                                    change.field_origin("update"),
                                    f"use 'replace: {change.target}' to replace a single value"))
    if not isinstance(value, MapNode):
        raise ChangeFailed(Problem("update-type", "'with' of an update must be a mapping",
                                    change.field_origin("with"),
                                    "write the fields to change under 'with:', e.g. "
                                    "'with: {title: Nieuwe titel}'"))
    new_id = id_of(value)
    if path == item_path and new_id is not None and new_id != item_id:
        raise ChangeFailed(Problem("update-id", "an update cannot change an id",
                                    value.values["id"].origin))
    new = deep_merge(old, value, lambda node: stamp(node, change.ref))
    return set_node(tree, path, new), AppliedChange(change, item_id, path, old, new)


def _remove(tree: Node, change: Change) -> tuple[Node, AppliedChange]:
    item_id, item_path, path = resolve(tree, change.target, change.field_origin("remove"))
    if path != item_path:
        raise ChangeFailed(Problem("remove-field", "remove takes an item id, not a field",
                                    change.field_origin("remove"),
                                    f"use 'replace: {change.target}' to change the field"))
    if not isinstance(get_node(tree, path[:-1]), SeqNode):
        # A chapter is a required part of every document, not an item of a list.
        raise ChangeFailed(Problem("remove-chapter", f"'{item_id}' is a part of every document "
                                   "and cannot be removed", change.field_origin("remove"),
                                   f"replace its text instead: 'replace: {item_id}.body'"))
    old = get_node(tree, path)
    return set_node(tree, path, None), AppliedChange(change, item_id, path, old, None)


Operation = Callable[[Node, Change], tuple[Node, AppliedChange]]

OPERATIONS: dict[str, Operation] = {
    "add": _add,
    "append": _append,
    "replace": _replace,
    "update": _update,
    "remove": _remove,
}
