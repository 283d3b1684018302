"""YAML files → a tree of nodes that know their file, line and column.

PyYAML's safe composer gives us positions; we turn its node graph into our own
small immutable node types (`MapNode`, `SeqNode`, `ScalarNode`), refusing
duplicate keys, merge keys and non-scalar keys on the way. The overlay stage
works on these nodes, so provenance survives every change; `to_plain` finally
turns a tree into plain Python data plus a `SourceMap` for error positions.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeAlias

import yaml

from .errors import IvbError, Problem
from .provenance import Origin

__all__ = [
    "Key",
    "MapNode",
    "Node",
    "Path_",
    "ScalarNode",
    "SeqNode",
    "SourceMap",
    "find_ids",
    "item_id",
    "load_mapping",
    "load_yaml",
    "locate",
    "node_at",
    "parse_yaml",
    "plain_value",
    "to_plain",
    "walk_nodes",
]

Key: TypeAlias = str | int
Path_: TypeAlias = tuple[Key, ...]


@dataclass(frozen=True)
class ScalarNode:
    """A string, number, boolean, date or null, with where it was written.

    `style` is YAML's scalar style and `raw` the scalar exactly as written in
    the file (quotes, indicators and line breaks included), from its origin on;
    templating uses it to point at the line and column of an expression inside
    a text, however the text was folded.
    """

    value: Any
    origin: Origin
    style: str | None = None
    raw: str | None = None


@dataclass(frozen=True)
class SeqNode:
    items: tuple[Node, ...]
    origin: Origin


@dataclass(frozen=True)
class MapNode:
    """A mapping. `values` and `keys` are never mutated after construction."""

    values: dict[Key, Node]
    keys: dict[Key, Origin]
    origin: Origin

    def get(self, key: Key) -> Node | None:
        return self.values.get(key)


Node: TypeAlias = MapNode | SeqNode | ScalarNode


MAX_DEPTH = 40
MAX_FILE_BYTES = 10 * 2**20


class _TooDeep(Exception):
    def __init__(self, origin: Origin) -> None:
        self.origin = origin


class _Loader(yaml.SafeLoader):
    """Safe loader; only used to compose nodes and construct scalars.

    It notes every anchor and alias it meets, so they can be refused with
    their position (an alias would share one value invisibly between places).
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.shared_values: list[tuple[str, yaml.Mark]] = []

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            self.shared_values.append((f"*{event.anchor}", event.start_mark))
        elif getattr(event, "anchor", None):
            self.shared_values.append((f"&{event.anchor}", event.start_mark))
        return super().compose_node(parent, index)  # type: ignore[no-any-return]


def load_yaml(path: Path, display_name: str) -> Node:
    """Read one YAML file; positions in errors use `display_name` (project-relative)."""
    # Only a regular file of sane size is read: a FIFO would hang, /dev/zero never end.
    if not path.is_file():
        raise IvbError([Problem("not-a-file", "this is not a regular file", Origin(display_name),
                                "a YAML file of the project must be an ordinary text file")])
    if path.stat().st_size > MAX_FILE_BYTES:
        raise IvbError([Problem("file-too-large", f"the file is larger than "
                                f"{MAX_FILE_BYTES // 2**20} MB", Origin(display_name),
                                "a policy's YAML is a few hundred kilobytes at most; is this "
                                "the right file?")])
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start].decode("utf-8", errors="replace")
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        problem = Problem("encoding", "the file is not UTF-8 text (a byte here is not valid "
                          "UTF-8)", Origin(display_name, line, column),
                          "save the file as UTF-8 (in Notepad++: Encoding > UTF-8)")
        raise IvbError([problem]) from None
    text = text.removeprefix("\ufeff")
    separator = re.search("[\u2028\u2029\x85]", text)
    if separator is not None:
        # YAML counts these as line breaks, so every later position would be off by one.
        before = text[: separator.start()]
        line = before.count("\n") + 1
        column = separator.start() - (before.rfind("\n") + 1) + 1
        raise IvbError([Problem("yaml-separator", f"the file contains an invisible line "
                                f"separator (U+{ord(separator.group()):04X})",
                                Origin(display_name, line, column),
                                "it comes with text pasted from a web page; delete it, or "
                                "retype the text around it")])
    return parse_yaml(text, display_name)


def load_mapping(path: Path, display_name: str, problems: list[Problem], code: str,
                 message: str) -> MapNode | None:
    """Read a YAML file that must hold a mapping; its problems are added to `problems`."""
    try:
        node = load_yaml(path, display_name)
    except IvbError as error:
        problems.extend(error.problems)
        return None
    if not isinstance(node, MapNode):
        problems.append(Problem(code, message, node.origin))
        return None
    return node


def parse_yaml(text: str, display_name: str) -> Node:
    """Parse YAML text into nodes; an empty document becomes an empty mapping."""
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:
        raise IvbError([_reader_problem(exc, text, display_name)]) from None
    try:
        root = loader.get_single_node()
    except RecursionError:
        raise IvbError([Problem("yaml-depth", "the YAML is nested too deeply",
                                Origin(display_name, 1, 1), "a policy text nests a few levels "
                                f"deep; at most {MAX_DEPTH} are allowed")]) from None
    except yaml.MarkedYAMLError as exc:
        raise IvbError([_syntax_problem(exc, text, display_name)]) from None
    except yaml.reader.ReaderError as exc:
        raise IvbError([_reader_problem(exc, text, display_name)]) from None
    except yaml.YAMLError as exc:  # not marked: rare
        raise IvbError([Problem("yaml-syntax", str(exc), Origin(display_name))]) from None
    finally:
        loader.dispose()
    if root is None:
        return MapNode({}, {}, Origin(display_name, 1, 1))
    problems = [Problem("yaml-alias", f"YAML anchors and aliases ('{name}') are not supported",
                        _origin(mark, display_name),
                        "write the value out; a text that starts with '*' or '&' must be quoted")
                for name, mark in loader.shared_values]
    if problems:
        raise IvbError(problems)
    try:
        node = _convert(root, loader, display_name, problems)
    except _TooDeep as deep:
        raise IvbError([Problem("yaml-depth", f"the YAML is nested more than {MAX_DEPTH} "
                                "levels deep", deep.origin, "a policy text nests a few levels "
                                "deep; check the indentation")]) from None
    except RecursionError:
        raise IvbError([Problem("yaml-depth", "the YAML is nested too deeply",
                                _origin(root.start_mark, display_name))]) from None
    if problems:
        raise IvbError(problems)
    return node


def _origin(mark: yaml.Mark, file: str) -> Origin:
    return Origin(file, mark.line + 1, mark.column + 1)


def _reader_problem(exc: yaml.reader.ReaderError, text: str, file: str) -> Problem:
    before = text[: exc.position]
    line = before.count("\n") + 1
    column = exc.position - (before.rfind("\n") + 1) + 1
    character = exc.character if isinstance(exc.character, str) else chr(exc.character)
    return Problem("yaml-character", f"the file contains an invisible control character "
                   f"(U+{ord(character):04X})", Origin(file, line, column),
                   "it often comes with text pasted from Word (a manual line break); "
                   "delete it, or retype the text around it")


# Characters that start special YAML syntax when a plain text begins with them.
_SPECIAL_START = "*&!%@`|>'\"[{"
_CURLY_QUOTES = "\u201c\u201d\u2018\u2019"


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, file: str) -> Problem:
    lines = text.splitlines()
    mark = exc.problem_mark or exc.context_mark
    # An unclosed quote or bracket is found far after it was opened: point at the opening.
    if exc.context_mark is not None and exc.context and (
            "quoted scalar" in exc.context or "flow" in exc.context):
        mark = exc.context_mark
    origin = _origin(mark, file) if mark is not None else Origin(file)
    problem = exc.problem or exc.context or "invalid YAML"
    if exc.context and exc.context_mark is not None and mark is exc.context_mark:
        problem = f"{exc.context} that is never closed ({exc.problem})"
    hint = "check the indentation and the quoting on this line and the one before it"
    line = lines[mark.line] if mark is not None and mark.line < len(lines) else ""
    previous = lines[mark.line - 1] if mark is not None and 0 < mark.line <= len(lines) else ""
    indent = line[: len(line) - len(line.lstrip(" \t"))]
    value = line.split(": ", 1)[1].lstrip() if ": " in line else line.strip().lstrip("- ")
    if "\t" in indent:
        problem = "a tab is used for indentation"
        hint = "YAML indents with spaces only: replace the tab by spaces"
    elif "\t" in line or "\t" in problem:
        problem = "a tab character in this line"
        hint = "replace the tab by a space"
    elif "\u00a0" in line or "\u00a0" in previous:
        problem = "a non-breaking space in this line"
        hint = "replace the non-breaking space (often typed after ':' in Word) by a normal space"
    elif any(q in line for q in _CURLY_QUOTES):
        hint = ("the text uses curly quotes (\u201c \u201d) from a word processor; YAML needs "
                "straight quotes (\") around a text, or none")
    elif value[:1] and value[0] in _SPECIAL_START and "quoted" not in problem:
        hint = (f"a text that starts with '{value[0]}' has a special meaning in YAML: put the "
                "whole text between double quotes")
    elif "mapping values are not allowed" in problem:
        hint = ("a text containing ': ' must be quoted, or written as a block with '|'; "
                "otherwise check the indentation")
    return Problem("yaml-syntax", f"YAML syntax error: {problem}", origin, hint)


def _scalar(node: yaml.ScalarNode, loader: _Loader, origin: Origin,
            problems: list[Problem]) -> ScalarNode:
    try:
        value = loader.construct_object(node, deep=True)
    except yaml.constructor.ConstructorError:
        problems.append(Problem("yaml-tag", f"unknown YAML tag '{node.tag}'", origin,
                                "a text that starts with '!' must be put between double quotes"))
        value = node.value
    except (ValueError, OverflowError) as exc:
        what = "date" if node.tag.endswith(":timestamp") else "value"
        problems.append(Problem("yaml-value", f"'{node.value}' is not a valid {what}: {exc}",
                                origin, "write dates as year-month-day, e.g. 2020-01-09"
                                if what == "date" else None))
        value = node.value
    start, end = node.start_mark, node.end_mark
    raw = start.buffer[start.pointer:end.pointer] if start.buffer else None
    return ScalarNode(value, origin, node.style, raw)


def _convert(node: yaml.Node, loader: _Loader, file: str, problems: list[Problem],
             depth: int = 0) -> Node:
    origin = _origin(node.start_mark, file)
    if depth > MAX_DEPTH:
        # Every later stage walks the tree: refuse what no policy needs before they recurse.
        raise _TooDeep(origin)
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node, loader, origin, problems)
    if isinstance(node, yaml.SequenceNode):
        return SeqNode(tuple(_convert(item, loader, file, problems, depth + 1)
                             for item in node.value), origin)
    assert isinstance(node, yaml.MappingNode)
    values: dict[Key, Node] = {}
    keys: dict[Key, Origin] = {}
    for key_node, value_node in node.value:
        key_origin = _origin(key_node.start_mark, file)
        if key_node.tag == "tag:yaml.org,2002:merge":
            problems.append(Problem("merge-key", "YAML merge keys ('<<') are not supported",
                                    key_origin, "write the keys out; use the changes of a "
                                    "municipality file for local differences"))
            continue
        if not isinstance(key_node, yaml.ScalarNode):
            problems.append(Problem("key-type", "a key must be a plain word or number", key_origin))
            continue
        key = _scalar(key_node, loader, key_origin, problems).value
        if not isinstance(key, str | int) or isinstance(key, bool):
            key = str(key_node.value)
        if key in values:
            first = keys[key]
            problems.append(Problem(
                "duplicate-key", f"duplicate key '{key}' (first written at line {first.line})",
                key_origin,
                "remove one of the two; a repeated key would silently replace the first",
            ))
            continue
        keys[key] = key_origin
        values[key] = _convert(value_node, loader, file, problems, depth + 1)
    return MapNode(values, keys, origin)


class SourceMap:
    """Positions of the values (and keys) of a plain-data tree, by path."""

    def __init__(self, values: dict[Path_, Origin], keys: dict[Path_, Origin],
                 default: Origin) -> None:
        self._values = values
        self._keys = keys
        self._default = default

    def origin(self, path: Path_) -> Origin:
        """The origin of the value at `path`, or of its nearest known ancestor."""
        for end in range(len(path), -1, -1):
            found = self._values.get(path[:end])
            if found is not None:
                return found
        return self._default

    def key_origin(self, path: Path_) -> Origin:
        """The origin of the key that holds the value at `path` (falls back to the value)."""
        return self._keys.get(path) or self.origin(path)

    def items(self) -> Iterator[tuple[Path_, Origin]]:
        return iter(self._values.items())


def to_plain(node: Node) -> tuple[Any, SourceMap]:
    """Plain Python data (dicts, lists, scalars) and the position of every part of it."""
    values: dict[Path_, Origin] = {}
    keys: dict[Path_, Origin] = {}

    def walk(current: Node, path: Path_) -> Any:
        values[path] = current.origin
        if isinstance(current, ScalarNode):
            return current.value
        if isinstance(current, SeqNode):
            return [walk(item, (*path, index)) for index, item in enumerate(current.items)]
        result = {}
        for key, child in current.values.items():
            keys[(*path, key)] = current.keys[key]
            result[key] = walk(child, (*path, key))
        return result

    return walk(node, ()), SourceMap(values, keys, node.origin)


def walk_nodes(node: Node, path: Path_ = ()) -> Iterator[tuple[Path_, Node]]:
    """Every node of a tree with its path, parents before children."""
    yield path, node
    if isinstance(node, MapNode):
        for key, child in node.values.items():
            yield from walk_nodes(child, (*path, key))
    elif isinstance(node, SeqNode):
        for index, child in enumerate(node.items):
            yield from walk_nodes(child, (*path, index))


def node_at(tree: Node, path: Path_) -> Node | None:
    """The node at `path`, or None when the path leads nowhere."""
    node: Node = tree
    for key in path:
        if isinstance(node, MapNode) and key in node.values:
            node = node.values[key]
        elif isinstance(node, SeqNode) and isinstance(key, int) and 0 <= key < len(node.items):
            node = node.items[key]
        else:
            return None
    return node


def locate(tree: MapNode, address: str) -> tuple[Path_, Node] | None:
    """The path and node an address names, or None: for reading, not for changes.

    An address starts with an item id or a top-level key (`document`) and may
    go on with field names and list positions: `jeugd-en-veiligheid.attention.2`.
    (Changes never address by list position; `overlay` resolves their targets
    with its own, stricter rules and messages.)
    """
    head, *fields = address.split(".")
    places = find_ids(tree).get(head)
    if places:
        path, _ = places[0]
    elif head in tree.values:
        path = (head,)
    else:
        return None
    path = (*path, *(int(field) if field.isdigit() else field for field in fields))
    node = node_at(tree, path)
    return (path, node) if node is not None else None


def item_id(node: Node | None) -> str | None:
    """The id of an item (a mapping with a text `id`), or None for anything else."""
    if isinstance(node, MapNode):
        value = node.values.get("id")
        if isinstance(value, ScalarNode) and isinstance(value.value, str):
            return value.value
    return None


def find_ids(tree: Node) -> dict[str, list[tuple[Path_, MapNode]]]:
    """Every id in a tree with the path(s) of the item(s) that carry it."""
    found: dict[str, list[tuple[Path_, MapNode]]] = {}
    for path, node in walk_nodes(tree):
        found_id = item_id(node)
        if found_id is not None and isinstance(node, MapNode):
            found.setdefault(found_id, []).append((path, node))
    return found

def plain_value(node: Node) -> Any:
    """A node as plain data (for fingerprints and display)."""
    if isinstance(node, ScalarNode):
        return node.value
    if isinstance(node, SeqNode):
        return [plain_value(item) for item in node.items]
    return {key: plain_value(value) for key, value in node.values.items()}
