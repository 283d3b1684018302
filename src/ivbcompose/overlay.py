"""The couleur locale: a municipality's ordered changes applied to the shared part.

Five operations, each a small pure function behind one interface and found
through `OPERATIONS`: `add` (a new item into a list), `append` (values to the
end of a list), `replace` (an item or one field, wholesale), `update` (a
deep merge of maps into an item) and `remove` (an item, with a reason).

Rules that keep overlays trustworthy (see ARCHITECTURE.md): changes apply in
order; every change hits exactly one target or fails with the municipality's
file, line and column and a did-you-mean; nothing is deleted or replaced
implicitly; every node a change writes carries that change in its origin.
Trees are never mutated: each operation returns a new tree.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from .errors import IvbError, Problem, did_you_mean
from .provenance import ChangeRef, Origin
from .sources import Key, MapNode, Node, Path_, ScalarNode, SeqNode, walk_nodes

__all__ = [
    "OPERATIONS",
    "AppliedChange",
    "Change",
    "Overlay",
    "apply_changes",
    "deep_merge",
    "find_ids",
    "parse_changes",
]

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

_KEYS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    # operation: (required keys besides the operation, optional keys)
    "add": (frozenset({"to"}), frozenset({"after", "before", "reason"})),
    "append": (frozenset({"to"}), frozenset({"reason"})),
    "replace": (frozenset({"with"}), frozenset({"reason"})),
    "update": (frozenset({"with"}), frozenset({"reason"})),
    "remove": (frozenset({"reason"}), frozenset()),
}


@dataclass(frozen=True)
class Change:
    """One parsed change. `target` is the address the operation names."""

    operation: str
    target: str
    value: Node | None
    ref: ChangeRef
    node: MapNode
    to: str | None = None
    after: str | None = None
    before: str | None = None
    reason: str | None = None

    def field_origin(self, key: str) -> Origin:
        """Where the value of `key` is written (an error about a target points at the id)."""
        value = self.node.values.get(key)
        return value.origin if value is not None else self.node.origin


@dataclass(frozen=True)
class AppliedChange:
    """What one change did: the node it replaced (None for add/append) and its result."""

    change: Change
    item_id: str
    path: Path_
    before: Node | None
    after: Node | None


@dataclass(frozen=True)
class Overlay:
    """The composed tree and an account of every change that made it."""

    tree: MapNode
    applied: tuple[AppliedChange, ...]


class _ChangeFailed(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


# --- parsing -----------------------------------------------------------------


def parse_changes(node: Node | None) -> tuple[Change, ...]:
    """Turn the `changes:` list of a municipality file into `Change`s, reporting every mistake."""
    if node is None:
        return ()
    if not isinstance(node, SeqNode):
        raise IvbError([Problem("changes-type", "'changes' must be a list of changes",
                                node.origin, "start each change with '- ' on a new line")])
    changes: list[Change] = []
    problems: list[Problem] = []
    for item in node.items:
        try:
            changes.append(_parse_change(item))
        except _ChangeFailed as failed:
            problems.append(failed.problem)
    if problems:
        raise IvbError(problems)
    return tuple(changes)


def _parse_change(node: Node) -> Change:
    if not isinstance(node, MapNode):
        raise _ChangeFailed(Problem("change-type", "a change must be a mapping", node.origin,
                                    "write e.g. '- remove: some-id' with 'reason: ...' below it"))
    operations = [key for key in node.values if key in _KEYS]
    if len(operations) != 1:
        found = ", ".join(map(str, operations)) or "none"
        raise _ChangeFailed(Problem(
            "change-operation", f"a change needs exactly one operation, found: {found}",
            node.origin, f"use one of: {', '.join(_KEYS)}",
        ))
    operation = str(operations[0])
    required, optional = _KEYS[operation]
    for key in node.values:
        if key != operation and key not in required | optional:
            allowed = sorted(required | optional)
            hint = did_you_mean(str(key), allowed) or f"'{operation}' takes: {', '.join(allowed)}"
            raise _ChangeFailed(Problem("change-key", f"'{key}' is not allowed in {operation}",
                                        node.keys[key], hint))
    for key in sorted(required - set(node.values)):
        hint = ("say why the shared item does not apply here; the reason is printed in the "
                "document's account of local differences") if key == "reason" else None
        raise _ChangeFailed(Problem("change-missing", f"{operation} needs '{key}'",
                                    node.keys[operation], hint))
    strings = {key: _string(node, key) for key in ("to", "after", "before", "reason")
               if key in node.values}
    if "after" in strings and "before" in strings:
        raise _ChangeFailed(Problem("change-position", "give either 'after' or 'before', not both",
                                    node.keys["before"]))
    operation_node = node.values[operation]
    if operation == "add":
        value = operation_node
        target = _item_id(value) or ""
        if not target:
            raise _ChangeFailed(Problem("add-id", "the added item needs an 'id'",
                                        operation_node.origin,
                                        "ids are lower-case letters, digits and hyphens"))
    elif operation == "append":
        value = operation_node
        target = strings["to"]
    else:
        target = _string(node, operation)
        value = node.values.get("with")
    origin = node.keys[operation]
    ref = ChangeRef(origin.file, origin.line, origin.column, operation, target)
    return Change(operation, target, value, ref, node, strings.get("to"), strings.get("after"),
                  strings.get("before"), strings.get("reason"))


def _string(node: MapNode, key: str) -> str:
    value = node.values[key]
    if not isinstance(value, ScalarNode) or not isinstance(value.value, str) or not value.value:
        raise _ChangeFailed(Problem("change-value", f"'{key}' must be a non-empty text",
                                    value.origin))
    return value.value.strip()


def _item_id(node: Node | None) -> str | None:
    if isinstance(node, MapNode):
        id_node = node.values.get("id")
        if isinstance(id_node, ScalarNode) and isinstance(id_node.value, str):
            return id_node.value
    return None


# --- the id index -----------------------------------------------------------


def find_ids(tree: Node) -> dict[str, list[tuple[Path_, MapNode]]]:
    """Every id in a tree with the path(s) of the item(s) that carry it."""
    found: dict[str, list[tuple[Path_, MapNode]]] = {}
    for path, node in walk_nodes(tree):
        item_id = _item_id(node)
        if item_id is not None and isinstance(node, MapNode):
            found.setdefault(item_id, []).append((path, node))
    return found


def check_ids(tree: Node) -> list[Problem]:
    """Ids must be well-formed and unique; a duplicate names every place that has it."""
    problems: list[Problem] = []
    for item_id, places in find_ids(tree).items():
        if not ID_PATTERN.match(item_id):
            origin = places[0][1].values["id"].origin
            problems.append(Problem("id-format", f"'{item_id}' is not a valid id", origin,
                                    "use lower-case letters, digits and hyphens, e.g. "
                                    "'jeugd-en-veiligheid'"))
        if len(places) > 1:
            origins = [node.values["id"].origin for _, node in places]
            others = ", ".join(o.location() for o in origins[1:])
            problems.append(Problem("duplicate-id", f"id '{item_id}' is used more than once "
                                    f"(also at {others})", origins[0],
                                    "every id must be unique in the whole document; rename one"))
    return problems


# --- tree helpers (pure) ------------------------------------------------------


def _get(tree: Node, path: Path_) -> Node:
    node = tree
    for key in path:
        node = node.items[key] if isinstance(node, SeqNode) else node.values[key]  # type: ignore[union-attr,index]
    return node


def _set(tree: Node, path: Path_, new: Node | None) -> Node:
    """A copy of `tree` with the node at `path` replaced, or removed when `new` is None."""
    if not path:
        assert new is not None
        return new
    head, rest = path[0], path[1:]
    if isinstance(tree, SeqNode):
        assert isinstance(head, int)
        child = _set(tree.items[head], rest, new) if rest else new
        items = list(tree.items)
        if child is None:
            del items[head]
        else:
            items[head] = child
        return SeqNode(tuple(items), tree.origin)
    assert isinstance(tree, MapNode)
    child = _set(tree.values[head], rest, new) if rest else new
    values, keys = dict(tree.values), dict(tree.keys)
    if child is None:
        del values[head], keys[head]
    else:
        values[head] = child
    return MapNode(values, keys, tree.origin)


def _stamp(node: Node, ref: ChangeRef) -> Node:
    """The same node with every part marked as written by change `ref`."""
    origin = node.origin.with_change(ref)
    if isinstance(node, ScalarNode):
        return replace(node, origin=origin)
    if isinstance(node, SeqNode):
        return SeqNode(tuple(_stamp(item, ref) for item in node.items), origin)
    return MapNode({k: _stamp(v, ref) for k, v in node.values.items()},
                   {k: o.with_change(ref) for k, o in node.keys.items()}, origin)


def deep_merge(base: MapNode, overrides: MapNode,
               stamp: Callable[[Node], Node] = lambda n: n) -> MapNode:
    """Merge maps recursively; a scalar replaces a scalar; lists are never merged.

    A list in `overrides` where `base` has a list is an error: replacing it
    silently would drop shared items (use `replace` or `append` instead).
    """
    values, keys = dict(base.values), dict(base.keys)
    for key, new in overrides.values.items():
        old = base.values.get(key)
        if isinstance(old, MapNode) and isinstance(new, MapNode):
            values[key] = deep_merge(old, new, stamp)
        elif isinstance(old, SeqNode):
            raise _ChangeFailed(Problem(
                "merge-list", f"'{key}' is a list; a merge does not replace lists",
                overrides.keys[key], "use 'replace' to replace the whole list, or 'append' "
                "to add to it",
            ))
        else:
            values[key] = stamp(new)
        keys[key] = stamp(ScalarNode(None, overrides.keys[key])).origin
    return MapNode(values, keys, base.origin)


# --- addresses ----------------------------------------------------------------


def _resolve(tree: Node, address: str, origin: Origin) -> tuple[str, Path_, Path_]:
    """An address `id[.field...]` → (id, path of the item, path of the addressed node)."""
    item_id, *fields = address.split(".")
    ids = find_ids(tree)
    places = ids.get(item_id)
    if not places:
        hint = did_you_mean(item_id, ids) or "run 'ivbcompose explain <municipality>' to list ids"
        raise _ChangeFailed(Problem("unknown-id", f"no item with id '{item_id}'", origin, hint))
    item_path, node = places[0]
    path = item_path
    for field in fields:
        if not isinstance(node, MapNode) or field not in node.values:
            known = [str(k) for k in node.values] if isinstance(node, MapNode) else []
            hint = did_you_mean(field, known) or (
                f"fields here: {', '.join(known)}" if known else None)
            raise _ChangeFailed(Problem("unknown-field",
                                        f"'{address}': there is no field '{field}'", origin, hint))
        node = node.values[field]
        path = (*path, field)
    return item_id, item_path, path


def _list_path(tree: Node, address: str, origin: Origin) -> Path_:
    """The list an `add` or `append` goes into: `id.field`, or the item's one list of items."""
    _, item_path, path = _resolve(tree, address, origin)
    node = _get(tree, path)
    if isinstance(node, SeqNode):
        return path
    if path != item_path or not isinstance(node, MapNode):
        raise _ChangeFailed(Problem("not-a-list", f"'{address}' is not a list", origin))
    lists = [key for key, value in node.values.items() if isinstance(value, SeqNode)
             and all(isinstance(element, MapNode) for element in value.items)]
    if "items" in lists:
        lists = ["items"]
    if len(lists) != 1:
        options = " or ".join(f"'{address}.{key}'" for key in lists) or "a list field"
        raise _ChangeFailed(Problem("ambiguous-list", f"'{address}' does not hold exactly one "
                                    "list of items", origin, f"name the list: {options}"))
    return (*path, lists[0])


# --- the operations ---------------------------------------------------------------


def _add(tree: Node, change: Change) -> tuple[Node, AppliedChange]:
    assert change.value is not None and change.to is not None
    existing = find_ids(tree).get(change.target)
    if existing:
        where = existing[0][1].values["id"].origin.location()
        raise _ChangeFailed(Problem("id-exists", f"an item with id '{change.target}' already "
                                    f"exists (at {where})", change.value.origin,
                                    "use 'update' or 'replace' to change it, or choose a new id"))
    list_path = _list_path(tree, change.to, change.field_origin("to"))
    items = _get(tree, list_path)
    assert isinstance(items, SeqNode)
    position = len(items.items)
    anchor = change.after or change.before
    if anchor is not None:
        siblings = [_item_id(item) for item in items.items]
        if anchor not in siblings:
            key = "after" if change.after else "before"
            hint = did_you_mean(anchor, [s for s in siblings if s]) or (
                "items here: " + ", ".join(s for s in siblings if s))
            raise _ChangeFailed(Problem("unknown-anchor", f"'{anchor}' is not an item of "
                                        f"'{change.to}'", change.field_origin(key), hint))
        position = siblings.index(anchor) + (1 if change.after else 0)
    new_items = list(items.items)
    new_items.insert(position, _stamp(change.value, change.ref))
    tree = _set(tree, list_path, SeqNode(tuple(new_items), items.origin))
    return tree, AppliedChange(change, change.target, (*list_path, position), None,
                               _get(tree, (*list_path, position)))


def _append(tree: Node, change: Change) -> tuple[Node, AppliedChange]:
    assert change.value is not None
    list_path = _list_path(tree, change.target, change.field_origin("to"))
    items = _get(tree, list_path)
    assert isinstance(items, SeqNode)
    added = change.value.items if isinstance(change.value, SeqNode) else (change.value,)
    stamped = tuple(_stamp(item, change.ref) for item in added)
    new_list = SeqNode(items.items + stamped, items.origin)
    item_id = change.target.split(".")[0]
    return _set(tree, list_path, new_list), AppliedChange(change, item_id, list_path, items,
                                                          new_list)


def _replace(tree: Node, change: Change) -> tuple[Node, AppliedChange]:
    value = change.value
    assert value is not None
    item_id, item_path, path = _resolve(tree, change.target, change.field_origin("replace"))
    old = _get(tree, path)
    if path == item_path:
        if not isinstance(value, MapNode):
            raise _ChangeFailed(Problem("replace-type", f"replacing item '{item_id}' needs a "
                                        "mapping with its fields", value.origin,
                                        f"to replace one field, write "
                                        f"'replace: {item_id}.<field>'"))
        new_id = _item_id(value)
        if new_id is None:
            assert isinstance(old, MapNode)
            value = MapNode({"id": old.values["id"], **value.values},
                            {"id": old.keys["id"], **value.keys}, value.origin)
        elif new_id != item_id:
            raise _ChangeFailed(Problem("replace-id", f"a replacement keeps the id '{item_id}'",
                                        value.values["id"].origin,
                                        "remove the item and add a new one to change an id"))
    new = _stamp(value, change.ref)
    return _set(tree, path, new), AppliedChange(change, item_id, path, old, new)


def _update(tree: Node, change: Change) -> tuple[Node, AppliedChange]:
    value = change.value
    item_id, item_path, path = _resolve(tree, change.target, change.field_origin("update"))
    old = _get(tree, path)
    if not isinstance(old, MapNode):
        raise _ChangeFailed(Problem("update-target", f"'{change.target}' is not a mapping",
                                    change.field_origin("update"),
                                    f"use 'replace: {change.target}' to replace a single value"))
    if not isinstance(value, MapNode):
        raise _ChangeFailed(Problem("update-type", "'with' of an update must be a mapping",
                                    change.field_origin("with"),
                                    "write the fields to change under 'with:', e.g. "
                                    "'with: {title: Nieuwe titel}'"))
    new_id = _item_id(value)
    if path == item_path and new_id is not None and new_id != item_id:
        raise _ChangeFailed(Problem("update-id", "an update cannot change an id",
                                    value.values["id"].origin))
    new = deep_merge(old, value, lambda node: _stamp(node, change.ref))
    return _set(tree, path, new), AppliedChange(change, item_id, path, old, new)


def _remove(tree: Node, change: Change) -> tuple[Node, AppliedChange]:
    item_id, item_path, path = _resolve(tree, change.target, change.field_origin("remove"))
    if path != item_path:
        raise _ChangeFailed(Problem("remove-field", "remove takes an item id, not a field",
                                    change.field_origin("remove"),
                                    f"use 'replace: {change.target}' to change the field"))
    old = _get(tree, path)
    return _set(tree, path, None), AppliedChange(change, item_id, path, old, None)


Operation = Callable[[Node, Change], tuple[Node, AppliedChange]]

OPERATIONS: dict[str, Operation] = {
    "add": _add,
    "append": _append,
    "replace": _replace,
    "update": _update,
    "remove": _remove,
}


def apply_changes(tree: MapNode, changes: tuple[Change, ...]) -> Overlay:
    """Apply `changes` in order. Every failing change is reported; nothing partial is returned."""
    problems: list[Problem] = []
    applied: list[AppliedChange] = []
    current: Node = tree
    for change in changes:
        try:
            current, record = OPERATIONS[change.operation](current, change)
        except _ChangeFailed as failed:
            problems.append(failed.problem)
            continue
        applied.append(record)
    problems.extend(check_ids(current))
    if problems:
        raise IvbError(problems)
    assert isinstance(current, MapNode)
    return Overlay(current, tuple(applied))


def merge_documents(base: MapNode, overrides: MapNode) -> MapNode:
    """Deep-merge a municipality's `document:` map over the shared one."""
    try:
        return deep_merge(base, overrides)
    except _ChangeFailed as failed:
        raise IvbError([failed.problem]) from None


def iter_items(tree: Node) -> Iterator[tuple[str, Path_, MapNode]]:
    """Every identified item of a tree, in document order."""
    for item_id, places in find_ids(tree).items():
        for path, node in places:
            yield item_id, path, node


def plain_value(node: Node) -> Any:
    """A node as plain data (for fingerprints and display)."""
    if isinstance(node, ScalarNode):
        return node.value
    if isinstance(node, SeqNode):
        return [plain_value(item) for item in node.items]
    return {key: plain_value(value) for key, value in node.values.items()}


Key_ = Key  # re-exported for type hints in callers
