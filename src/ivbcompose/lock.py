"""Drift: shared content that changed under a municipality's replace, update or remove.

A local `replace`, `update` or `remove` was written against one version of a
shared item. When the regional team later edits that item, the local change
would silently hide their edit. The lock file `ivbcompose.lock` (committed with
the YAML) records, per municipality and change, a fingerprint and a copy of
the shared content the change was accepted against; `ivbcompose check` warns
when the shared content no longer matches, with a word diff, and
`ivbcompose accept <municipality>` records the current state after review.
A `move` is written against the item's place in the shared part (the item
that holds it and the item before it), so a shared reordering is drift too.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .compose import Composition
from .errors import IvbError, Problem
from .files import write_atomically
from .i18n import tr
from .overlay import Change
from .project import Project
from .provenance import Op, Origin
from .sources import (
    MapNode,
    Node,
    Path_,
    ScalarNode,
    SeqNode,
    item_id,
    load_yaml,
    locate,
    node_at,
    plain_value,
)

__all__ = ["LOCK_FILE", "LockEntry", "accept", "drift", "lock_entries", "read_lock",
           "word_diff"]

LOCK_FILE = "ivbcompose.lock"
_LOCKED_OPERATIONS = (Op.REPLACE, Op.UPDATE, Op.REMOVE, Op.MOVE)
_HEADER = """\
# ivbcompose lock file: the shared content that each municipality's replace,
# update and remove changes were reviewed against. Commit it with the YAML.
# Do not edit it by hand: after reviewing a change against the current shared
# part, run `ivbcompose accept <municipality>`.
"""


@dataclass(frozen=True)
class LockEntry:
    """What one change was accepted against. `key` is e.g. 'update jeugd-en-veiligheid'."""

    key: str
    fingerprint: str
    shared: Any


@dataclass(frozen=True)
class _Recorded:
    entry: LockEntry
    origin: Origin


def lock_entries(composition: Composition) -> list[tuple[Change, LockEntry]]:
    """The lock entries the municipality's changes need now, with the change each is for.

    Only changes that target shared content need one: a change to an item the
    municipality added itself cannot drift.
    """
    result: list[tuple[Change, LockEntry]] = []
    seen: dict[str, int] = {}
    for record in composition.overlay.applied:
        change = record.change
        if change.operation not in _LOCKED_OPERATIONS:
            continue
        found = locate(composition.shared, change.target)
        if found is None:
            continue
        path, node = found
        key = f"{change.operation} {change.target}"
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            key = f"{key} #{seen[key]}"
        value = _place(composition.shared, path) if change.operation is Op.MOVE \
            else _hidden_part(change, node)
        result.append((change, LockEntry(key, fingerprint(value), _jsonable(value))))
    return result


def _hidden_part(change: Change, node: Node) -> Any:
    """The shared content a change hides: all of it, or for an update only the keys it sets.

    An update of `conclusion` hides nothing of the item's other fields, so an
    edit of those must not count as drift; a shared key it sets that is not
    there yet is recorded as None, so adding it later does.
    """
    if change.operation is Op.UPDATE and isinstance(change.value, MapNode) \
            and isinstance(node, MapNode):
        return {str(key): plain_value(node.values[key]) if key in node.values else None
                for key in change.value.values}
    return plain_value(node)


def _place(shared: MapNode, path: Path_) -> dict[str, Any]:
    """Where a moved item is in the shared part: a move is written against that place."""
    container = node_at(shared, path[:-2])
    siblings = node_at(shared, path[:-1])
    index = path[-1]
    before = siblings.items[index - 1] if isinstance(siblings, SeqNode) and isinstance(index, int) \
        and index > 0 else None
    return {"in": item_id(container) or str(path[-2]), "after": item_id(before)}


def fingerprint(value: Any) -> str:
    canonical = json.dumps(_jsonable(value), sort_keys=True, ensure_ascii=False)
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def read_lock(project: Project) -> dict[str, dict[str, _Recorded]]:
    """The lock file's entries, read once for a command that checks many municipalities."""
    return _read(project)


def drift(project: Project, composition: Composition,
          lock: dict[str, dict[str, _Recorded]] | None = None) -> list[Problem]:
    """Warnings for changes whose shared target changed since it was accepted, or never was.

    `lock` is the lock file as `read_lock` gives it (read here when None).
    """
    municipality = composition.municipality_id
    recorded = (lock if lock is not None else _read(project)).get(municipality, {})
    hint = tr("review the change against the shared part, then run 'ivbcompose accept "
              "{municipality}'", municipality=municipality)
    warnings: list[Problem] = []
    current = lock_entries(composition)
    for change, entry in current:
        origin = change.ref
        where = Origin(origin.file, origin.line, origin.column)
        old = recorded.get(entry.key)
        if old is None:
            warnings.append(Problem("lock-missing", tr("'{key}' has no entry in {file}: it was "
                                                       "never accepted", key=entry.key,
                                                       file=LOCK_FILE), where, hint,
                                    severity="warning"))
        elif old.entry.fingerprint != entry.fingerprint:
            diff: str = word_diff(old.entry.shared, entry.shared)
            if "[-" not in diff and "{+" not in diff:
                diff = tr("no difference in the recorded text: was the lock file edited by hand?")
            warnings.append(Problem(
                "drift", tr("the shared content of '{target}' changed since this {operation} "
                            "was accepted", target=change.target, operation=str(change.operation)),
                where, hint, severity="warning", detail=tr("shared: {diff}", diff=diff),
            ))
    keys = {entry.key for _, entry in current}
    for key, old in recorded.items():
        if key not in keys:
            warnings.append(Problem("lock-stale", tr("{file} has an entry for '{key}', a change "
                                                     "{municipality} no longer makes",
                                                     file=LOCK_FILE, key=key,
                                                     municipality=municipality),
                                    old.origin, hint, severity="warning"))
    return warnings


def accept(project: Project, compositions: list[Composition]) -> Path:
    """Record the current shared content for every locked change of these municipalities."""
    entries = {m: {k: r.entry for k, r in recorded.items()} for m, recorded in
               _read(project).items()}
    for composition in compositions:
        entries[composition.municipality_id] = {e.key: e for _, e in lock_entries(composition)}
    data: dict[str, Any] = {"version": 1}
    for municipality in sorted(entries):
        data[municipality] = [{"change": e.key, "fingerprint": e.fingerprint, "shared": e.shared}
                              for e in entries[municipality].values()]
    text = _HEADER + yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                               width=88)
    path = project.root / LOCK_FILE
    write_atomically(path, text.encode("utf-8"))
    return path


class _Dumper(yaml.SafeDumper):
    """Writes multi-line texts as '|' blocks, so the lock file diffs well in review."""


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = "|" if "\n" in text and not any(c in text for c in "\t\r") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _represent_text)


def word_diff(old: Any, new: Any, context: int = 4, limit: int = 400) -> str:
    """What changed, word by word: '… bestaande [-oude-]{+nieuwe+} tekst …'."""
    before, after = _words(old), _words(new)
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    parts: list[str] = []
    opcodes = matcher.get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            words = before[i1:i2]
            first, last = index == 0, index == len(opcodes) - 1
            if len(words) > 2 * context or (first and len(words) > context) or \
                    (last and len(words) > context):
                head = [] if first else words[:context]
                tail = [] if last else words[-context:]
                words = [*head, "…", *tail]
            parts.extend(words)
            continue
        if i2 > i1:
            parts.append("[-" + " ".join(before[i1:i2]) + "-]")
        if j2 > j1:
            parts.append("{+" + " ".join(after[j1:j2]) + "+}")
    text = " ".join(parts)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _words(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [w for k, v in value.items() for w in (f"{k}:", *_words(v))]
    if isinstance(value, list):
        return [w for v in value for w in (*_words(v), ";")]
    return str(value).split()


def _jsonable(value: Any) -> Any:
    """Plain data the lock file can hold: dates as ISO text, keys as text."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _read(project: Project) -> dict[str, dict[str, _Recorded]]:
    """The lock file's entries by municipality and key; an absent file has none."""
    path = project.root / LOCK_FILE
    if not path.is_file():
        return {}
    display = project.display(path)
    root = load_yaml(path, display)
    broken = Problem("lock-format", tr("{file} is not a valid lock file", file=LOCK_FILE),
                     root.origin, tr("restore it from git, or delete it and run 'ivbcompose "
                                     "accept' for each municipality"))
    if not isinstance(root, MapNode):
        raise IvbError([broken])
    result: dict[str, dict[str, _Recorded]] = {}
    for municipality, entries in root.values.items():
        if municipality == "version":
            continue
        if not isinstance(entries, SeqNode):
            raise IvbError([broken])
        recorded: dict[str, _Recorded] = {}
        for item in entries.items:
            key, print_ = (item.values.get("change"), item.values.get("fingerprint")) \
                if isinstance(item, MapNode) else (None, None)
            if not isinstance(key, ScalarNode) or not isinstance(print_, ScalarNode):
                raise IvbError([Problem(broken.code, broken.message, item.origin, broken.hint)])
            assert isinstance(item, MapNode)
            shared = item.values.get("shared")
            value = plain_value(shared) if shared is not None else None
            recorded[str(key.value)] = _Recorded(LockEntry(str(key.value), str(print_.value),
                                                           value), item.origin)
        result[str(municipality)] = recorded
    return result
