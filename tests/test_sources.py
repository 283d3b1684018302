"""Tests for ivbcompose.sources: YAML loading with positions and strict keys."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ivbcompose import sources
from ivbcompose.errors import IvbError
from ivbcompose.overlay.tree import set_node
from ivbcompose.provenance import Origin
from ivbcompose.sources import (
    MapNode,
    Node,
    ScalarNode,
    SeqNode,
    find_ids,
    find_item,
    ids_inside,
    parse_yaml,
    remembered,
    to_plain,
    walk_nodes,
)


def problems(text: str) -> list[str]:
    with pytest.raises(IvbError) as caught:
        parse_yaml(text, "x.yaml")
    return [p.headline() for p in caught.value.problems]


def test_every_value_has_its_position() -> None:
    node = parse_yaml("a:\n  b: [1, 2]\n  c: tekst\n", "x.yaml")
    plain, sources = to_plain(node)
    assert plain == {"a": {"b": [1, 2], "c": "tekst"}}
    assert sources.origin(("a", "c")).location() == "x.yaml:3:6"
    assert sources.origin(("a", "b", 1)).location() == "x.yaml:2:10"
    assert sources.key_origin(("a", "c")).location() == "x.yaml:3:3"


def test_unknown_path_falls_back_to_nearest_known_parent() -> None:
    _, sources = to_plain(parse_yaml("a:\n  b: 1\n", "x.yaml"))
    assert sources.origin(("a", "zz", 3)).location() == "x.yaml:2:3"


def test_duplicate_key_is_an_error_naming_both_lines() -> None:
    [message] = problems("a: 1\nb: 2\na: 3\n")
    assert message.startswith("x.yaml:3:1: error: duplicate key 'a'")
    assert "line 1" in message


def test_tab_indentation_is_explained() -> None:
    [message] = problems("a:\n\tb: 1\n")
    assert message.startswith("x.yaml:2:")
    assert "tab" in message


def test_syntax_error_has_position() -> None:
    [message] = problems("a: [1, 2\nb: 3\n")
    assert message.startswith("x.yaml:")
    assert "YAML syntax error" in message


def test_merge_keys_are_refused() -> None:
    [message] = problems("other:\n  <<: {x: 1}\n")
    assert "merge keys" in message


def test_anchors_and_aliases_are_refused_where_they_are_written() -> None:
    messages = problems("base: &b {x: 1}\nother: *b\n")
    assert messages[0].startswith("x.yaml:1:7: error: YAML anchors and aliases")
    assert messages[1].startswith("x.yaml:2:8:")


@pytest.mark.parametrize(("text", "expected"), [
    ("date: 2021-13-09\n", "x.yaml:1:7: error: '2021-13-09' is not a valid date"),
    ("date: 2021-02-30\n", "x.yaml:1:7: error: '2021-02-30' is not a valid date"),
    ("reason: !Belangrijk: tekst\n", "x.yaml:1:9: error: unknown YAML tag '!Belangrijk:'"),
    ("body: een\x0btekst\n", "x.yaml:1:10: error: the file contains an invisible control "
                             "character (U+000B)"),
])
def test_values_yaml_cannot_construct_are_problems(text: str, expected: str) -> None:
    [message] = problems(text)
    assert message.startswith(expected), message


def hint_of(text: str) -> str:
    with pytest.raises(IvbError) as caught:
        parse_yaml(text, "x.yaml")
    return caught.value.problems[0].hint or ""


def test_syntax_hints_name_the_likely_cause() -> None:
    assert "curly quotes" in hint_of("title: \u201cJeugd: alcohol\u201d: x\n")
    assert "double quotes" in hint_of("title: *cursief* woord\n")
    assert "non-breaking space" in hint_of("a:\n  name:\u00a0Urk\n  code: 1\n")
    assert hint_of("a: x\tb: c\n") == "replace the tab by a space"


def test_an_unclosed_quote_is_reported_where_it_opens() -> None:
    [message] = problems('a: 1\nreason: "nooit gesloten\nb: 2\nc: 3\n')
    assert message.startswith("x.yaml:2:9:"), message
    assert "never closed" in message


def test_a_byte_order_mark_is_accepted(tmp_path) -> None:
    from ivbcompose.sources import load_yaml
    path = tmp_path / "x.yaml"
    path.write_bytes("\ufeffa: 1\r\nb: 2\r\n".encode())
    plain, _ = to_plain(load_yaml(path, "x.yaml"))
    assert plain == {"a": 1, "b": 2}


def test_a_file_that_is_not_utf8_names_the_line(tmp_path) -> None:
    from ivbcompose.sources import load_yaml
    path = tmp_path / "x.yaml"
    path.write_bytes("a: 1\nb: caf\xe9\n".encode("latin-1"))
    with pytest.raises(IvbError) as caught:
        load_yaml(path, "x.yaml")
    assert caught.value.problems[0].headline().startswith("x.yaml:2:7: error: the file is not "
                                                          "UTF-8")


def test_empty_file_is_an_empty_mapping() -> None:
    node = parse_yaml("# only a comment\n", "x.yaml")
    assert isinstance(node, MapNode) and node.values == {}


def test_scalars_keep_their_text_as_written() -> None:
    node = parse_yaml("a:\n  body: |\n     tekst\n  title: \"x {{ y }}\"\n", "x.yaml")
    assert isinstance(node, MapNode)
    inner = node.values["a"]
    assert isinstance(inner, MapNode)
    body, title = inner.values["body"], inner.values["title"]
    assert isinstance(body, ScalarNode) and isinstance(title, ScalarNode)
    assert body.style == "|" and body.raw == "|\n     tekst\n"
    assert title.raw == '"x {{ y }}"'


def test_sequences_keep_order() -> None:
    node = parse_yaml("- a\n- b\n", "x.yaml")
    assert isinstance(node, SeqNode)
    assert [item.value for item in node.items if isinstance(item, ScalarNode)] == ["a", "b"]


def test_odd_files_and_deep_nesting_are_problems_not_hangs_or_crashes(tmp_path: Path) -> None:
    import os

    from ivbcompose.sources import load_yaml

    deep_flow = tmp_path / "flow.yaml"
    deep_flow.write_text("x: " + "[" * 600 + "]" * 600 + "\n", encoding="utf-8")
    deep_block = tmp_path / "block.yaml"
    deep_block.write_text("".join("  " * i + f"k{i}:\n" for i in range(400)), encoding="utf-8")
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.yaml"
    zero.symlink_to("/dev/zero")
    found = {}
    for path in (deep_flow, deep_block, fifo, zero):
        with pytest.raises(IvbError) as caught:
            load_yaml(path, path.name)
        found[path.name] = caught.value.problems[0].code
    assert found == {"flow.yaml": "yaml-depth", "block.yaml": "yaml-depth",
                     "fifo.yaml": "not-a-file", "zero.yaml": "not-a-file"}


# libyaml's C parser is only an accelerator: where both parsers accept a text, it must give
# the very nodes (values, positions, styles, raw text) that the Python parser gives; what
# it refuses is worded by the Python parser.
_FIXTURE_YAML = sorted((Path(__file__).parent / "fixtures").rglob("*.yaml"))
_YAML_CHARACTERS = st.sampled_from(list(" \t\n:-#'\"|>[]{},&*!%@`?a1é\u00a0\u201c"))


def _parsed_both_ways(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    def parse() -> object:
        try:
            return parse_yaml(text, "x.yaml")
        except IvbError as error:
            return [p.headline() for p in error.problems]

    fast = parse()
    with monkeypatch.context() as patched:
        patched.setattr(sources, "_CParser", None)
        slow = parse()
    return fast, slow


@pytest.mark.skipif(sources._CParser is None, reason="PyYAML without libyaml")
@pytest.mark.parametrize("path", _FIXTURE_YAML, ids=lambda p: p.name)
def test_the_c_parser_gives_the_same_nodes_as_the_python_parser(
        path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, slow = _parsed_both_ways(path.read_text(encoding="utf-8"), monkeypatch)
    assert isinstance(fast, MapNode)
    assert fast == slow


@pytest.mark.skipif(sources._CParser is None, reason="PyYAML without libyaml")
@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_mutated_yaml_parses_alike_with_both_parsers(data: st.DataObject,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    text = data.draw(st.sampled_from(_FIXTURE_YAML)).read_text(encoding="utf-8")
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.integers(0, 3))
        text = text[:at] + data.draw(st.text(_YAML_CHARACTERS, max_size=3)) + text[at + cut:]
    fast, slow = _parsed_both_ways(text, monkeypatch)
    if isinstance(slow, MapNode | SeqNode | ScalarNode) or isinstance(fast, list):
        assert fast == slow


def _trees() -> st.SearchStrategy[Node]:
    origin = Origin("x.yaml", 1, 1)
    ids = st.sampled_from(["a", "b", "c", "d"])
    scalars = st.builds(lambda v: ScalarNode(v, origin), st.one_of(ids, st.integers(0, 3)))

    def containers(children: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
        items = st.builds(lambda xs: SeqNode(tuple(xs), origin), st.lists(children, max_size=4))
        maps = st.builds(lambda d: MapNode(d, dict.fromkeys(d, origin), origin),
                         st.dictionaries(st.sampled_from(["id", "items", "x", "y"]), children,
                                         max_size=4))
        return st.one_of(items, maps)

    return st.recursive(scalars, containers, max_leaves=30)


def _indexed(tree: Node) -> None:
    for _, node in walk_nodes(tree):
        if not isinstance(node, ScalarNode):
            node.id_steps  # noqa: B018 (indexed before the change, as composing does)


def _found_as_a_walk_finds(tree: Node) -> None:
    walked = find_ids(tree)
    for wanted in ("a", "b", "c", "d", "e"):
        places = walked.get(wanted)
        assert find_item(tree, wanted) == (places[0] if places else None)


@settings(max_examples=400, deadline=None)
@given(tree=_trees(), wanted=st.sampled_from(["a", "b", "c", "d", "e"]))
def test_an_item_is_found_by_its_id_where_a_walk_finds_it_first(tree: Node, wanted: str) -> None:
    places = find_ids(tree).get(wanted)
    assert find_item(tree, wanted) == (places[0] if places else None)


@settings(max_examples=300, deadline=None)
@given(tree=_trees(), data=st.data())
def test_a_list_changed_in_place_finds_its_ids_as_a_walk_does(tree: Node,
                                                              data: st.DataObject) -> None:
    lists = [node for _, node in walk_nodes(tree) if isinstance(node, SeqNode)]
    if not lists:
        return
    items = data.draw(st.sampled_from(lists))
    items.id_steps  # noqa: B018 (indexed before the change, as composing does)
    new = data.draw(_trees())
    if items.items and data.draw(st.booleans()):
        changed = items.replacing(data.draw(st.integers(0, len(items.items) - 1)), new)
    else:
        changed = items.appending(new)
    _found_as_a_walk_finds(changed)


@settings(max_examples=300, deadline=None)
@given(tree=_trees(), data=st.data())
def test_a_mapping_changed_in_place_finds_its_ids_as_a_walk_does(tree: Node,
                                                                 data: st.DataObject) -> None:
    mappings = [node for _, node in walk_nodes(tree) if isinstance(node, MapNode) and node.values]
    if not mappings:
        return
    mapping = data.draw(st.sampled_from(mappings))
    mapping.id_steps  # noqa: B018 (indexed before the change, as composing does)
    key = data.draw(st.sampled_from(list(mapping.values)))
    changed = mapping.setting(key, data.draw(_trees()))
    _found_as_a_walk_finds(changed)


@settings(max_examples=200, deadline=None)
@given(tree=_trees(), data=st.data())
def test_a_node_set_deep_in_a_tree_finds_its_ids_as_a_walk_does(tree: Node,
                                                                 data: st.DataObject) -> None:
    places = [path for path, _ in walk_nodes(tree) if path]
    if not places:
        return
    _indexed(tree)
    changed = set_node(tree, data.draw(st.sampled_from(places)), data.draw(_trees()))
    _found_as_a_walk_finds(changed)


@settings(max_examples=200, deadline=None)
@given(tree=_trees(), data=st.data())
def test_an_item_put_in_a_deep_list_with_its_ids_told_is_found_as_a_walk_finds_it(
        tree: Node, data: st.DataObject) -> None:
    # As an add does: the ids the list gains are the item's, passed up without a pass
    # over the list's own.
    lists = [(path, node) for path, node in walk_nodes(tree) if isinstance(node, SeqNode)]
    if not lists:
        return
    _indexed(tree)
    path, items = data.draw(st.sampled_from(lists))
    new = data.draw(_trees())
    position = data.draw(st.integers(0, len(items.items)))
    grown = SeqNode((*items.items[:position], new, *items.items[position:]), items.origin)
    _found_as_a_walk_finds(set_node(tree, path, grown, ids_inside(new)))


def test_an_id_set_under_an_earlier_key_is_found_there_first() -> None:
    origin = Origin("x.yaml", 1, 1)

    def mapping(**values: Node) -> MapNode:
        return MapNode(values, dict.fromkeys(values, origin), origin)

    tree = mapping(items=ScalarNode(1, origin), x=mapping(id=ScalarNode("a", origin)))
    assert tree.id_steps == {"a": "x"}
    changed = tree.setting("items", mapping(id=ScalarNode("a", origin)))
    assert find_item(changed, "a") == find_ids(changed)["a"][0]
    assert find_item(changed, "a")[0] == ("items",)  # type: ignore[index]


def test_a_remembered_value_computed_in_one_thread_never_waits_for_another() -> None:
    # Python 3.11's cached_property holds one lock per property for all instances: the
    # preview server and a request composing at once deadlocked on the id index.
    blocked, release = threading.Event(), threading.Event()

    class Node:
        def __init__(self, slow: bool) -> None:
            self.slow = slow

        @remembered
        def value(self) -> int:
            if self.slow:
                blocked.set()
                release.wait(10)
            return 1

    slow = threading.Thread(target=lambda: Node(True).value)
    slow.start()
    try:
        assert blocked.wait(10)
        quick = Node(False)
        finished = threading.Event()
        threading.Thread(target=lambda: (quick.value, finished.set())).start()
        assert finished.wait(5), "the second instance waited for the first one's lock"
        assert quick.__dict__["value"] == 1  # remembered on the instance
    finally:
        release.set()
        slow.join()
