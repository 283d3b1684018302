"""Tests for ivbcompose.sources: YAML loading with positions and strict keys."""

from __future__ import annotations

import pytest

from ivbcompose.errors import IvbError
from ivbcompose.sources import MapNode, ScalarNode, SeqNode, parse_yaml, to_plain


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
    [message] = problems("base: &b {x: 1}\nother:\n  <<: *b\n")
    assert "merge keys" in message


def test_empty_file_is_an_empty_mapping() -> None:
    node = parse_yaml("# only a comment\n", "x.yaml")
    assert isinstance(node, MapNode) and node.values == {}


def test_block_scalar_records_where_its_text_starts() -> None:
    node = parse_yaml("a:\n  body: |\n     tekst\n", "x.yaml")
    assert isinstance(node, MapNode)
    inner = node.values["a"]
    assert isinstance(inner, MapNode)
    body = inner.values["body"]
    assert isinstance(body, ScalarNode)
    assert body.style == "|" and body.text_column == 6


def test_sequences_keep_order() -> None:
    node = parse_yaml("- a\n- b\n", "x.yaml")
    assert isinstance(node, SeqNode)
    assert [item.value for item in node.items if isinstance(item, ScalarNode)] == ["a", "b"]
