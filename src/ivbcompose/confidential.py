"""Confidential items: left out of a public document, and of its account of differences.

Any item (a chapter, section, block, partner, planning row, crime table or row,
priority, goal, indicator, measure, subject) can say `confidential: true`; so
a single text is a `text` block marked so. A public composition (the default)
drops every marked item, with all it holds, from the content model before
layout, and drops every local difference about such an item from the account,
so neither the document nor its appendix can betray it. An internal
composition keeps them; layout marks them (`layout/confidential.py`).

Composing checks, on the whole document, what would let a public document
betray a confidential item anyway, or silently lose a municipality's change:

- a municipality's change that names an item (its target, `to`, `after` or
  `before`) which is confidential, unless the item the change is about is
  itself confidential by a mark in that same municipality's file (its own
  confidential item, or its own item inside it). A mark written elsewhere (in
  the shared part) keeps the item out of reach of the municipality's changes:
  the error names both places;
- a public item whose code field names a confidential item by id (a measure's
  trekker or partner, a crime row's `part_of`, a table's `total`): the
  public document would show the id, or lose the reference.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from pydantic import BaseModel

from .differences import Difference
from .errors import Problem
from .i18n import tr
from .model import Item, Ivb, fields_holding
from .overlay import AppliedChange
from .provenance import Origin
from .sources import MapNode, Node, Path_, ScalarNode, SeqNode, SourceMap, item_id

__all__ = [
    "FIELD",
    "confidential_marks",
    "hidden_ids",
    "holds_confidential",
    "id_reference_problems",
    "public_differences",
    "public_model",
    "reference_problems",
]

FIELD = "confidential"


def _mark(node: MapNode) -> Origin | None:
    """Where a mapping is marked confidential (its `confidential:` key), or None."""
    value = node.values.get(FIELD)
    if isinstance(value, ScalarNode) and value.value is True:
        return node.keys[FIELD]
    return None


def confidential_marks(tree: Node) -> dict[str, Origin]:
    """Every confidential item's id with the mark that makes it so: its own, or that of
    the nearest item holding it."""
    found: dict[str, Origin] = {}

    def walk(node: Node, mark: Origin | None) -> None:
        if isinstance(node, MapNode):
            mark = _mark(node) or mark
            own = item_id(node)
            if own is not None and mark is not None:
                found.setdefault(own, mark)
            for child in node.values.values():
                walk(child, mark)
        elif isinstance(node, SeqNode):
            for child in node.items:
                walk(child, mark)

    walk(tree, None)
    return found


def hidden_ids(result: MapNode, base: MapNode,
               applied: Iterable[AppliedChange] = ()) -> frozenset[str]:
    """The ids a public document must not mention: confidential in the result, in the
    shared part, or in what a change put in or took out on the way."""
    found = set(confidential_marks(result)) | set(confidential_marks(base))
    for record in applied:
        for node in (record.before, record.after):
            if node is not None:
                found |= set(confidential_marks(node))
    return frozenset(found)


def reference_problems(applied: Iterable[AppliedChange], result: MapNode,
                       base: MapNode) -> list[Problem]:
    """A municipality's change that names a confidential item it may not (see the module)."""
    in_result, in_base = confidential_marks(result), confidential_marks(base)
    problems = []
    for record in applied:
        change = record.change
        own = in_result.get(record.item_id) or in_base.get(record.item_id)
        if own is not None and own.file == change.ref.file:
            continue  # the whole change is about the municipality's own confidential item
        for named in _named(change.target, change.to, change.after, change.before):
            mark = in_result.get(named) or in_base.get(named)
            if mark is None:
                continue
            if mark.file != change.ref.file:
                hint = tr("a public document leaves '{id}' out, and this change with it: "
                          "remove the change, or ask the regional team to remove "
                          "'confidential: true' at {place}", id=named, place=mark.location())
            else:
                hint = tr("a public document leaves '{id}' out: place '{own}' beside another "
                          "item, or mark '{own}' confidential as well", id=named,
                          own=record.item_id)
            problems.append(Problem("confidential-reference",
                                    tr("this change names '{id}', which is marked "
                                       "confidential at {place}", id=named,
                                       place=mark.location()),
                                    Origin(change.ref.file, change.ref.line, change.ref.column),
                                    hint))
            break  # one problem per change: the first confidential item it names
    return problems


def _named(*addresses: str | None) -> Iterator[str]:
    """The item ids that a change's addresses name (`jeugd.attention` names 'jeugd')."""
    for address in dict.fromkeys(a for a in addresses if a):
        yield address.split(".", 1)[0]


def id_reference_problems(ivb: Ivb, sources: SourceMap,
                          marks: dict[str, Origin]) -> list[Problem]:
    """A public item whose code field names a confidential item by id.

    `ivb` is the whole validated document (before `public_model`), `sources`
    its positions and `marks` the `confidential_marks` of its tree. Texts
    (Markdown) are not codes and are left alone.
    """
    problems: list[Problem] = []

    def walk(value: Any, path: Path_) -> None:
        if isinstance(value, BaseModel):
            if getattr(value, FIELD, False) is True:
                return  # what a confidential item names is left out with it
            for name in type(value).model_fields:
                if name not in ("id", "type", FIELD):
                    check(getattr(value, name), (*path, name), name)
        elif isinstance(value, list):
            for index, element in enumerate(value):
                walk(element, (*path, index))

    def check(value: Any, path: Path_, name: str) -> None:
        if isinstance(value, str) and value in marks:
            problems.append(Problem(
                "confidential-id",
                tr("'{field}' names '{id}', which is marked confidential at {place}",
                   field=name, id=value, place=marks[value].location()),
                sources.origin(path),
                tr("a public document leaves '{id}' out: name another item here, or mark "
                   "this item confidential as well", id=value)))
        elif isinstance(value, list) and any(isinstance(v, str) for v in value):
            for index, element in enumerate(value):
                check(element, (*path, index), name)
        else:
            walk(value, path)

    for index, chapter in enumerate(ivb.chapters):
        walk(chapter, ("chapters", index))
    return problems


def public_differences(account: Iterable[Difference],
                       hidden: frozenset[str]) -> tuple[Difference, ...]:
    """The differences a public document may account for: none about a confidential item
    or anything inside one."""
    return tuple(d for d in account if not d.concerns & hidden)


def public_model(ivb: Ivb) -> Ivb:
    """The document without its confidential items (and all they hold)."""
    return rebuilt(ivb, keep=lambda value: getattr(value, FIELD, False) is not True)


def rebuilt(value: Any, keep: Callable[[Any], bool],
            finish: Callable[[BaseModel, dict[str, Any]], dict[str, Any]] | None = None) -> Any:
    """`value` with the list elements `keep` refuses left out and every model copied with
    its changed fields (plus what `finish` adds for it); the very same object wherever
    nothing changed, so a document without confidential items is not copied at all."""
    if isinstance(value, BaseModel):
        updates: dict[str, Any] = {}
        for name in type(value).model_fields:
            old = getattr(value, name)
            new = rebuilt(old, keep, finish)
            if new is not old:
                updates[name] = new
        if finish is not None:
            updates = finish(value, updates)
        return value.model_copy(update=updates) if updates else value
    if isinstance(value, list):
        kept = [rebuilt(v, keep, finish) for v in value if keep(v)]
        same = len(kept) == len(value) and all(a is b for a, b in zip(kept, value, strict=True))
        return value if same else kept
    if isinstance(value, dict):
        pairs = {k: rebuilt(v, keep, finish) for k, v in value.items()}
        return value if all(pairs[k] is value[k] for k in value) else pairs
    return value


def holds_confidential(model: Any) -> bool:
    """Whether a model holds a confidential item anywhere."""
    if isinstance(model, BaseModel):
        if getattr(model, FIELD, False) is True:
            return True
        return any(holds_confidential(getattr(model, name))
                   for name in fields_holding(type(model), Item))
    if isinstance(model, list | tuple):
        return any(holds_confidential(v) for v in model)
    if isinstance(model, dict):
        return any(holds_confidential(v) for v in model.values())
    return False
