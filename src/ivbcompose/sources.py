"""YAML files → a tree of nodes that know their file, line and column.

PyYAML's safe composer gives us positions; we turn its node graph into our own
small immutable node types (`MapNode`, `SeqNode`, `ScalarNode`), refusing
duplicate keys, merge keys and non-scalar keys on the way. The overlay stage
works on these nodes, so provenance survives every change; `to_plain` finally
turns a tree into plain Python data plus a `SourceMap` for error positions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeAlias, TypeVar, overload

import yaml

from .errors import IvbError, Problem
from .i18n import Message, ntr, tr
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
    "find_item",
    "ids_added",
    "ids_inside",
    "item_id",
    "load_mapping",
    "load_yaml",
    "locate",
    "node_at",
    "parse_yaml",
    "plain_value",
    "remembered",
    "to_plain",
    "walk_nodes",
]

Key: TypeAlias = str | int
Path_: TypeAlias = tuple[Key, ...]
_T = TypeVar("_T")


class remembered(Generic[_T]):  # lower case: a decorator, like cached_property
    """`functools.cached_property` without its lock.

    Python 3.11's cached_property holds one lock per property for all instances while it
    computes. The id index of a node asks its children's, of the other class: two
    threads composing at once (the preview server and a request) took the two locks in
    opposite order and waited for each other forever. A value here is a pure function of
    an immutable node, so two threads that compute it at once get the same value.
    """

    def __init__(self, compute: Callable[[Any], _T]) -> None:
        self.compute = compute
        self.name = compute.__name__
        self.__doc__ = compute.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> remembered[_T]: ...

    @overload
    def __get__(self, instance: object, owner: type | None = None) -> _T: ...

    def __get__(self, instance: object | None, owner: type | None = None
                ) -> _T | remembered[_T]:
        if instance is None:
            return self
        value = self.compute(instance)
        # Kept in the instance's own dictionary, which a frozen dataclass allows: from
        # then on the attribute is found there, without this descriptor.
        instance.__dict__[self.name] = value
        return value


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

    @remembered
    def id_steps(self) -> dict[str, Key]:
        """For every id inside the list, the index of the first element that has it."""
        return _id_steps(enumerate(self.items))

    @remembered
    def ids_within(self) -> tuple[str, ...]:
        """Every id inside the list."""
        return tuple(self.id_steps)

    def replacing(self, index: int, item: Node, added: tuple[str, ...] | None = None
                  ) -> SeqNode:
        """The list with the element at `index` replaced by `item`; `added` as for
        `ids_added`, when the caller knows it."""
        old = self.items[index]
        made = SeqNode((*self.items[:index], item, *self.items[index + 1:]), self.origin)
        if added is None:
            added = ids_added(old, item)
        index_after = _index_after(self.__dict__.get("id_steps"), added, index, int)
        if index_after is not None:
            made.__dict__["id_steps"] = index_after
        return made

    def appending(self, item: Node) -> SeqNode:
        """The list with `item` added at the end."""
        made = SeqNode((*self.items, item), self.origin)
        index_after = _index_after(self.__dict__.get("id_steps"), ids_inside(item),
                                   len(self.items), int)
        if index_after is not None:
            made.__dict__["id_steps"] = index_after
        return made


@dataclass(frozen=True)
class MapNode:
    """A mapping. `values` and `keys` are never mutated after construction."""

    values: dict[Key, Node]
    keys: dict[Key, Origin]
    origin: Origin

    def get(self, key: Key) -> Node | None:
        return self.values.get(key)

    def setting(self, key: Key, value: Node, added: tuple[str, ...] | None = None
                ) -> MapNode:
        """The mapping with the value of its `key` replaced by `value`; `added` as for
        `ids_added`, when the caller knows it."""
        old = self.values[key]
        made = MapNode({**self.values, key: value}, dict(self.keys), self.origin)
        if added is None:
            added = ids_added(old, value)
        index_after = _index_after(self.__dict__.get("id_steps"), added, key,
                                   list(self.values).index)
        if index_after is not None:
            made.__dict__["id_steps"] = index_after
        return made

    @remembered
    def id_steps(self) -> dict[str, Key]:
        """For every id below this mapping, the key of the first value that has it."""
        return _id_steps(self.values.items())

    @remembered
    def ids_within(self) -> tuple[str, ...]:
        """This mapping's own id, if it is an item, and every id below it."""
        own = item_id(self)
        return (own, *self.id_steps) if own is not None else tuple(self.id_steps)

    @remembered
    def id_places(self) -> dict[str, list[tuple[Path_, MapNode]]]:
        """`find_ids` of this mapping, made once: composing asks it of the same trees."""
        return _walk_ids(self)


def _id_steps(children: Iterable[tuple[Key, Node]]) -> dict[str, Key]:
    # Kept on each node (nodes never change), so after a change only the nodes on the
    # changed path are indexed again, from their children's indexes: a lookup by id costs
    # the depth of the tree, not a walk through it, however many changes came before.
    steps: dict[str, Key] = {}
    for key, child in reversed(list(children)):  # the first child that has an id wins
        steps.update(dict.fromkeys(ids_inside(child), key))
    return steps


def ids_added(old: Node, new: Node) -> tuple[str, ...] | None:
    """The ids inside `new` that are not inside `old`, in order; None when `old` has an id
    that `new` lacks (an index must then be made again, since another child may hold it).

    A change of a large list (an item added to a chapter of a thousand) knows the ids it
    brings, and passes them on (`SeqNode.replacing`, `MapNode.setting`): worked out here,
    they cost a pass over both nodes' ids, at every level of the tree, for every change.
    Any tuple between "the ids `new` has and `old` lacks" and "all of `new`'s ids" will do.
    """
    new_ids, old_ids = ids_inside(new), ids_inside(old)
    if new_ids == old_ids:
        return ()
    old_set = set(old_ids)
    if not old_set.issubset(new_ids):
        return None
    return tuple(found for found in new_ids if found not in old_set)


def _index_after(known: dict[str, Key] | None, added: tuple[str, ...] | None, step: Key,
                 place: Callable[[Any], int]) -> dict[str, Key] | None:
    """A node's id index after its child at `step` changed and gained the ids `added`
    (see `ids_added`), made from the index it had (`known`); None when it must be made
    again from the children.

    The same ids (an update) keep the very same index, which is never changed once made,
    not a copy of it for every update. Otherwise only the ids added are set, instead of
    a pass over a list that may have thousands of elements: those the child had point at
    `step` or earlier already. `place` gives a step's position among the children (a
    list's index, a key's order).
    """
    if known is None or added is None:
        return None
    if not added:
        return known
    steps = dict(known)
    for found in added:
        if place(steps.get(found, step)) >= place(step):
            steps[found] = step
    return steps


def ids_inside(node: Node) -> tuple[str, ...]:
    """Every id inside a node (its own, if it is an item, first)."""
    return () if isinstance(node, ScalarNode) else node.ids_within


Node: TypeAlias = MapNode | SeqNode | ScalarNode


MAX_DEPTH = 40
MAX_FILE_BYTES = 10 * 2**20


class _TooDeep(Exception):
    def __init__(self, origin: Origin) -> None:
        self.origin = origin


class _Inexact(Exception):
    """libyaml places an empty value (`key:` with nothing after it) in a flow collection or
    after a '?' elsewhere than PyYAML: such a text is read again by the Python parser."""


class _NotingAliases:
    """Notes every anchor and alias the composer meets, so they can be refused with their
    position (an alias would share one value invisibly between places). `text` is the
    document, for the scalars as written (`ScalarNode.raw`)."""

    shared_values: list[tuple[str, yaml.Mark]]
    text: str

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[attr-defined]
        if isinstance(event, yaml.AliasEvent):
            self.shared_values.append((f"*{event.anchor}", event.start_mark))
        elif getattr(event, "anchor", None):
            self.shared_values.append((f"&{event.anchor}", event.start_mark))
        return super().compose_node(parent, index)  # type: ignore[misc, no-any-return]


class _Loader(_NotingAliases, yaml.SafeLoader):
    """PyYAML's safe loader in Python: slow, but its errors are the ones we word."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.shared_values, self.text = [], stream


try:
    from yaml.cyaml import CParser as _CParser
except ImportError:  # PyYAML built without libyaml: the Python parser does it all
    _CParser = None


if _CParser is not None:
    class _FastLoader(_NotingAliases, yaml.composer.Composer, _CParser,  # type: ignore[misc]
                      yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
        """libyaml's C parser under PyYAML's own composer: the same nodes and marks as
        `_Loader` (line, column and index), several times faster."""

        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)
            yaml.composer.Composer.__init__(self)
            self.shared_values, self.text = [], stream

    class _CLoader(_CParser, yaml.constructor.SafeConstructor,  # type: ignore[misc]
                   yaml.resolver.Resolver):
        """libyaml parsing and composing: for a text without anchors or aliases (which
        libyaml's composer resolves without a trace), the same nodes again, faster."""

        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)
            self.shared_values, self.text = [], stream


# What may stand before the start of a node on its line: nothing but list dashes, a key's
# colon, a flow collection's bracket or comma, a tag, a '?' or '---'.
_BEFORE_NODE = re.compile(r"(?: *(?:- +)*|.*(?:: *|[\[{,] *|!\S* +|\? +|--- +))")
_ANCHOR_SIGN = re.compile(r"[&*](?=\S)")
# The '?' of a complex key: libyaml marks an empty value after it elsewhere than PyYAML.
_KEY_SIGN = re.compile(r"\?(?=\s|$)")


def _may_have(sign: re.Pattern[str], text: str) -> bool:
    """Whether `sign` could start a node somewhere in `text`. Also true for some ordinary
    texts ("**vet**" at a line's start): those only go the slower, exact way."""
    for found in sign.finditer(text):
        start = text.rfind("\n", 0, found.start()) + 1
        if _BEFORE_NODE.fullmatch(text, start, found.start()):
            return True
    return False


def load_yaml(path: Path, display_name: str) -> Node:
    """Read one YAML file; positions in errors use `display_name` (project-relative)."""
    # Only a regular file of sane size is read: a FIFO would hang, /dev/zero never end.
    if not path.is_file():
        raise IvbError([Problem("not-a-file", tr("this is not a regular file"),
                                Origin(display_name),
                                tr("a YAML file of the project must be an ordinary text file"))])
    if path.stat().st_size > MAX_FILE_BYTES:
        raise IvbError([Problem("file-too-large", tr("the file is larger than {size} MB",
                                                     size=MAX_FILE_BYTES // 2**20),
                                Origin(display_name),
                                tr("a policy's YAML is a few hundred kilobytes at most; is "
                                   "this the right file?"))])
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start].decode("utf-8", errors="replace")
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        problem = Problem("encoding", tr("the file is not UTF-8 text (a byte here is not valid "
                                         "UTF-8)"), Origin(display_name, line, column),
                          tr("save the file as UTF-8 (in Notepad++: Encoding > UTF-8)"))
        raise IvbError([problem]) from None
    text = text.removeprefix("\ufeff")
    separator = re.search("[\u2028\u2029\x85]", text)
    if separator is not None:
        # YAML counts these as line breaks, so every later position would be off by one.
        before = text[: separator.start()]
        line = before.count("\n") + 1
        column = separator.start() - (before.rfind("\n") + 1) + 1
        raise IvbError([Problem("yaml-separator", tr("the file contains an invisible line "
                                                     "separator (U+{code})",
                                                     code=format(ord(separator.group()), "04X")),
                                Origin(display_name, line, column),
                                tr("it comes with text pasted from a web page; delete it, or "
                                   "retype the text around it"))])
    return parse_yaml(text, display_name)


def load_mapping(path: Path, display_name: str, problems: list[Problem], code: str,
                 message: str, hint: str) -> MapNode | None:
    """Read a YAML file that must hold a mapping; its problems are added to `problems`
    (`message` and `hint` when the file holds something else)."""
    try:
        node = load_yaml(path, display_name)
    except IvbError as error:
        problems.extend(error.problems)
        return None
    if not isinstance(node, MapNode):
        problems.append(Problem(code, message, node.origin, hint))
        return None
    return node


def parse_yaml(text: str, display_name: str) -> Node:
    """Parse YAML text into nodes; an empty document becomes an empty mapping."""
    try:
        return _parsed(text, display_name, fast=True)
    except (IvbError, _Inexact):
        # libyaml takes some texts that PyYAML refuses: the mistakes of a text are the
        # Python parser's, so both parsers report the same ones.
        return _parsed(text, display_name, fast=False)


def _parsed(text: str, display_name: str, fast: bool) -> Node:
    root, loader = _compose(text, display_name, fast)
    if root is None:
        return MapNode({}, {}, Origin(display_name, 1, 1))
    problems = [Problem("yaml-alias", tr("YAML anchors and aliases ('{name}') are not "
                                         "supported", name=name),
                        _origin(mark, display_name),
                        tr("write the value out; a text that starts with '*' or '&' must be "
                           "quoted"))
                for name, mark in loader.shared_values]
    if problems:
        raise IvbError(problems)
    try:
        node = _convert(root, loader, display_name, problems)
    except _TooDeep as deep:
        raise IvbError([Problem("yaml-depth", tr("the YAML is nested more than {n} levels "
                                                 "deep", n=MAX_DEPTH), deep.origin,
                                tr("a policy text nests a few levels deep; check the "
                                   "indentation"))]) from None
    except RecursionError:
        raise IvbError([Problem("yaml-depth", tr("the YAML is nested too deeply"),
                                _origin(root.start_mark, display_name),
                                tr("a policy text nests a few levels deep; check the "
                                   "indentation"))]) from None
    if problems:
        raise IvbError(problems)
    return node


def _compose(text: str, display_name: str, fast: bool) -> tuple[yaml.Node | None, Any]:
    """The document's node graph: with libyaml when it is there and the text is well
    formed, else with the Python parser, whose errors are worded in `_syntax_problem`."""
    # libyaml takes tabs where PyYAML refuses them, and other characters PyYAML's reader
    # refuses: such a text goes to the Python parser, so both accept the same files.
    if fast and _CParser is not None and "\t" not in text \
            and not yaml.reader.Reader.NON_PRINTABLE.search(text) \
            and not _may_have(_KEY_SIGN, text):
        # libyaml's composer resolves anchors without a trace: PyYAML's notes them.
        quick = _FastLoader(text) if _may_have(_ANCHOR_SIGN, text) else _CLoader(text)
        try:
            return quick.get_single_node(), quick
        except yaml.YAMLError:
            pass  # the Python parser says where and what, in the words we translate
        except RecursionError:
            raise IvbError([_too_deep(display_name)]) from None
        finally:
            quick.dispose()
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:
        raise IvbError([_reader_problem(exc, text, display_name)]) from None
    try:
        return loader.get_single_node(), loader
    except RecursionError:
        raise IvbError([_too_deep(display_name)]) from None
    except yaml.MarkedYAMLError as exc:
        raise IvbError([_syntax_problem(exc, text, display_name)]) from None
    except yaml.reader.ReaderError as exc:
        raise IvbError([_reader_problem(exc, text, display_name)]) from None
    except yaml.YAMLError as exc:  # not marked: rare
        raise IvbError([Problem("yaml-syntax", tr("YAML syntax error: {problem}",
                                                  problem=str(exc)),
                                Origin(display_name),
                                tr("check the indentation and the quoting on this line and the "
                                   "one before it"))]) from None
    finally:
        loader.dispose()


def _too_deep(display_name: str) -> Problem:
    return Problem("yaml-depth", tr("the YAML is nested too deeply"), Origin(display_name, 1, 1),
                   tr("a policy text nests a few levels deep; at most {n} are allowed",
                      n=MAX_DEPTH))


def _origin(mark: yaml.Mark, file: str) -> Origin:
    return Origin(file, mark.line + 1, mark.column + 1)


def _reader_problem(exc: yaml.reader.ReaderError, text: str, file: str) -> Problem:
    before = text[: exc.position]
    line = before.count("\n") + 1
    column = exc.position - (before.rfind("\n") + 1) + 1
    character = exc.character if isinstance(exc.character, str) else chr(exc.character)
    return Problem("yaml-character", tr("the file contains an invisible control character "
                                        "(U+{code})", code=format(ord(character), "04X")),
                   Origin(file, line, column),
                   tr("it often comes with text pasted from Word (a manual line break); "
                      "delete it, or retype the text around it"))


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
    problem: str = _yaml_words(exc.problem) or _yaml_words(exc.context) or tr("invalid YAML")
    if exc.context and exc.context_mark is not None and mark is exc.context_mark:
        problem = tr("{context} that is never closed ({problem})",
                     context=_yaml_words(exc.context), problem=_yaml_words(exc.problem))
    hint = tr("check the indentation and the quoting on this line and the one before it")
    line = lines[mark.line] if mark is not None and mark.line < len(lines) else ""
    previous = lines[mark.line - 1] if mark is not None and 0 < mark.line <= len(lines) else ""
    indent = line[: len(line) - len(line.lstrip(" \t"))]
    value = line.split(": ", 1)[1].lstrip() if ": " in line else line.strip().lstrip("- ")
    if "\t" in indent:
        problem = tr("a tab is used for indentation")
        hint = tr("YAML indents with spaces only: replace the tab by spaces")
    elif "\t" in line or "\t" in problem:
        problem = tr("a tab character in this line")
        hint = tr("replace the tab by a space")
    elif "\u00a0" in line or "\u00a0" in previous:
        # PyYAML stumbles over it only on the next line at times: point at the space itself.
        number = mark.line if "\u00a0" in line else mark.line - 1
        bad = lines[number]
        origin = Origin(file, number + 1, bad.index("\u00a0") + 1)
        problem = tr("a non-breaking space in this line")
        hint = tr("replace the non-breaking space (often typed after ':' in Word) by a normal "
                  "space")
    elif any(q in line for q in _CURLY_QUOTES):
        hint = tr("the text uses curly quotes (\u201c \u201d) from a word processor; YAML needs "
                  "straight quotes (\") around a text, or none")
    elif value[:1] and value[0] in _SPECIAL_START and "quoted" not in problem:
        hint = tr("a text that starts with '{character}' has a special meaning in YAML: put the "
                  "whole text between double quotes", character=value[0])
    elif exc.problem and "expected <block end>" in exc.problem and mark is not None \
            and (indentation := _indentation_hint(lines, mark.line)) is not None:
        # PyYAML's "expected <block end>" says nothing to a reader: say what is wrong.
        problem = tr("the indentation of this line does not fit the lines above it")
        hint = indentation
    elif "mapping values are not allowed" in problem:
        hint = tr("a text containing ': ' must be quoted, or written as a block with '|'; "
                  "otherwise check the indentation")
    return Problem("yaml-syntax", tr("YAML syntax error: {problem}", problem=problem), origin,
                   hint)


def _indentation_hint(lines: list[str], number: int) -> Message | None:
    """What to do with a line that ends a block too early: a key indented less than the
    keys it belongs to, or a new list item whose '- ' was forgotten."""
    line = lines[number] if number < len(lines) else ""
    have = len(line) - len(line.lstrip(" "))
    if line.lstrip().startswith("- "):
        return None
    above = [text for text in lines[:number] if text.strip() and not text.lstrip().startswith("#")]
    if not above:
        return None
    last = above[-1]
    dash = len(last) - len(last.lstrip(" "))
    want = dash + 2 if last.lstrip().startswith("- ") else dash
    if have > want:
        # Deeper than a key whose value is already on its line: it cannot belong to it.
        # The value as written before any comment (whose own ': ' is not a value's).
        value = last.split("#", 1)[0].partition(": ")[2].strip()
        if value and value not in ("|", ">", "|-", ">-"):
            return ntr("this line is indented by {n} space, more than the key above it "
                       "({want}): keys of one item start right under each other",
                       "this line is indented by {n} spaces, more than the key above it "
                       "({want}): keys of one item start right under each other", have,
                       want=want)
        return None
    if have == want:
        return None
    # Is there a list item ('- ') at this very column above, in the same block?
    for text in reversed(above):
        indent = len(text) - len(text.lstrip(" "))
        if indent < have:
            break
        if indent == have and text.lstrip().startswith("- "):
            return tr("this line is at the level of the '- ' above it: if it starts a new "
                      "item of the list, write '- ' before it; if it belongs to the item "
                      "above, indent it by {want} spaces like the keys above it", want=want)
    return ntr("this line is indented by {n} space and the line above by {want}: indent it "
               "like the keys it belongs to", "this line is indented by {n} spaces and the "
               "line above by {want}: indent it like the keys it belongs to", have, want=want)


# PyYAML's own words for what it found, in ours (the same English, but translatable):
# what it says most often. Anything else is shown as PyYAML says it.
_YAML_WORDS: tuple[tuple[re.Pattern[str], Callable[..., Message]], ...] = tuple(
    (re.compile(pattern), words) for pattern, words in (
        (r"mapping values are not allowed here",
         lambda: tr("mapping values are not allowed here")),
        (r"mapping keys are not allowed here", lambda: tr("mapping keys are not allowed here")),
        (r"sequence entries are not allowed here",
         lambda: tr("sequence entries are not allowed here")),
        (r"could not find expected ':'", lambda: tr("could not find expected ':'")),
        (r"found unexpected end of stream", lambda: tr("found unexpected end of stream")),
        (r"found unexpected document separator",
         lambda: tr("found unexpected document separator")),
        (r"expected a single document in the stream",
         lambda: tr("expected a single document in the stream")),
        (r"but found another document", lambda: tr("but found another document")),
        (r"found undefined alias (.+)",
         lambda found: tr("found undefined alias {name}", name=found)),
        (r"found character (.+) that cannot start any token",
         lambda found: tr("found character {character} that cannot start any token",
                          character=found)),
        (r"found unknown escape character (.+)",
         lambda found: tr("found unknown escape character {character}", character=found)),
        (r"expected a comment or a line break, but found (.+)",
         lambda found: tr("expected a comment or a line break, but found {character}",
                          character=found)),
        (r"expected <block end>, but found (.+)",
         lambda found: tr("expected the end of a block, but found {token}",
                          token=_token(found))),
        (r"expected the node content, but found (.+)",
         lambda found: tr("expected a value, but found {token}", token=_token(found))),
        (r"expected ',' or '\]', but got (.+)",
         lambda found: tr("expected ',' or ']', but got {token}", token=_token(found))),
        (r"expected ',' or '\}', but got (.+)",
         lambda found: tr("expected ',' or '}}', but got {token}", token=_token(found))),
        (r"expected '<document start>', but found (.+)",
         lambda found: tr("expected '---' (a new document), but found {token}",
                          token=_token(found))),
        (r"while scanning a simple key", lambda: tr("while scanning a simple key")),
        (r"while scanning a quoted scalar", lambda: tr("while scanning a quoted scalar")),
        (r"while scanning a double-quoted scalar",
         lambda: tr("while scanning a double-quoted scalar")),
        (r"while scanning a block scalar", lambda: tr("while scanning a block scalar")),
        (r"while scanning a plain scalar", lambda: tr("while scanning a plain scalar")),
        (r"while scanning for the next token", lambda: tr("while scanning for the next token")),
        (r"while scanning an alias", lambda: tr("while scanning an alias")),
        (r"while scanning an anchor", lambda: tr("while scanning an anchor")),
        (r"while scanning a tag", lambda: tr("while scanning a tag")),
        (r"while parsing a block mapping", lambda: tr("while parsing a block mapping")),
        (r"while parsing a block collection", lambda: tr("while parsing a block collection")),
        (r"while parsing a flow sequence", lambda: tr("while parsing a flow sequence")),
        (r"while parsing a flow mapping", lambda: tr("while parsing a flow mapping")),
        (r"while parsing a flow node", lambda: tr("while parsing a flow node")),
        (r"while parsing a block node", lambda: tr("while parsing a block node")),
    ))


# The names PyYAML gives what it found ('<scalar>'), in words a reader knows.
_TOKENS: dict[str, Callable[[], Message]] = {
    "<scalar>": lambda: tr("a value"),
    "<block mapping start>": lambda: tr("a new block of keys"),
    "<block sequence start>": lambda: tr("a new list"),
    "<block end>": lambda: tr("the end of a block"),
    "<stream end>": lambda: tr("the end of the file"),
    "<document start>": lambda: tr("'---' (a new document)"),
    "<document end>": lambda: tr("'...' (the end of a document)"),
    "<alias>": lambda: tr("an alias ('*')"),
    "<anchor>": lambda: tr("an anchor ('&')"),
    "<tag>": lambda: tr("a tag ('!')"),
    "<flow mapping start>": lambda: tr("'{{'"),
    "<flow sequence start>": lambda: tr("'['"),
}


def _token(found: str) -> str:
    """What PyYAML found, as it shows it ("'<scalar>'"), in words when it is a token name."""
    words = _TOKENS.get(found.strip("'"))
    return words() if words is not None else found


def _yaml_words(text: str | None) -> str | None:
    """PyYAML's `problem` or `context` as a translatable message when it is a known one."""
    if not text:
        return text
    for pattern, words in _YAML_WORDS:
        found = pattern.fullmatch(text)
        if found is not None:
            return words(*found.groups())
    return text


_TEXT_TAG = "tag:yaml.org,2002:str"


def _scalar(node: yaml.ScalarNode, loader: Any, origin: Origin,
            problems: list[Problem]) -> ScalarNode:
    try:
        # A text is its scalar's value: most of a policy is text, so the constructor's
        # bookkeeping is left out for it.
        value = node.value if node.tag == _TEXT_TAG else loader.construct_object(node, deep=True)
    except yaml.constructor.ConstructorError:
        problems.append(Problem("yaml-tag", tr("unknown YAML tag '{tag}'", tag=node.tag), origin,
                                tr("a text that starts with '!' must be put between double "
                                   "quotes")))
        value = node.value
    except (ValueError, OverflowError) as exc:
        if node.tag.endswith(":timestamp"):
            problems.append(Problem("yaml-value", tr("'{value}' is not a valid date: {reason}",
                                                     value=node.value, reason=_reason(exc)),
                                    origin, tr("write dates as year-month-day, e.g. 2020-01-09")))
        else:
            problems.append(Problem("yaml-value", tr("'{value}' is not a valid value: {reason}",
                                                     value=node.value, reason=_reason(exc)),
                                    origin, tr("if it is meant as a text, put it between "
                                               "double quotes; otherwise correct the number")))
        value = node.value
    # libyaml's marks carry no buffer, but both parsers count `index` in characters.
    raw = loader.text[node.start_mark.index:node.end_mark.index]
    if not raw and not isinstance(loader, _Loader):
        raise _Inexact()
    # libyaml marks a plain scalar with the style '' where PyYAML has None.
    return ScalarNode(value, origin, node.style or None, raw)


def _reason(error: Exception) -> str:
    """Why Python refused a date, in our (translatable) words when it is a usual reason."""
    text = str(error)
    if text == "month must be in 1..12":
        return tr("month must be in 1..12")
    if text == "day is out of range for month":
        return tr("day is out of range for month")
    found = re.fullmatch(r"year (-?\d+) is out of range", text)
    if found is not None:
        return tr("year {year} is out of range", year=found.group(1))
    if text == "date value out of range":
        return tr("date value out of range")
    return text


def _convert(node: yaml.Node, loader: Any, file: str, problems: list[Problem],
             depth: int = 0, in_list: bool = False) -> Node:
    origin = _origin(node.start_mark, file)
    if depth > MAX_DEPTH:
        # Every later stage walks the tree: refuse what no policy needs before they recurse.
        raise _TooDeep(origin)
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node, loader, origin, problems)
    if isinstance(node, yaml.SequenceNode):
        return SeqNode(tuple(_convert(item, loader, file, problems, depth + 1, in_list=True)
                             for item in node.value), origin)
    assert isinstance(node, yaml.MappingNode)
    values: dict[Key, Node] = {}
    keys: dict[Key, Origin] = {}
    for key_node, value_node in node.value:
        key_origin = _origin(key_node.start_mark, file)
        if key_node.tag == "tag:yaml.org,2002:merge":
            problems.append(Problem("merge-key", tr("YAML merge keys ('<<') are not supported"),
                                    key_origin, tr("write the keys out; use the changes of a "
                                                   "municipality file for local differences")))
            continue
        if not isinstance(key_node, yaml.ScalarNode):
            problems.append(Problem("key-type", tr("a key must be a plain word or number"),
                                    key_origin, tr("write one word before the ':', e.g. "
                                                   "'title:'; remove brackets or braces in "
                                                   "front of it")))
            continue
        key = _scalar(key_node, loader, key_origin, problems).value
        if not isinstance(key, str | int) or isinstance(key, bool):
            key = str(key_node.value)
        if key in values:
            first = keys[key]
            problems.append(Problem(
                "duplicate-key", tr("duplicate key '{key}' (first written at line {line})",
                                    key=key, line=first.line),
                key_origin, _duplicate_hint(key, keys) if in_list else
                tr("remove one of the two; a repeated key would silently replace the first"),
            ))
            continue
        keys[key] = key_origin
        values[key] = _convert(value_node, loader, file, problems, depth + 1)
    return MapNode(values, keys, origin)


def _duplicate_hint(key: Key, keys: dict[Key, Origin]) -> Message:
    """In a list item, a repeated key usually means two items ran together: the '- ' of the
    second was forgotten. Name the line where the second one would start."""
    written = list(keys)
    following = written[written.index(key) + 1:] if key in written else []
    if not following:
        return tr("remove one of the two; a repeated key would silently replace the first")
    start = following[0]
    return tr("if a new item of the list starts at line {line} ('{key}'), begin that line "
              "with '- '; otherwise remove one of the two", line=keys[start].line, key=start)


class SourceMap:
    """Positions of the values (and keys) of a plain-data tree, by path: read off the tree
    of nodes the data was made from, when asked. Most paths are never asked (a position
    is wanted for a mistake), so none is worked out before."""

    def __init__(self, tree: Node) -> None:
        self._tree = tree

    def origin(self, path: Path_) -> Origin:
        """The origin of the value at `path`, or of its nearest known ancestor."""
        return self._deepest(path)[-1].origin

    def key_origin(self, path: Path_) -> Origin:
        """The origin of the key that holds the value at `path` (falls back to the value)."""
        nodes = self._deepest(path)
        if len(nodes) == len(path) + 1 and len(nodes) > 1:
            parent = nodes[-2]
            if isinstance(parent, MapNode):
                return parent.keys[path[-1]]
        return nodes[-1].origin

    def items(self) -> Iterator[tuple[Path_, Origin]]:
        """Every path of the data with its value's origin, parents first."""
        return ((path, node.origin) for path, node in walk_nodes(self._tree))

    def _deepest(self, path: Path_) -> list[Node]:
        """The nodes along `path` from the root, as far as the path leads."""
        nodes = [self._tree]
        for key in path:
            child = _child(nodes[-1], key)
            if child is None:
                break
            nodes.append(child)
        return nodes


def to_plain(node: Node) -> tuple[Any, SourceMap]:
    """Plain Python data (dicts, lists, scalars) and the position of every part of it."""
    return plain_value(node), SourceMap(node)


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
    node: Node | None = tree
    for key in path:
        node = _child(node, key) if node is not None else None
    return node


def _child(node: Node, key: Key) -> Node | None:
    """The child of `node` at `key` (a mapping's key, a list's index), or None."""
    if isinstance(node, MapNode):
        return node.values.get(key)
    if isinstance(node, SeqNode) and isinstance(key, int) and 0 <= key < len(node.items):
        return node.items[key]
    return None


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
    """Every id in a tree with the path(s) of the item(s) that carry it, in the order of
    the tree, parents first."""
    return dict(tree.id_places) if isinstance(tree, MapNode) else _walk_ids(tree)


def _walk_ids(tree: Node) -> dict[str, list[tuple[Path_, MapNode]]]:
    found: dict[str, list[tuple[Path_, MapNode]]] = {}
    for path, node in walk_nodes(tree):
        found_id = item_id(node)
        if found_id is not None and isinstance(node, MapNode):
            found.setdefault(found_id, []).append((path, node))
    return found

def find_item(tree: Node, wanted: str) -> tuple[Path_, MapNode] | None:
    """The first item with the id `wanted` and its path (the place `find_ids` names first),
    or None; found along the nodes' indexes (`id_steps`), without walking the tree."""
    path: list[Key] = []
    node = tree
    while not isinstance(node, ScalarNode):
        if isinstance(node, MapNode) and item_id(node) == wanted:
            return tuple(path), node
        step = node.id_steps.get(wanted)
        if step is None:
            return None
        path.append(step)
        node = node.values[step] if isinstance(node, MapNode) else node.items[int(step)]
    return None


def plain_value(node: Node) -> Any:
    """A node as plain data: dicts, lists and scalars."""
    if isinstance(node, ScalarNode):
        return node.value
    if isinstance(node, SeqNode):
        return [plain_value(item) for item in node.items]
    return {key: plain_value(value) for key, value in node.values.items()}
