"""Tests for ivbcompose.explain and `ivbcompose explain`: every value with its origin."""

from __future__ import annotations

import json

import pytest

from ivbcompose import api
from ivbcompose.cli import main
from ivbcompose.explain import UnknownAddress, format_explanation
from ivbcompose.project import Project

from .conftest import line_of

URK = "municipalities/urk/municipality.yaml"


def test_a_changed_field_shows_the_change_and_the_shared_value(project: Project) -> None:
    [title] = api.explain(project, "urk", "jeugd-en-veiligheid.title")
    assert title.value == "Jeugd, alcohol en drugs"
    assert title.origin.file == URK
    assert title.origin.line == line_of(project.root / URK, "title: Jeugd, alcohol en drugs")
    assert title.origin.via is not None and title.origin.via.operation == "update"
    assert title.shared_value == "Jeugd & Veiligheid"
    assert title.shared_origin is not None
    assert title.shared_origin.file == "shared/60-focus.yaml"
    text = format_explanation([title])
    assert text.splitlines()[0] == 'jeugd-en-veiligheid.title = "Jeugd, alcohol en drugs"'
    assert "set by   municipalities/urk/municipality.yaml:" in text
    assert "(update jeugd-en-veiligheid)" in text
    assert 'shared   shared/60-focus.yaml:' in text and '"Jeugd & Veiligheid"' in text


def test_an_item_lists_every_value_appended_ones_marked(project: Project) -> None:
    found = {e.address: e for e in api.explain(project, "urk", "jeugd-en-veiligheid")}
    assert found["jeugd-en-veiligheid.attention.0"].origin.file == "shared/60-focus.yaml"
    appended = found["jeugd-en-veiligheid.attention.5"]
    assert appended.value == "Jeugdhonken en drankketen" and appended.origin.via is not None
    assert appended.origin.via.operation == "append"


def test_a_removed_item_shows_the_change_and_reason(project: Project) -> None:
    [removed] = api.explain(project, "urk", "buurtbemiddeling")
    assert removed.removed_by is not None and removed.removed_by.file == URK
    assert removed.reason == \
        "Urk heeft geen eigen organisatie voor buurtbemiddeling als netwerkpartner."
    assert removed.origin.file == "shared/30-betrokkenen.yaml"


def test_document_metadata_override_shows_the_shared_value(project: Project) -> None:
    [kind] = api.explain(project, "urk", "document.kind")
    assert kind.value == "Lokaal Veiligheidsplan" and kind.origin.file == URK
    assert kind.shared_value == "Integraal Veiligheidsbeleid"


def test_whole_document_every_value_has_a_position(project: Project) -> None:
    explanations = api.explain(project, "dronten")
    assert len(explanations) > 150
    assert all(e.origin.line > 0 for e in explanations)
    [moved] = [e for e in explanations if e.moved_by is not None]
    assert (moved.address, moved.moved_to) == ("openbare-orde", "focus-areas")
    assert any(e.removed_by is not None for e in api.explain(project, "urk"))


def test_unknown_address_suggests(project: Project) -> None:
    with pytest.raises(UnknownAddress) as caught:
        api.explain(project, "urk", "jeugd-en-veiligheit")
    assert caught.value.hint == "did you mean 'jeugd-en-veiligheid'?"


def test_cli_explain_json(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--project", str(project.root), "explain", "urk", "jeugd-en-veiligheid.title",
                 "--format", "json"]) == 0
    [entry] = json.loads(capsys.readouterr().out)
    assert entry["change"]["operation"] == "update"
    assert entry["shared"]["value"] == "Jeugd & Veiligheid"
    assert entry["origin"]["file"] == URK


def test_cli_explain_unknown_address_is_usage_error(project: Project,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--project", str(project.root), "explain", "urk", "nope"]) == 2
    assert "nothing at 'nope'" in capsys.readouterr().err


def test_unknown_field_suggests_the_field(project: Project) -> None:
    with pytest.raises(UnknownAddress) as caught:
        api.explain(project, "urk", "jeugd-en-veiligheid.titel")
    assert caught.value.hint == "did you mean 'title'?"


def test_every_label_of_the_whole_document_can_be_explained_again(project: Project) -> None:
    explanations = [e for e in api.explain(project, "urk") if e.removed_by is None]
    assert any(e.address == "proces.title" for e in explanations)
    for explanation in explanations[::7]:
        [again] = api.explain(project, "urk", explanation.address)
        assert again.value == explanation.value


def test_an_appended_value_after_a_replace_has_no_shared_value(project: Project) -> None:
    path = project.root / URK
    path.write_text(path.read_text(encoding="utf-8")
                    + "\n  - replace: zorg-en-veiligheid.attention\n    with: [Verward gedrag]\n"
                      "  - append: [Mensenhandel]\n    to: zorg-en-veiligheid.attention\n",
                    encoding="utf-8")
    found = {e.address: e for e in api.explain(project, "urk", "zorg-en-veiligheid.attention")}
    appended = found["zorg-en-veiligheid.attention.1"]
    assert appended.value == "Mensenhandel" and appended.shared_origin is None
