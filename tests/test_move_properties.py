"""Property tests (hypothesis) for `move` in ivbcompose.overlay.

Outlines of chapters and sections are generated as plain data and loaded as
YAML, the way real files are, so origins are real: a move must keep every
item exactly once, moving back must give the shared outline again (origins
included), and a change list with a failing move gives no result at all.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ivbcompose.errors import IvbError
from ivbcompose.overlay import Overlay, apply_changes, parse_changes
from ivbcompose.sources import MapNode, Node, find_ids, to_plain

from .test_overlay_properties import compose as overlay_compose
from .test_overlay_properties import load

words = st.text("abc xyz", min_size=1, max_size=8).map(str.strip).filter(bool)


@st.composite
def outlines(draw: st.DrawFn) -> dict[str, Any]:
    """Chapters with sections (and some subsections), every id unique."""
    counter = iter(range(1000))
    chapters = []
    for _ in range(draw(st.integers(1, 4))):
        sections = []
        for _ in range(draw(st.integers(0, 3))):
            subsections = [{"id": f"s{next(counter)}", "title": draw(words)}
                           for _ in range(draw(st.integers(0, 2)))]
            section: dict[str, Any] = {"id": f"s{next(counter)}", "title": draw(words)}
            if subsections:
                section["sections"] = subsections
            sections.append(section)
        chapter: dict[str, Any] = {"id": f"c{next(counter)}", "title": draw(words)}
        if sections:
            chapter["sections"] = sections
        chapters.append(chapter)
    return {"chapters": chapters}


def compose(outline: dict[str, Any], changes: list[dict[str, Any]]) -> Overlay:
    return overlay_compose(outline, changes, "shared/outline.yaml")


def ids_of(tree: Node) -> Counter[str]:
    return Counter({item: len(places) for item, places in find_ids(tree).items()})


def place_of(outline: dict[str, Any], item: str) -> dict[str, str]:
    """Where an item is, as a move would say it: after its previous sibling, before its
    next one, or into its parent's (empty) list."""
    def search(items: list[dict[str, Any]], owner: str) -> dict[str, str] | None:
        for index, candidate in enumerate(items):
            if candidate["id"] == item:
                if index > 0:
                    return {"after": items[index - 1]["id"]}
                if len(items) > 1:
                    return {"before": items[1]["id"]}
                return {"to": owner}
            found = search(candidate.get("sections", []), candidate["id"])
            if found is not None:
                return found
        return None

    found = search(outline["chapters"], "chapters")
    assert found is not None
    return found


def all_ids(outline: dict[str, Any]) -> list[str]:
    def walk(items: list[dict[str, Any]]) -> list[str]:
        return [i for item in items for i in (item["id"], *walk(item.get("sections", [])))]
    return walk(outline["chapters"])


@st.composite
def moves(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    """An outline and a move of one of its items to a place that keeps three levels."""
    outline = draw(outlines())
    ids = all_ids(outline)
    item = draw(st.sampled_from(ids))
    destination = draw(st.sampled_from(["chapters", *ids]))
    return outline, {"move": item, "to": destination}


def move_is_allowed(outline: dict[str, Any], change: dict[str, Any]) -> bool:
    try:
        compose(outline, [change])
    except IvbError:
        return False
    return True


@given(moves())
def test_a_move_keeps_every_item_exactly_once(case: tuple[dict[str, Any], dict[str, Any]]) -> None:
    outline, change = case
    base = load(outline, "shared/outline.yaml")
    try:
        result = compose(outline, [change])
    except IvbError:
        return
    assert ids_of(result.tree) == ids_of(base)
    assert all(count == 1 for count in ids_of(result.tree).values())


@given(moves())
def test_move_then_move_back_is_the_identity(case: tuple[dict[str, Any], dict[str, Any]]) -> None:
    outline, change = case
    if not move_is_allowed(outline, change):
        return
    back = {"move": change["move"], **place_of(outline, change["move"])}
    result = compose(outline, [change, back])
    shared = load(outline, "shared/outline.yaml")
    assert to_plain(result.tree)[0] == outline
    assert sorted(map(str, to_plain(result.tree)[1].items())) == \
        sorted(map(str, to_plain(shared)[1].items()))  # origins too


@given(moves(), st.sampled_from(["missing", "itself", "both"]))
def test_a_failing_move_leaves_no_partial_result(case: tuple[dict[str, Any], dict[str, Any]],
                                                 kind: str) -> None:
    outline, change = case
    item = change["move"]
    bad = {"missing": {"move": "does-not-exist", "to": "chapters"},
           "itself": {"move": item, "to": item},
           "both": {"move": item, "after": item, "before": item}}[kind]
    base = load(outline, "shared/outline.yaml")
    assert isinstance(base, MapNode)
    with pytest.raises(IvbError):
        apply_changes(base, parse_changes(load([change, bad], "m.yaml")))
    assert to_plain(base)[0] == outline
