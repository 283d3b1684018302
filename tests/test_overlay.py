"""Tests for ivbcompose.overlay: the five change operations, one example each, and their rules.

Each `test_<operation>_...` example doubles as documentation of what the
operation does; the property tests at the end check the rules for generated
documents and change lists with hypothesis.
"""

from __future__ import annotations

import pytest

from ivbcompose.errors import IvbError
from ivbcompose.overlay import Overlay, apply_changes, parse_changes
from ivbcompose.sources import MapNode, parse_yaml, to_plain

SHARED = """\
focus:
  id: focus-areas
  items:
    - id: buurt
      title: Buurt
      attention: [Inbraak]
    - id: jeugd-en-veiligheid
      title: Jeugd & Veiligheid
      meta: {owner: OOV, level: 1}
      attention: [Overlast]
partners:
  id: partners
  items:
    - {id: politie, name: Politie}
    - {id: buurtbemiddeling, name: Buurtbemiddeling}
"""


def shared() -> MapNode:
    node = parse_yaml(SHARED, "shared/x.yaml")
    assert isinstance(node, MapNode)
    return node


def apply(changes_yaml: str, base: MapNode | None = None) -> Overlay:
    changes = parse_yaml(changes_yaml, "municipalities/urk/municipality.yaml")
    return apply_changes(base or shared(), parse_changes(changes))


def plain(changes_yaml: str) -> dict:
    data, _ = to_plain(apply(changes_yaml).tree)
    return data


def failure(changes_yaml: str) -> list[str]:
    with pytest.raises(IvbError) as caught:
        apply(changes_yaml)
    return [p.headline() + (f" | hint: {p.hint}" if p.hint else "") for p in caught.value.problems]


# --- add ------------------------------------------------------------------------


def test_add_puts_a_new_item_after_a_sibling() -> None:
    data = plain("- add: {id: haven, title: Haven, attention: [Smokkel]}\n"
                 "  to: focus-areas\n  after: buurt\n")
    assert [i["id"] for i in data["focus"]["items"]] == ["buurt", "haven", "jeugd-en-veiligheid"]


def test_add_without_position_goes_at_the_end_and_before_goes_before() -> None:
    data = plain("- add: {id: a, name: A}\n  to: partners\n"
                 "- add: {id: b, name: B}\n  to: partners.items\n  before: politie\n")
    assert [i["id"] for i in data["partners"]["items"]] == ["b", "politie", "buurtbemiddeling", "a"]


def test_add_fails_when_the_id_exists() -> None:
    [message] = failure("- add: {id: politie, name: Politie}\n  to: partners\n")
    assert "already exists (at shared/x.yaml:14:" in message


def test_add_fails_for_unknown_anchor_with_suggestion() -> None:
    [message] = failure("- add: {id: x, name: X}\n  to: partners\n  after: polite\n")
    assert message.startswith("municipalities/urk/municipality.yaml:3:10:")
    assert "did you mean 'politie'?" in message


# --- append -----------------------------------------------------------------------


def test_append_adds_to_the_end_of_a_string_list() -> None:
    data = plain("- append: [Jeugdhonken, Vuurwerk]\n  to: jeugd-en-veiligheid.attention\n")
    assert data["focus"]["items"][1]["attention"] == ["Overlast", "Jeugdhonken", "Vuurwerk"]


def test_append_to_a_field_that_is_not_a_list_fails() -> None:
    [message] = failure("- append: [x]\n  to: jeugd-en-veiligheid.title\n")
    assert "is not a list" in message


# --- replace --------------------------------------------------------------------


def test_replace_a_field() -> None:
    data = plain("- replace: buurt.title\n  with: Buurt en wijk\n")
    assert data["focus"]["items"][0]["title"] == "Buurt en wijk"


def test_replace_a_whole_item_keeps_its_id() -> None:
    data = plain("- replace: politie\n  with: {name: Politie Midden-Nederland}\n")
    assert data["partners"]["items"][0] == {"id": "politie", "name": "Politie Midden-Nederland"}


def test_replace_a_missing_field_fails_with_suggestion() -> None:
    [message] = failure("- replace: buurt.titel\n  with: x\n")
    assert "there is no field 'titel'" in message and "did you mean 'title'?" in message


def test_replace_cannot_change_an_id() -> None:
    [message] = failure("- replace: politie\n  with: {id: kmar, name: KMar}\n")
    assert "keeps the id 'politie'" in message


# --- update ---------------------------------------------------------------------


def test_update_merges_maps_deeply() -> None:
    data = plain("- update: jeugd-en-veiligheid\n"
                 "  with: {title: 'Jeugd, alcohol en drugs', meta: {level: 2}}\n")
    item = data["focus"]["items"][1]
    assert item["title"] == "Jeugd, alcohol en drugs"
    assert item["meta"] == {"owner": "OOV", "level": 2}
    assert item["attention"] == ["Overlast"]


def test_update_never_replaces_a_list() -> None:
    [message] = failure("- update: buurt\n  with: {attention: [Andere]}\n")
    assert "'attention' is a list; a merge does not replace lists" in message
    assert "replace" in message and "append" in message


def test_update_unknown_id_suggests_the_closest() -> None:
    [message] = failure("- update: jeugd-en-veilighied\n  with: {title: X}\n")
    assert message.startswith("municipalities/urk/municipality.yaml:1:11: error: no item "
                              "with id 'jeugd-en-veilighied'")
    assert "did you mean 'jeugd-en-veiligheid'?" in message


# --- remove ---------------------------------------------------------------------


def test_remove_takes_the_item_out_and_keeps_the_reason() -> None:
    overlay = apply("- remove: buurtbemiddeling\n  reason: Urk kent dit niet.\n")
    data, _ = to_plain(overlay.tree)
    assert [i["id"] for i in data["partners"]["items"]] == ["politie"]
    [record] = overlay.applied
    assert record.change.reason == "Urk kent dit niet." and record.after is None


def test_remove_needs_a_reason() -> None:
    [message] = failure("- remove: buurtbemiddeling\n")
    assert message.startswith("municipalities/urk/municipality.yaml:1:3: error: remove needs "
                              "'reason'")


def test_remove_of_missing_item_fails() -> None:
    [message] = failure("- remove: wijkagent\n  reason: x\n")
    assert "no item with id 'wijkagent'" in message


# --- rules common to all operations -----------------------------------------------


def test_changes_apply_in_order_and_see_earlier_results() -> None:
    data = plain("- add: {id: haven, title: Haven, attention: [Smokkel]}\n  to: focus-areas\n"
                 "- append: [Witwassen]\n  to: haven.attention\n")
    assert data["focus"]["items"][-1]["attention"] == ["Smokkel", "Witwassen"]


def test_a_change_needs_exactly_one_operation() -> None:
    [message] = failure("- update: buurt\n  remove: politie\n  reason: x\n  with: {}\n")
    assert "exactly one operation" in message


def test_unknown_key_in_a_change_suggests() -> None:
    [message] = failure("- remove: politie\n  reden: x\n")
    assert "'reden' is not allowed in remove" in message


def test_all_failing_changes_are_reported_at_once() -> None:
    messages = failure("- remove: a\n  reason: x\n- remove: b\n  reason: y\n")
    assert len(messages) == 2


def test_values_written_by_a_change_know_the_change() -> None:
    overlay = apply("- replace: buurt.title\n  with: Wijk\n")
    _, sources = to_plain(overlay.tree)
    origin = sources.origin(("focus", "items", 0, "title"))
    assert origin.file == "municipalities/urk/municipality.yaml" and origin.line == 2
    assert origin.via is not None and origin.via.operation == "replace"
    untouched = sources.origin(("focus", "items", 0, "id"))
    assert untouched.file == "shared/x.yaml" and untouched.via is None


def test_duplicate_ids_name_every_place() -> None:
    base = parse_yaml(SHARED.replace("id: buurtbemiddeling", "id: politie"), "shared/x.yaml")
    assert isinstance(base, MapNode)
    with pytest.raises(IvbError) as caught:
        apply_changes(base, ())
    [problem] = caught.value.problems
    assert "id 'politie' is used more than once (also at shared/x.yaml:15:" in problem.message


# --- mistakes that must not slip through ----------------------------------------


def test_an_id_cannot_be_replaced() -> None:
    [message] = failure("- replace: buurt.id\n  with: wijk\n")
    assert "an id cannot be replaced" in message


def test_a_part_of_every_document_cannot_be_removed() -> None:
    [message] = failure("- remove: partners\n  reason: x\n")
    assert "'partners' is a part of every document, not an item of a list" in message


def test_append_needs_values_and_reason_needs_words() -> None:
    assert "append needs at least one value" in failure(
        "- append: []\n  to: buurt.attention\n")[0]
    assert "'reason' must be a non-empty text" in failure(
        "- remove: politie\n  reason: '   '\n")[0]


def test_add_explains_what_it_needs() -> None:
    assert "add needs a mapping" in failure("- add: Extra partner\n  to: partners\n")[0]
    assert "needs an 'id' (a text)" in failure("- add: {id: 2020}\n  to: partners\n")[0]


def test_a_target_removed_earlier_is_named() -> None:
    [message] = failure("- remove: politie\n  reason: x\n- remove: politie\n  reason: y\n")
    assert "no item with id 'politie'" in message
    assert "was removed by the change at municipalities/urk/municipality.yaml:1" in message


def test_document_metadata_is_not_changed_with_changes() -> None:
    base = parse_yaml(SHARED + "document:\n  status: concept\n", "shared/x.yaml")
    assert isinstance(base, MapNode)
    changes = parse_yaml("- replace: document.status\n  with: vastgesteld\n", "m.yaml")
    with pytest.raises(IvbError) as caught:
        apply_changes(base, parse_changes(changes))
    [problem] = caught.value.problems
    assert problem.hint == "change 'document' under 'document:' at the top of the municipality file"


def test_a_list_of_texts_is_named_in_the_hint() -> None:
    [message] = failure("- append: [x]\n  to: buurt\n")
    assert "name the list: 'buurt.attention'" in message


def test_a_misspelt_operation_is_suggested() -> None:
    [message] = failure("- Remove: politie\n  reason: x\n")
    assert "did you mean 'remove'?" in message


def test_empty_changes_are_no_changes() -> None:
    assert parse_changes(parse_yaml("changes:\n", "m.yaml").values["changes"]) == ()  # type: ignore[union-attr]


def test_an_empty_value_never_deletes_a_shared_one() -> None:
    [message] = failure("- update: jeugd-en-veiligheid\n  with: {title: }\n")
    assert "'title' has no value" in message


def test_an_empty_document_value_is_refused(project) -> None:  # type: ignore[no-untyped-def]
    from ivbcompose import api
    path = project.root / "municipalities/urk/municipality.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("document:\n",
                                                             "document:\n  subtitle:\n"),
                    encoding="utf-8")
    with pytest.raises(IvbError) as caught:
        api.compose_municipality(project, "urk")
    assert caught.value.problems[0].message == "'subtitle' has no value"
