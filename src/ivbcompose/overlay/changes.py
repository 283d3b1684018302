"""A municipality's `changes:` list, parsed into `Change`s, and the record of what each did.

Parsing checks the shape of every change before any is applied: exactly one
operation, the keys that operation takes (with a did-you-mean for others), a
`reason` on every `remove`. All malformed changes are reported together.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import IvbError, Problem, did_you_mean
from ..i18n import tr
from ..provenance import ChangeRef, Op, Origin
from ..sources import MapNode, Node, Path_, ScalarNode, SeqNode, item_id

__all__ = ["OPERATION_KEYS", "AppliedChange", "Change", "ChangeFailed", "ReadChanges",
           "parse_changes", "read_changes"]

OPERATION_KEYS: dict[Op, tuple[frozenset[str], frozenset[str]]] = {
    # operation: (required keys besides the operation, optional keys)
    Op.ADD: (frozenset({"to"}), frozenset({"after", "before", "reason"})),
    Op.APPEND: (frozenset({"to"}), frozenset({"reason"})),
    Op.REPLACE: (frozenset({"with"}), frozenset({"reason"})),
    Op.UPDATE: (frozenset({"with"}), frozenset({"reason"})),
    Op.REMOVE: (frozenset({"reason"}), frozenset()),
    Op.MOVE: (frozenset(), frozenset({"to", "after", "before", "reason"})),
}


@dataclass(frozen=True)
class Change:
    """One parsed change. `target` is the address the operation names."""

    operation: Op
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


class ChangeFailed(Exception):
    """One change cannot be applied; carries the problem to report."""

    def __init__(self, problem: Problem, missing_id: str | None = None) -> None:
        self.problem = problem
        self.missing_id = missing_id  # set when the target id does not exist


def parse_changes(node: Node | None) -> tuple[Change, ...]:
    """Turn the `changes:` list of a municipality file into `Change`s, reporting every mistake."""
    read = read_changes(node)
    if read.problems:
        raise IvbError(read.problems)
    return read.changes


@dataclass(frozen=True)
class ReadChanges:
    """The well-formed changes of a `changes:` list, the mistakes in the others, and the
    ids those others would have added (a later change may name them)."""

    changes: tuple[Change, ...]
    problems: list[Problem]
    unmade: frozenset[str]


def read_changes(node: Node | None) -> ReadChanges:
    """Every change of a `changes:` list that can be read, so the good ones can be tried in
    the same round as the mistakes in the others are reported."""
    if node is None or (isinstance(node, ScalarNode) and node.value is None):
        return ReadChanges((), [], frozenset())  # `changes:` with nothing under it
    if not isinstance(node, SeqNode):
        return ReadChanges((), [Problem("changes-type", tr("'changes' must be a list of "
                                                           "changes"), node.origin,
                                        tr("start each change with '- ' on a new line"))],
                           frozenset())
    changes: list[Change] = []
    problems: list[Problem] = []
    unmade: set[str] = set()
    for item in node.items:
        try:
            changes.append(_parse_change(item))
        except ChangeFailed as failed:
            problems.append(failed.problem)
            added = item.values.get(Op.ADD.value) if isinstance(item, MapNode) else None
            if (made := item_id(added)) is not None:
                unmade.add(made)
    return ReadChanges(tuple(changes), problems, frozenset(unmade))


def _parse_change(node: Node) -> Change:
    if not isinstance(node, MapNode):
        raise ChangeFailed(Problem("change-type", tr("a change must be a mapping"), node.origin,
                                   tr("write e.g. '- remove: some-id' with 'reason: ...' below "
                                      "it")))
    operations = [key for key in node.values if key in OPERATION_KEYS]
    if len(operations) != 1:
        found = ", ".join(map(str, operations)) or tr("none")
        near = [did_you_mean(str(key).lower(), OPERATION_KEYS) for key in node.values
                if key not in OPERATION_KEYS]
        raise ChangeFailed(Problem(
            "change-operation",
            tr("a change needs exactly one operation, found: {found}", found=found),
            node.origin, next((hint for hint in near if hint), None)
            or tr("use one of: {names}", names=", ".join(OPERATION_KEYS)),
        ))
    operation = Op(str(operations[0]))
    required, optional = OPERATION_KEYS[operation]
    for key in node.values:
        if key != operation and key not in required | optional:
            allowed = sorted(required | optional)
            hint = did_you_mean(str(key), allowed) or tr("'{operation}' takes: {names}",
                                                         operation=operation,
                                                         names=", ".join(allowed))
            raise ChangeFailed(Problem("change-key", tr("'{key}' is not allowed in {operation}",
                                                        key=key, operation=operation),
                                       node.keys[key], hint))
    for key in sorted(required - set(node.values)):
        hint = _MISSING_HINTS[operation, key]
        raise ChangeFailed(Problem("change-missing", tr("{operation} needs '{key}'",
                                                        operation=operation, key=key),
                                   node.keys[operation], hint))
    strings = {key: _string(node, key) for key in ("to", "after", "before", "reason")
               if key in node.values}
    if "after" in strings and "before" in strings:
        raise ChangeFailed(Problem("change-position",
                                   tr("give either 'after' or 'before', not both"),
                                   node.keys["before"],
                                   tr("keep only 'after: <id>' or only 'before: <id>', and "
                                      "remove the other line")))
    operation_node = node.values[operation]
    if operation is Op.MOVE and not {"to", "after", "before"} & set(strings):
        raise ChangeFailed(Problem("move-where", tr("move needs 'to', 'after' or 'before'"),
                                   node.keys[operation], tr("say where the item goes, e.g. "
                                                            "'after: <id>' or 'to: <chapter "
                                                            "id>'")))
    if operation is Op.ADD:
        value = operation_node
        target = item_id(value) or ""
        if not isinstance(value, MapNode):
            raise ChangeFailed(Problem("add-type", tr("add needs a mapping: the new item's id "
                                                      "and fields"), operation_node.origin,
                                       # With values, so the doubled braces are formatted.
                                       tr("write e.g. 'add: {{id: {id}, title: {title}}}'; to "
                                          "add a text to a list of texts, use 'append'",
                                          id="nieuw-item", title="Titel")))
        if not target:
            raise ChangeFailed(Problem("add-id", tr("the added item needs an 'id' (a text)"),
                                       value.values["id"].origin if "id" in value.values
                                       else operation_node.origin,
                                       tr("give the new item an id on a line of its own, "
                                          "e.g. 'id: nieuw-onderwerp': lower-case letters, "
                                          "digits and hyphens")))
    elif operation is Op.APPEND:
        value = operation_node
        target = strings["to"]
        if isinstance(value, SeqNode) and not value.items:
            raise ChangeFailed(Problem("append-empty", tr("append needs at least one value"),
                                       value.origin, tr("write the values to append, e.g. "
                                                        "'append: [Nieuw aandachtspunt]'")))
    else:
        target = _string(node, operation)
        value = node.values.get("with")
    origin = node.keys[operation]
    ref = ChangeRef(origin.file, origin.line, origin.column, operation, target)
    return Change(operation, target, value, ref, node, strings.get("to"), strings.get("after"),
                  strings.get("before"), strings.get("reason"))


def _string(node: MapNode, key: str) -> str:
    value = node.values[key]
    if not isinstance(value, ScalarNode) or not isinstance(value.value, str) \
            or not value.value.strip():
        hint = _VALUE_HINTS.get(key) or tr("write the id of the item on the same line, e.g. "
                                           "'{key}: jeugd-en-veiligheid'", key=key)
        raise ChangeFailed(Problem("change-value", tr("'{key}' must be a non-empty text",
                                                      key=key), value.origin, hint))
    return value.value.strip()


# What to write as the value of a key of a change (other keys name an item by its id).
_VALUE_HINTS: dict[str, str] = {
    "reason": tr("write on the same line why the shared part does not apply here, e.g. "
                 "'reason: De gemeente heeft een eigen aanpak'"),
    "to": tr("write on the same line the list it goes into, e.g. 'to: lokale-onderwerpen'"),
    "after": tr("write on the same line the id of the item it comes after, e.g. 'after: "
                "jeugd-en-veiligheid'"),
    "before": tr("write on the same line the id of the item it comes before, e.g. 'before: "
                 "jeugd-en-veiligheid'"),
}

# What to write when a change lacks a key its operation needs.
_MISSING_HINTS: dict[tuple[Op, str], str] = {
    (Op.REMOVE, "reason"): tr("say why the shared item does not apply here; the reason is "
                              "printed in the document's account of local differences"),
    (Op.ADD, "to"): tr("add 'to:' with the list the new item goes into, e.g. 'to: "
                       "lokale-onderwerpen'"),
    (Op.APPEND, "to"): tr("add 'to:' with the list to add the values to, e.g. 'to: "
                          "jeugd-en-veiligheid.attention'"),
    (Op.REPLACE, "with"): tr("add 'with:' and the new value, e.g. 'with: Een nieuwe tekst'"),
    (Op.UPDATE, "with"): tr("add 'with:' and below it the fields to change, e.g. 'with: "
                            "{{title: Nieuwe titel}}'"),
}
