"""The six change operations, each a pure function behind one interface.

An operation takes the tree as it is after the earlier changes and one
`Change`, and returns the new tree and an `AppliedChange` record; it raises
`ChangeFailed` when its change does not hit exactly one target. `OPERATIONS`
maps each operation to its function.
"""

from __future__ import annotations

from collections.abc import Callable

from ..errors import Problem, did_you_mean
from ..i18n import tr
from ..provenance import Op, Origin
from ..sources import MapNode, Node, Path_, ScalarNode, SeqNode, find_item, ids_inside
from ..sources import item_id as id_of
from .changes import AppliedChange, Change, ChangeFailed
from .tree import (
    OUTLINE_KEYS,
    check_depth,
    deep_merge,
    find_list,
    get_node,
    list_kind,
    resolve,
    set_node,
    stamp,
)

__all__ = ["OPERATIONS", "Operation"]

# Set by the shared part only: a municipality cannot lift the protection it gives.
_SHARED_ONLY = "required"


def _add(tree: Node, change: Change) -> tuple[Node, AppliedChange]:
    assert change.value is not None and change.to is not None
    existing = find_item(tree, change.target)
    if existing is not None:
        where = existing[1].values["id"].origin.location()
        raise ChangeFailed(Problem("id-exists", tr("an item with id '{id}' already exists (at "
                                                   "{place})", id=change.target, place=where),
                                   change.value.origin,
                                   tr("use 'update' or 'replace' to change it, or choose a new "
                                      "id")))
    _refuse_shared_only(change.value)
    tree, list_path = find_list(tree, change.to, change.field_origin("to"), change.ref)
    check_depth(list_path, change.value, change.field_origin("to"))
    position = _position(tree, list_path, change)
    tree = _insert(tree, list_path, position, stamp(change.value, change.ref))
    return tree, AppliedChange(change, change.target, (*list_path, position), None,
                               get_node(tree, (*list_path, position)))


def _position(tree: Node, list_path: Path_, change: Change) -> int:
    """Where in the list an item goes: after or before an anchor, else at the end."""
    items = get_node(tree, list_path)
    assert isinstance(items, SeqNode)
    anchor = change.after or change.before
    if anchor is None:
        return len(items.items)
    siblings = [id_of(item) for item in items.items]
    if anchor not in siblings:
        key = "after" if change.after else "before"
        where = change.to or ".".join(map(str, list_path))
        hint = did_you_mean(anchor, [s for s in siblings if s]) or tr(
            "items here: {names}", names=", ".join(s for s in siblings if s))
        raise ChangeFailed(Problem("unknown-anchor", tr("'{id}' is not an item of '{list}'",
                                                        id=anchor, list=where),
                                   change.field_origin(key), hint), missing_id=anchor)
    return siblings.index(anchor) + (1 if change.after else 0)


def _insert(tree: Node, list_path: Path_, position: int, node: Node) -> Node:
    items = get_node(tree, list_path)
    assert isinstance(items, SeqNode)
    # What the list gains is what the item holds: known without a pass over the list.
    if position == len(items.items):
        return set_node(tree, list_path, items.appending(node), ids_inside(node))
    new_items = list(items.items)
    new_items.insert(position, node)
    return set_node(tree, list_path, SeqNode(tuple(new_items), items.origin), ids_inside(node))


def _append(tree: Node, change: Change) -> tuple[Node, AppliedChange]:
    assert change.value is not None
    tree, list_path = find_list(tree, change.target, change.field_origin("to"))
    items = get_node(tree, list_path)
    assert isinstance(items, SeqNode)
    added = change.value.items if isinstance(change.value, SeqNode) else (change.value,)
    stamped = tuple(stamp(item, change.ref) for item in added)
    new_list = SeqNode(items.items + stamped, items.origin)
    owner = change.target.split(".")[0]
    gained = tuple(found for item in stamped for found in ids_inside(item))
    return set_node(tree, list_path, new_list, gained), AppliedChange(change, owner, list_path,
                                                                      items, new_list)


def _replace(tree: Node, change: Change) -> tuple[Node, AppliedChange]:
    value = change.value
    assert value is not None
    item_id, item_path, path = resolve(tree, change.target, change.field_origin("replace"))
    old = get_node(tree, path)
    if path == (*item_path, "id"):
        raise ChangeFailed(Problem("replace-id", tr("an id cannot be replaced"),
                                   change.field_origin("replace"),
                                   tr("remove the item and add a new one to change an id")))
    if path and path[-1] == _SHARED_ONLY:
        _refuse_shared_only(MapNode({_SHARED_ONLY: value}, {_SHARED_ONLY: value.origin},
                                    value.origin))
    if path == item_path:
        if not isinstance(value, MapNode):
            raise ChangeFailed(Problem("replace-type", tr("replacing item '{id}' needs a "
                                                          "mapping with its fields", id=item_id),
                                       value.origin,
                                       tr("to replace one field, write 'replace: {id}.<field>'",
                                          id=item_id)))
        new_id = id_of(value)
        if new_id is not None and new_id != item_id:
            raise ChangeFailed(Problem("replace-id", tr("a replacement keeps the id '{id}'",
                                                        id=item_id),
                                       value.values["id"].origin,
                                       tr("remove the item and add a new one to change an id")))
        _refuse_shared_only(value)
        assert isinstance(old, MapNode)
        # The id, and a protection the shared part gave, stay with the item.
        kept = [key for key in ("id", _SHARED_ONLY) if key in old.values]
        value = MapNode({**{k: old.values[k] for k in kept}, **value.values},
                        {**{k: old.keys[k] for k in kept}, **value.keys}, value.origin)
        new = MapNode({k: v if k in kept else stamp(v, change.ref)
                       for k, v in value.values.items()},
                      {k: o if k in kept else o.with_change(change.ref)
                       for k, o in value.keys.items()}, value.origin.with_change(change.ref))
    else:
        new = stamp(value, change.ref)
    return set_node(tree, path, new), AppliedChange(change, item_id, path, old, new)


def _update(tree: Node, change: Change) -> tuple[Node, AppliedChange]:
    value = change.value
    item_id, item_path, path = resolve(tree, change.target, change.field_origin("update"))
    old = get_node(tree, path)
    if not isinstance(old, MapNode):
        raise ChangeFailed(Problem("update-target", tr("'{address}' is not a mapping",
                                                       address=change.target),
                                   change.field_origin("update"),
                                   tr("use 'replace: {address}' to replace a single value",
                                      address=change.target)))
    if not isinstance(value, MapNode):
        raise ChangeFailed(Problem("update-type", tr("'with' of an update must be a mapping"),
                                   change.field_origin("with"),
                                   # With a value, so the doubled braces are formatted.
                                   tr("write the fields to change under 'with:', e.g. "
                                      "'with: {{title: {title}}}'", title="Nieuwe titel")))
    new_id = id_of(value)
    if path == item_path and new_id is not None and new_id != item_id:
        raise ChangeFailed(Problem("update-id", tr("an update cannot change an id"),
                                   value.values["id"].origin,
                                   tr("leave 'id' out of 'with'; to change an id, remove the "
                                      "item and add a new one")))
    _refuse_shared_only(value)
    new = deep_merge(old, value, lambda node: stamp(node, change.ref))
    return set_node(tree, path, new), AppliedChange(change, item_id, path, old, new)


def _refuse_shared_only(value: Node) -> None:
    if isinstance(value, MapNode) and _SHARED_ONLY in value.values:
        raise ChangeFailed(Problem("shared-only", tr("'{key}' is set by the shared part, not "
                                                     "by a municipality", key=_SHARED_ONLY),
                                   value.keys[_SHARED_ONLY],
                                   tr("leave '{key}' out; ask the regional team if the chapter "
                                      "should no longer be required", key=_SHARED_ONLY)))


def _item_in_list(tree: Node, change: Change, key: str) -> tuple[str, Path_]:
    """The id and path of the item a remove or move names; it must be an item of a list."""
    item_id, item_path, path = resolve(tree, change.target, change.field_origin(key))
    if path != item_path:
        raise ChangeFailed(Problem(f"{key}-field", tr("{operation} takes an item id, not a "
                                                      "field", operation=key),
                                   change.field_origin(key),
                                   tr("use 'replace: {address}' to change the field",
                                      address=change.target)))
    if not item_path or not isinstance(get_node(tree, item_path[:-1]), SeqNode):
        raise ChangeFailed(Problem(f"{key}-part", tr("'{id}' is a part of every document, not "
                                                     "an item of a list", id=item_id),
                                   change.field_origin(key),
                                   tr("change its fields instead, e.g. 'update: {id}'",
                                      id=item_id)))
    return item_id, item_path


def _remove(tree: Node, change: Change) -> tuple[Node, AppliedChange]:
    item_id, path = _item_in_list(tree, change, "remove")
    old = get_node(tree, path)
    required = old.values.get(_SHARED_ONLY) if isinstance(old, MapNode) else None
    if isinstance(required, ScalarNode) and required.value is True:
        raise ChangeFailed(Problem("remove-required", tr("'{id}' is required: the shared part "
                                                         "marks it 'required: true' (at "
                                                         "{place})", id=item_id,
                                                         place=required.origin.location()),
                                   change.field_origin("remove"),
                                   tr("a required chapter stays in every document; change its "
                                      "text instead, e.g. 'replace: {id}.body'", id=item_id)))
    result = set_node(tree, path, None)
    parent = get_node(result, path[:-1])
    if isinstance(parent, SeqNode) and not parent.items:
        # The last item went: a list that may not be empty is then reported at this remove,
        # the change that emptied it, not at the shared file that filled it.
        result = set_node(result, path[:-1],
                          SeqNode((), change.field_origin("remove").with_change(change.ref)))
    return result, AppliedChange(change, item_id, path, old, None)


def _move(tree: Node, change: Change) -> tuple[Node, AppliedChange]:
    item_id, path = _item_in_list(tree, change, "move")
    node = get_node(tree, path)
    source_kind = list_kind(tree, path[:-1])
    anchor = change.after or change.before
    if anchor == item_id:
        key = "after" if change.after else "before"
        message = (tr("'{id}' cannot be placed after itself", id=item_id) if change.after
                   else tr("'{id}' cannot be placed before itself", id=item_id))
        raise ChangeFailed(Problem("move-itself", message, change.field_origin(key),
                                   tr("name the item it should go next to after '{key}:', an "
                                      "item other than '{id}'", key=key, id=item_id)))
    # Resolve the destination in the tree without the item, so positions are right.
    without = _drop_if_made_empty(set_node(tree, path, None), path[:-1])
    try:
        target, list_path = _destination(without, change)
    except ChangeFailed as failed:
        if failed.missing_id is not None and find_item(node, failed.missing_id) is not None:
            raise ChangeFailed(_into_itself(change, item_id)) from None
        raise
    kind = list_kind(target, list_path)
    if kind != source_kind:
        raise ChangeFailed(Problem("move-kind", tr("'{id}' is one of the {kind} and cannot go "
                                                   "into a list of {other}", id=item_id,
                                                   kind=source_kind, other=kind),
                                   _where(change), tr("move an item only within lists of its "
                                                      "kind")))
    check_depth(list_path, node, _where(change))
    position = _position(target, list_path, change)
    moved = _insert(target, list_path, position, node)
    return moved, AppliedChange(change, item_id, (*list_path, position), node, node)


def _drop_if_made_empty(tree: Node, list_path: Path_) -> Node:
    """Remove a list of sections that an earlier change made and a move emptied again,
    so that moving an item back gives the shared outline exactly."""
    items = get_node(tree, list_path)
    if isinstance(items, SeqNode) and not items.items and items.origin.via is not None \
            and str(list_path[-1]) in OUTLINE_KEYS:
        return set_node(tree, list_path, None)
    return tree


def _destination(tree: Node, change: Change) -> tuple[Node, Path_]:
    """The list a move goes into: `to`, or the list that holds its anchor."""
    if change.to is not None:
        return find_list(tree, change.to, change.field_origin("to"), change.ref)
    anchor = change.after or change.before
    assert anchor is not None
    key = "after" if change.after else "before"
    _, anchor_path, _ = resolve(tree, anchor, change.field_origin(key))
    if not anchor_path or not isinstance(get_node(tree, anchor_path[:-1]), SeqNode):
        raise ChangeFailed(Problem("unknown-anchor", tr("'{id}' is not an item of a list",
                                                        id=anchor),
                                   change.field_origin(key),
                                   tr("name an item of a list after '{key}:', such as a "
                                      "chapter, a section or a measure; or say with 'to:' "
                                      "which list the item goes into", key=key)))
    return tree, anchor_path[:-1]


def _where(change: Change) -> Origin:
    key = "to" if change.to is not None else ("after" if change.after else "before")
    return change.field_origin(key)


def _into_itself(change: Change, item_id: str) -> Problem:
    return Problem("move-into-itself", tr("'{id}' cannot be moved into itself or into one of "
                                          "its own parts", id=item_id),
                   _where(change), tr("choose a place outside the item"))


Operation = Callable[[Node, Change], tuple[Node, AppliedChange]]

OPERATIONS: dict[Op, Operation] = {
    Op.ADD: _add,
    Op.APPEND: _append,
    Op.REPLACE: _replace,
    Op.UPDATE: _update,
    Op.REMOVE: _remove,
    Op.MOVE: _move,
}
