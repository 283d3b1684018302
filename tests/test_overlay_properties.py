"""Property tests (hypothesis) for the merge rules of ivbcompose.overlay.

Shared documents and change lists are generated as plain data, written as YAML
and loaded the way real files are, so positions are real too.
"""

from __future__ import annotations

import contextlib
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from ivbcompose.errors import IvbError
from ivbcompose.overlay import Overlay, apply_changes, parse_changes
from ivbcompose.sources import MapNode, Node, parse_yaml, to_plain, walk_nodes

ids = st.text("abcdefgh", min_size=1, max_size=4)
words = st.text("abc xyz", min_size=1, max_size=8).map(str.strip).filter(bool)


@st.composite
def shared_documents(draw: st.DrawFn) -> dict[str, Any]:
    item_ids = draw(st.lists(ids, min_size=1, max_size=6, unique=True))
    items = [{"id": f"item-{i}", "title": draw(words), "tags": draw(st.lists(words, max_size=3))}
             for i in item_ids]
    return {"chapter": {"id": "chapter", "title": draw(words), "items": items}}


@st.composite
def changes_for(draw: st.DrawFn, document: dict[str, Any]) -> list[dict[str, Any]]:
    existing = [item["id"] for item in document["chapter"]["items"]]
    candidates = [*existing, "item-zz", "chapter"]
    changes = []
    for _ in range(draw(st.integers(0, 5))):
        kind = draw(st.sampled_from(["add", "append", "replace", "update", "remove"]))
        target = draw(st.sampled_from(candidates))
        if kind == "add":
            changes.append({"add": {"id": f"new-{draw(ids)}", "title": draw(words), "tags": []},
                            "to": "chapter"})
        elif kind == "append":
            changes.append({"append": draw(st.lists(words, min_size=1, max_size=2)),
                            "to": f"{target}.tags"})
        elif kind == "replace":
            changes.append({"replace": f"{target}.title", "with": draw(words)})
        elif kind == "update":
            changes.append({"update": target, "with": {"title": draw(words)}})
        else:
            changes.append({"remove": target, "reason": draw(words)})
    return changes


def load(data: Any, name: str) -> Node:
    return parse_yaml(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), name)


def compose(document: dict[str, Any], changes: list[dict[str, Any]],
            shared_name: str = "shared/doc.yaml") -> Overlay:
    base = load(document, shared_name)
    assert isinstance(base, MapNode)
    return apply_changes(base, parse_changes(load(changes, "municipalities/x/municipality.yaml")))


def snapshot(node: Node) -> tuple[Any, list[Any]]:
    data, sources = to_plain(node)
    return data, sorted((str(path), origin) for path, origin in sources.items())


@given(shared_documents())
def test_no_changes_compose_to_the_shared_document(document: dict[str, Any]) -> None:
    assert to_plain(compose(document, []).tree)[0] == document


@given(st.data())
def test_composing_never_mutates_its_inputs(data: st.DataObject) -> None:
    document = data.draw(shared_documents())
    base = load(document, "shared/doc.yaml")
    changes_node = load(data.draw(changes_for(document)), "municipalities/x/municipality.yaml")
    before = snapshot(base), snapshot(changes_node)
    assert isinstance(base, MapNode)
    with contextlib.suppress(IvbError):
        apply_changes(base, parse_changes(changes_node))
    assert (snapshot(base), snapshot(changes_node)) == before


@given(st.data())
def test_every_node_of_the_result_has_an_origin(data: st.DataObject) -> None:
    document = data.draw(shared_documents())
    try:
        overlay = compose(document, data.draw(changes_for(document)))
    except IvbError:
        return
    for _, node in walk_nodes(overlay.tree):
        assert node.origin.known
        assert node.origin.file in ("shared/doc.yaml", "municipalities/x/municipality.yaml")
        if node.origin.file.startswith("municipalities/"):
            assert node.origin.via is not None


@given(shared_documents(), ids, words)
def test_add_then_remove_is_the_identity(document: dict[str, Any], new: str, title: str) -> None:
    changes = [{"add": {"id": f"new-{new}", "title": title, "tags": []}, "to": "chapter"},
               {"remove": f"new-{new}", "reason": "toch niet"}]
    assert to_plain(compose(document, changes).tree)[0] == document


@given(shared_documents(), words)
def test_a_failing_change_list_gives_no_partial_result(document: dict[str, Any],
                                                        title: str) -> None:
    first = document["chapter"]["items"][0]["id"]
    changes = [{"replace": f"{first}.title", "with": title},
               {"remove": "does-not-exist", "reason": "x"}]
    base = load(document, "shared/doc.yaml")
    assert isinstance(base, MapNode)
    result: Overlay | None = None
    try:
        result = apply_changes(base, parse_changes(load(changes, "m.yaml")))
    except IvbError as error:
        assert len(error.problems) == 1
    assert result is None
    assert to_plain(base)[0] == document


@settings(max_examples=50)
@given(st.data())
def test_the_same_inputs_give_equal_results(data: st.DataObject) -> None:
    document = data.draw(shared_documents())
    changes = data.draw(changes_for(document))
    outcomes = []
    for _ in range(2):
        try:
            outcomes.append(snapshot(compose(document, changes).tree))
        except IvbError as error:
            outcomes.append(("error", [p.headline() for p in error.problems]))
    assert outcomes[0] == outcomes[1]
