"""Pure helpers over node trees for the operations: addresses, copies with one node
replaced, marking nodes with the change that wrote them, and the deep merge.

Nothing here mutates a tree: every function returns a new one that shares the
untouched parts with the old.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import reduce

from ..errors import Problem, did_you_mean
from ..i18n import tr
from ..model import ID_PATTERN, MAX_LEVEL
from ..provenance import ChangeRef, Origin
from ..sources import (
    MapNode,
    Node,
    Path_,
    ScalarNode,
    SeqNode,
    find_ids,
    find_item,
    ids_added,
    node_at,
)
from ..sources import item_id as item_id_of
from .changes import ChangeFailed

__all__ = [
    "ID_PATTERN",
    "OUTLINE_KEYS",
    "check_depth",
    "check_ids",
    "deep_merge",
    "find_list",
    "get_node",
    "heading_level",
    "is_outline_item",
    "list_kind",
    "outline_height",
    "resolve",
    "set_node",
    "stamp",
]

# The lists of the outline: the document's chapters and each chapter's (or
# section's) sections. They are one kind of list: a section can become a
# chapter and the other way round, as long as no heading goes below level 3.
OUTLINE_KEYS = ("chapters", "sections")


def check_ids(tree: Node) -> list[Problem]:
    """Ids must be well-formed and unique; a duplicate names every place that has it."""
    problems: list[Problem] = []
    for item_id, places in find_ids(tree).items():
        if not ID_PATTERN.match(item_id):
            origin = places[0][1].values["id"].origin
            problems.append(Problem("id-format", tr("'{id}' is not a valid id", id=item_id),
                                    origin, tr("use lower-case letters, digits and hyphens, "
                                               "e.g. 'jeugd-en-veiligheid'")))
        if len(places) > 1:
            origins = [node.values["id"].origin for _, node in places]
            others = ", ".join(o.location() for o in origins[1:])
            problems.append(Problem("duplicate-id", tr("id '{id}' is used more than once (also "
                                                       "at {places})", id=item_id,
                                                       places=others), origins[0],
                                    tr("every id must be unique in the whole document; rename "
                                       "one")))
    return problems


def get_node(tree: Node, path: Path_) -> Node:
    """The node at a path the operation has already resolved (so it exists)."""
    node = node_at(tree, path)
    assert node is not None, path
    return node


def set_node(tree: Node, path: Path_, new: Node | None,
             added: tuple[str, ...] | None = None) -> Node:
    """A copy of `tree` with the node at `path` replaced, or removed when `new` is None.

    `added` is what `sources.ids_added` says of the node at `path` and `new`, when the
    caller knows it without a pass over their ids (an item appended to a long list).
    """
    if path and path[-1] == "id":
        # An item's own id changes: its ancestors gain and lose what no value inside holds,
        # so each works out its own.
        added = None
    elif added is None and new is not None and path:
        added = ids_added(get_node(tree, path), new)
    return _set_node(tree, path, new, added)


def _set_node(tree: Node, path: Path_, new: Node | None, added: tuple[str, ...] | None
              ) -> Node:
    if not path:
        assert new is not None
        return new
    head, rest = path[0], path[1:]
    if isinstance(tree, SeqNode):
        assert isinstance(head, int)
        child = _set_node(tree.items[head], rest, new, added) if rest else new
        if child is not None:
            return tree.replacing(head, child, added)
        return SeqNode(tree.items[:head] + tree.items[head + 1:], tree.origin)
    assert isinstance(tree, MapNode)
    child = _set_node(tree.values[head], rest, new, added) if rest else new
    if child is not None:
        return tree.setting(head, child, added)
    values, keys = dict(tree.values), dict(tree.keys)
    del values[head], keys[head]
    return MapNode(values, keys, tree.origin)


def stamp(node: Node, ref: ChangeRef) -> Node:
    """The same node with every part marked as written by change `ref`."""
    origin = node.origin.with_change(ref)
    if isinstance(node, ScalarNode):
        return replace(node, origin=origin)
    if isinstance(node, SeqNode):
        return SeqNode(tuple(stamp(item, ref) for item in node.items), origin)
    return MapNode({k: stamp(v, ref) for k, v in node.values.items()},
                   {k: o.with_change(ref) for k, o in node.keys.items()}, origin)


def deep_merge(base: MapNode, overrides: MapNode,
               stamp: Callable[[Node], Node] = lambda n: n) -> MapNode:
    """Merge maps recursively; a scalar replaces a scalar; lists are never merged.

    A list in `overrides` where `base` has a list is an error: replacing it
    silently would drop shared items (use `replace` or `append` instead). So
    is an empty value (`key:` with nothing after it): it would delete the
    shared value without a word.
    """
    values, keys = dict(base.values), dict(base.keys)
    for key, new in overrides.values.items():
        old = base.values.get(key)
        if isinstance(new, ScalarNode) and new.value is None:
            # `{title: Jeugd, alcohol en drugs}` splits at the comma: a key of several words
            # with no value is the rest of a text, not a field left empty.
            split = isinstance(key, str) and " " in key.strip()
            raise ChangeFailed(Problem(
                "merge-null", tr("'{key}' has no value", key=key), overrides.keys[key],
                tr("a text with a comma inside {{ }} must be quoted: {{title: \"a, b\"}}")
                if split else tr("write a value, or leave the key out to keep the shared one"),
            ))
        if isinstance(old, MapNode) and isinstance(new, MapNode):
            values[key] = deep_merge(old, new, stamp)
        elif isinstance(old, SeqNode):
            raise ChangeFailed(Problem(
                "merge-list", tr("'{key}' is a list; a merge does not replace lists", key=key),
                overrides.keys[key], tr("use 'replace' to replace the whole list, or 'append' "
                                        "to add to it"),
            ))
        else:
            values[key] = stamp(new)
        keys[key] = stamp(ScalarNode(None, overrides.keys[key])).origin
    return MapNode(values, keys, base.origin)


def resolve(tree: Node, address: str, origin: Origin) -> tuple[str, Path_, Path_]:
    """An address `id[.field...]` → (id, path of the item, path of the addressed node)."""
    item_id, *fields = address.split(".")
    place = find_item(tree, item_id)
    if place is None and isinstance(tree, MapNode) and not fields \
            and isinstance(tree.values.get(item_id), SeqNode):
        return item_id, (item_id,), (item_id,)  # a top-level list, such as `chapters`
    if place is None:
        if isinstance(tree, MapNode) and item_id in tree.values:
            raise ChangeFailed(Problem(
                "not-an-item", tr("'{key}' is not an item that changes can address", key=item_id),
                origin,
                tr("change '{key}' under '{key}:' at the top of the municipality file",
                   key=item_id)
                if item_id in ("document", "municipality") else
                tr("address the item by its id ('{key}' has the id written under it)",
                   key=item_id)))
        hint = did_you_mean(item_id, find_ids(tree)) or tr("look the id up in the shared part "
                                                "(shared/*.yaml) or in an earlier change of "
                                                "this file")
        raise ChangeFailed(Problem("unknown-id", tr("no item with id '{id}'", id=item_id),
                                   origin, hint),
                           missing_id=item_id)
    item_path, node = place
    path = item_path
    for depth, field in enumerate(fields):
        if not isinstance(node, MapNode) or field not in node.values:
            known = [str(k) for k in node.values] if isinstance(node, MapNode) else []
            hint = did_you_mean(field, known) or (
                tr("fields here: {names}", names=", ".join(known)) if known else
                tr("a single value has no fields: shorten the address to '{address}'",
                   address=".".join([item_id, *fields[:depth]])))
            raise ChangeFailed(Problem("unknown-field",
                                       tr("'{address}': there is no field '{field}'",
                                          address=address, field=field), origin, hint))
        node = node.values[field]
        path = (*path, field)
    return item_id, item_path, path


def find_list(tree: Node, address: str, origin: Origin,
              ref: ChangeRef | None = None) -> tuple[Node, Path_]:
    """The list an `add`, `append` or `move` goes into, and the tree that has it.

    `id.field` names the list; a chapter or section id means its sections (an
    empty list is made when it has none yet, marked as written by change `ref`);
    any other item id means the item's one list of items.
    """
    item_id, item_path, path = resolve(tree, address, origin)
    node = get_node(tree, path)
    if isinstance(node, SeqNode):
        return tree, path
    if path != item_path or not isinstance(node, MapNode):
        item = get_node(tree, item_path)
        lists = [f"'{item_id}.{key}'" for key, value in item.values.items()
                 if isinstance(value, SeqNode)] if isinstance(item, MapNode) else []
        hint = tr("name one of the lists of '{id}': {names}", id=item_id,
                  names=", ".join(lists)) if lists else \
            tr("'{id}' has no list to add to; to change one value, use 'replace: {address}'",
               id=item_id, address=address)
        raise ChangeFailed(Problem("not-a-list", tr("'{address}' is not a list",
                                                    address=address), origin, hint))
    if is_outline_item(item_path):
        if "sections" not in node.values:
            made = node.origin.with_change(ref) if ref is not None else node.origin
            sections = SeqNode((), made)
            grown = MapNode({**node.values, "sections": sections},
                            {**node.keys, "sections": made}, node.origin)
            tree = set_node(tree, path, grown)
        return tree, (*path, "sections")
    lists = [key for key, value in node.values.items() if isinstance(value, SeqNode)
             and all(isinstance(element, MapNode) for element in value.items)]
    if "items" in lists:
        lists = ["items"]
    if len(lists) != 1:
        if not lists:  # e.g. a list of texts: name it
            lists = [str(key) for key, value in node.values.items() if isinstance(value, SeqNode)]
        quoted = [f"'{address}.{key}'" for key in lists]
        options = reduce(lambda first, then: tr("{first} or {then}", first=first, then=then),
                         quoted) if quoted else tr("a list field")
        raise ChangeFailed(Problem("ambiguous-list", tr("'{address}' does not hold exactly one "
                                                        "list of items", address=address),
                                   origin, tr("name the list: {options}", options=options)))
    return tree, (*path, lists[0])


def is_outline_item(path: Path_) -> bool:
    """Whether the item at `path` is a chapter or a section (an element of an outline list)."""
    return len(path) >= 2 and path[-2] in OUTLINE_KEYS


def list_kind(tree: Node, list_path: Path_) -> str:
    """What a list holds, for `move`: 'sections' for the outline, else `<type>.<field>`."""
    key = str(list_path[-1])
    if key in OUTLINE_KEYS:
        return "sections"
    for end in range(len(list_path) - 1, -1, -1):
        owner = node_at(tree, list_path[:end])
        block_type = owner.values.get("type") if isinstance(owner, MapNode) else None
        if isinstance(block_type, ScalarNode):
            return f"{block_type.value}.{key}"
    return key


def heading_level(list_path: Path_) -> int:
    """The heading level of an item placed in the outline list at `list_path`."""
    return sum(1 for part in list_path if part in OUTLINE_KEYS)


def outline_height(node: Node) -> int:
    """How many heading levels an outline item takes: 1, plus its deepest sections."""
    sections = node.values.get("sections") if isinstance(node, MapNode) else None
    if not isinstance(sections, SeqNode) or not sections.items:
        return 1
    return 1 + max(outline_height(child) for child in sections.items)


def check_depth(list_path: Path_, node: Node, origin: Origin) -> None:
    """Refuse to place an outline item where its headings would go below level 3."""
    if str(list_path[-1]) not in OUTLINE_KEYS:
        return
    deepest = heading_level(list_path) + outline_height(node) - 1
    if deepest > MAX_LEVEL:
        item = item_id_of(node) or tr("the item")
        raise ChangeFailed(Problem("too-deep", tr("this would put headings of '{id}' at level "
                                                  "{level}; a document has {levels} heading "
                                                  "levels", id=item, level=deepest,
                                                  levels=MAX_LEVEL),
                                   origin, tr("place it higher in the outline, or move its "
                                              "sections out first")))
