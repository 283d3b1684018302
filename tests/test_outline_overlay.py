"""Tests for ivbcompose.overlay on the outline: chapters and sections, `move`, `required`.

Each example runs the changes on a small outline written here, so it reads
as documentation of what the operations do to chapters and sections.
"""

from __future__ import annotations

from typing import Any

import pytest

from ivbcompose.errors import IvbError
from ivbcompose.overlay import Overlay, apply_changes, parse_changes
from ivbcompose.sources import MapNode, parse_yaml, to_plain

OUTLINE = """\
chapters:
  - id: inleiding
    title: Inleiding
    required: true
    sections:
      - {id: doel, title: Doel}
  - id: themas
    title: Thema's
    sections:
      - {id: cyber, title: Cybercrime}
      - id: ondermijning
        title: Ondermijning
        sections:
          - {id: haven, title: Haven}
  - id: betrokkenen
    title: Betrokkenen
    blocks:
      - type: partners
        id: partners
        items:
          - {id: politie, name: Politie}
      - type: planning
        id: planning
        caption: Planning
        rows:
          - {id: q1, when: Q1 2020, action: Start, responsible: [OOV]}
"""
FILE = "municipalities/urk/municipality.yaml"


def apply(changes_yaml: str) -> Overlay:
    base = parse_yaml(OUTLINE, "shared/outline.yaml")
    assert isinstance(base, MapNode)
    changes = parse_yaml(changes_yaml, FILE) if changes_yaml else None
    return apply_changes(base, parse_changes(changes))


def outline(changes_yaml: str) -> list[Any]:
    """The outline after the changes, as nested (id, [children]) pairs."""
    data, _ = to_plain(apply(changes_yaml).tree)

    def shape(item: dict[str, Any]) -> Any:
        children = item.get("sections", [])
        return (item["id"], [shape(c) for c in children]) if children else item["id"]

    return [shape(chapter) for chapter in data["chapters"]]


def failure(changes_yaml: str) -> tuple[str, str | None, str]:
    """The one problem of a failing change list: message, hint, and its line:column."""
    with pytest.raises(IvbError) as caught:
        apply(changes_yaml)
    [problem] = caught.value.problems
    assert problem.origin.file == FILE
    return problem.message, problem.hint, f"{problem.origin.line}:{problem.origin.column}"


def test_add_a_chapter_after_another() -> None:
    result = outline("- add: {id: evaluatie, title: Evaluatie IVB 2016–2019, body: Terugblik.}\n"
                     "  to: chapters\n  after: inleiding\n")
    assert result == [("inleiding", ["doel"]), "evaluatie",
                      ("themas", ["cyber", ("ondermijning", ["haven"])]), "betrokkenen"]


def test_to_a_chapter_adds_a_section_even_where_it_has_none_yet() -> None:
    result = outline("- add: {id: raad, title: De raad}\n  to: betrokkenen\n"
                     "- add: {id: jeugd, title: Jeugd}\n  to: themas\n  before: cyber\n")
    assert result[1] == ("themas", ["jeugd", "cyber", ("ondermijning", ["haven"])])
    assert result[2] == ("betrokkenen", ["raad"])


def test_adding_a_chapter_whose_id_exists_fails() -> None:
    message, _, where = failure("- add: {id: themas, title: Nog eens}\n  to: chapters\n")
    assert message.startswith("an item with id 'themas' already exists (at shared/outline.yaml:")
    assert where == "1:8"


def test_a_chapter_and_a_section_can_be_removed_with_a_reason() -> None:
    result = outline("- remove: themas\n  reason: Geen thema's.\n"
                     "- remove: doel\n  reason: Staat in de inleiding.\n")
    assert result == ["inleiding", "betrokkenen"]


def test_a_required_chapter_cannot_be_removed_and_the_rule_is_named() -> None:
    message, hint, where = failure("- remove: inleiding\n  reason: Niet nodig.\n")
    assert message == ("'inleiding' is required: the shared part marks it 'required: true' "
                       "(at shared/outline.yaml:4:15)")
    assert hint is not None and "replace: inleiding.body" in hint
    assert where == "1:11"


@pytest.mark.parametrize("changes", [
    "- update: inleiding\n  with: {required: false}\n",
    "- replace: inleiding.required\n  with: false\n",
    "- replace: inleiding\n  with: {title: Nieuw, required: false}\n",
])
def test_a_municipality_cannot_lift_required(changes: str) -> None:
    message, _, _ = failure(changes)
    assert message == "'required' is set by the shared part, not by a municipality"


def test_replacing_a_required_chapter_keeps_it_required() -> None:
    data, _ = to_plain(apply("- replace: inleiding\n  with: {title: Nieuw}\n").tree)
    assert data["chapters"][0] == {"id": "inleiding", "required": True, "title": "Nieuw"}


def test_move_within_a_list() -> None:
    result = outline("- move: betrokkenen\n  before: inleiding\n")
    assert [r if isinstance(r, str) else r[0] for r in result] == \
        ["betrokkenen", "inleiding", "themas"]


def test_move_a_section_into_another_chapter_keeps_content_and_provenance() -> None:
    before = apply("")
    after = apply("- move: ondermijning\n  to: inleiding\n  after: doel\n")
    assert outline("- move: ondermijning\n  to: inleiding\n  after: doel\n") == [
        ("inleiding", ["doel", ("ondermijning", ["haven"])]), ("themas", ["cyber"]),
        "betrokkenen"]
    old = before.tree.values["chapters"].items[1].values["sections"].items[1]  # type: ignore
    new = after.tree.values["chapters"].items[0].values["sections"].items[1]  # type: ignore
    assert new == old  # the same nodes: content and origins
    [record] = after.applied
    assert record.item_id == "ondermijning" and record.change.operation == "move"


def test_move_a_section_up_to_become_a_chapter_and_a_chapter_down() -> None:
    assert outline("- move: cyber\n  to: chapters\n")[-1] == "cyber"
    assert outline("- move: betrokkenen\n  to: themas\n")[1] == \
        ("themas", ["cyber", ("ondermijning", ["haven"]), "betrokkenen"])


def test_move_next_to_an_item_in_another_list_goes_into_that_list() -> None:
    assert outline("- move: doel\n  after: cyber\n")[1] == \
        ("themas", ["cyber", "doel", ("ondermijning", ["haven"])])


def test_move_of_blocks_and_rows_stays_in_lists_of_their_kind() -> None:
    data, _ = to_plain(apply("- add: {id: q2, when: Q2 2020, action: Klaar, responsible: [OOV]}\n"
                             "  to: planning\n- move: q2\n  before: q1\n").tree)
    rows = data["chapters"][2]["blocks"][1]["rows"]
    assert [r["id"] for r in rows] == ["q2", "q1"]
    message, _, where = failure("- move: politie\n  to: planning\n")
    assert message == ("'politie' is one of the partners.items and cannot go into a list of "
                       "planning.rows")
    assert where == "2:7"
    message, _, _ = failure("- move: partners\n  to: themas\n")
    assert message == "'partners' is one of the blocks and cannot go into a list of sections"


@pytest.mark.parametrize("changes", [
    "- move: themas\n  to: ondermijning\n",
    "- move: themas\n  to: themas\n",
    "- move: themas\n  after: haven\n",
])
def test_move_into_itself_or_its_own_part_fails(changes: str) -> None:
    message, _, _ = failure(changes)
    assert message == "'themas' cannot be moved into itself or into one of its own parts"


def test_move_next_to_itself_fails() -> None:
    message, _, where = failure("- move: cyber\n  after: cyber\n")
    assert message == "'cyber' cannot be placed after itself"
    assert where == "2:10"


def test_move_with_both_after_and_before_fails() -> None:
    message, _, where = failure("- move: cyber\n  after: doel\n  before: doel\n")
    assert message == "give either 'after' or 'before', not both"
    assert where == "3:3"


def test_move_needs_a_place() -> None:
    message, _, _ = failure("- move: cyber\n  reason: ergens anders\n")
    assert message == "move needs 'to', 'after' or 'before'"


def test_move_of_an_item_that_does_not_exist_suggests_one() -> None:
    message, hint, where = failure("- move: cybr\n  to: chapters\n")
    assert message == "no item with id 'cybr'"
    assert hint == "did you mean 'cyber'?"
    assert where == "1:9"


def test_move_or_add_that_would_go_below_heading_level_3_fails() -> None:
    message, _, where = failure("- move: ondermijning\n  to: doel\n")
    assert message == ("this would put headings of 'ondermijning' at level 4; a document has "
                       "3 heading levels")
    assert where == "2:7"
    message, _, _ = failure("- add: {id: x, title: X, sections: [{id: y, title: Y, sections: "
                            "[{id: z, title: Z}]}]}\n  to: cyber\n")
    assert "'x' at level 5" in message


def test_a_removed_section_cannot_be_moved_and_the_removal_is_named() -> None:
    message, hint, _ = failure("- remove: cyber\n  reason: weg\n- move: cyber\n  to: chapters\n")
    assert message == "no item with id 'cyber'"
    assert hint == f"'cyber' was removed by the change at {FILE}:1"
