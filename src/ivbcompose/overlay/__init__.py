"""The couleur locale: a municipality's ordered changes applied to the shared part.

Six operations, each a small pure function behind one interface and found
through `OPERATIONS`: `add` (a new item into a list), `append` (values to the
end of a list), `replace` (an item or one field, wholesale), `update` (a
deep merge of maps into an item), `remove` (an item, with a reason) and
`move` (an item to another place in its list or in a list of its kind).

Rules that keep overlays trustworthy (see ARCHITECTURE.md): changes apply in
order; every change hits exactly one target or fails with the municipality's
file, line and column and a did-you-mean; nothing is deleted or replaced
implicitly; every node a change writes carries that change in its origin.
Trees are never mutated: each operation returns a new tree.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..errors import IvbError, Problem
from ..i18n import tr
from ..provenance import Op
from ..sources import MapNode, Node
from .changes import AppliedChange, Change, ChangeFailed, parse_changes, read_changes
from .operations import OPERATIONS
from .tree import check_ids, deep_merge

__all__ = [
    "OPERATIONS",
    "AppliedChange",
    "Change",
    "Op",
    "Overlay",
    "apply_changes",
    "merge_documents",
    "parse_changes",
    "read_changes",
]


@dataclass(frozen=True)
class Overlay:
    """The composed tree and an account of every change that made it."""

    tree: MapNode
    applied: tuple[AppliedChange, ...]


def apply_changes(tree: MapNode, changes: tuple[Change, ...],
                  unmade: frozenset[str] = frozenset()) -> Overlay:
    """Apply `changes` in order. Every failing change is reported (but one that names an id
    of `unmade`, which a malformed change would have added); nothing partial is returned."""
    problems: list[Problem] = []
    applied: list[AppliedChange] = []
    removed: dict[str, Change] = {}
    current: Node = tree
    for change in changes:
        try:
            current, record = OPERATIONS[change.operation](current, change)
        except ChangeFailed as failed:
            if failed.missing_id not in unmade:
                problems.append(_after_removal(failed, removed))
            continue
        applied.append(record)
        if change.operation is Op.REMOVE:
            removed[record.item_id] = change
    problems.extend(check_ids(current))
    if problems:
        raise IvbError(problems)
    assert isinstance(current, MapNode)
    return Overlay(current, tuple(applied))


def _after_removal(failed: ChangeFailed, removed: dict[str, Change]) -> Problem:
    """A change that targets an item an earlier change removed says so."""
    problem, missing = failed.problem, failed.missing_id
    earlier = removed.get(missing) if missing is not None else None
    if earlier is None:
        return problem
    place = f"{earlier.ref.file}:{earlier.ref.line}"
    return replace(problem, hint=tr("'{id}' was removed by the change at {place}", id=missing,
                                    place=place))


def merge_documents(base: MapNode, overrides: MapNode) -> MapNode:
    """Deep-merge a municipality's `document:` map over the shared one."""
    try:
        return deep_merge(base, overrides)
    except ChangeFailed as failed:
        raise IvbError([failed.problem]) from None
