"""Tests for ivbcompose.lock: drift of shared content under local changes, and `accept`."""

from __future__ import annotations

import pytest

from ivbcompose import api
from ivbcompose.cli import main
from ivbcompose.lock import LOCK_FILE, word_diff
from ivbcompose.project import Project

from .conftest import edit


def run(project: Project, *args: str) -> int:
    return main(["--project", str(project.root), *args])


def warnings(project: Project) -> list[str]:
    return [f"{p.code} {p.origin.file} {p.message}" for p in api.check(project)
            if p.severity == "warning"]


def test_the_example_project_is_accepted(project: Project) -> None:
    assert (project.root / LOCK_FILE).is_file()
    assert api.check(project) == []


def test_editing_shared_text_under_a_local_update_warns_with_a_diff(
        project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    edit(project.root / "shared/60-focus.yaml", "title: Jeugd & Veiligheid",
         "title: Jeugd en veiligheid")
    [problem] = [p for p in api.check(project) if p.severity == "warning"]
    assert problem.code == "drift"
    assert problem.origin.file == "municipalities/urk/municipality.yaml"
    assert "'jeugd-en-veiligheid' changed since this update was accepted" in problem.message
    assert problem.detail is not None
    assert "[-& Veiligheid-] {+en veiligheid+}" in problem.detail
    assert run(project, "check") == 0
    assert run(project, "check", "--strict") == 1
    err = capsys.readouterr().err
    assert "warning: the shared content of 'jeugd-en-veiligheid' changed" in err


def test_accept_clears_the_warning_for_that_municipality_only(project: Project) -> None:
    edit(project.root / "shared/30-betrokkenen.yaml", "name: Buurtbemiddeling",
         "name: Buurtbemiddeling Flevoland")
    edit(project.root / "shared/10-inleiding.yaml", "werkt aan de lokale veiligheid",
         "werkt aan de veiligheid")
    assert sorted(w.split()[1] for w in warnings(project)) == [
        "municipalities/dronten/municipality.yaml",
        "municipalities/noordoostpolder/municipality.yaml",
        "municipalities/urk/municipality.yaml"]
    assert run(project, "accept", "urk") == 0
    assert sorted(w.split()[1] for w in warnings(project)) == [
        "municipalities/dronten/municipality.yaml",
        "municipalities/noordoostpolder/municipality.yaml"]


def test_edits_the_municipality_does_not_override_do_not_warn(project: Project) -> None:
    edit(project.root / "shared/50-themas.yaml", "Door de digitalisering verandert",
         "Door digitalisering verandert")
    assert warnings(project) == []


def test_a_change_without_lock_entry_is_reported_not_guessed(project: Project) -> None:
    path = project.root / "municipalities/urk/municipality.yaml"
    edit(path, "changes:\n", "changes:\n  - remove: hondenbeleid\n    reason: Geen honden.\n")
    [problem] = warnings(project)
    assert problem.startswith("lock-missing municipalities/urk/municipality.yaml")
    assert "'remove hondenbeleid' has no entry" in problem


def test_a_lock_entry_for_a_change_that_is_gone_is_reported(project: Project) -> None:
    path = project.root / "municipalities/urk/municipality.yaml"
    edit(path, "  - remove: verkeersoverlast\n    reason: Urk behandelt verkeersveiligheid in "
         "de eigen couleur locale.\n", "")
    [problem] = warnings(project)
    assert problem.startswith(f"lock-stale {LOCK_FILE}")


def test_changes_to_items_the_municipality_added_need_no_lock(project: Project) -> None:
    path = project.root / "municipalities/urk/municipality.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "\n  - update: haven-en-visserij\n    with: {title: Haven}\n",
                    encoding="utf-8")
    assert warnings(project) == []


def test_without_a_lock_file_every_locked_change_is_reported(project: Project) -> None:
    (project.root / LOCK_FILE).unlink()
    found = warnings(project)
    assert len(found) == 14 and all(w.startswith("lock-missing") for w in found)
    assert run(project, "accept", "--all") == 0
    assert warnings(project) == []


def test_strict_build_fails_on_drift_and_plain_build_warns(project: Project, tmp_path,
                                                           capsys) -> None:
    edit(project.root / "shared/30-betrokkenen.yaml", "name: Buurtbemiddeling",
         "name: Buurtbemiddeling Flevoland")
    assert run(project, "build", "urk", "-o", str(tmp_path), "--strict") == 1
    assert not (tmp_path / "urk").exists()
    assert run(project, "build", "urk", "-o", str(tmp_path)) == 0
    assert "warning: the shared content of 'buurtbemiddeling'" in capsys.readouterr().err


def test_word_diff_shows_only_what_changed_with_context() -> None:
    old = "een twee drie vier vijf zes zeven acht negen tien elf twaalf"
    new = "een twee drie vier vijf zes ZEVEN acht negen tien elf twaalf"
    assert word_diff(old, new, context=2) == "… vijf zes [-zeven-] {+ZEVEN+} acht negen …"


def test_an_update_only_locks_the_fields_it_sets(project: Project) -> None:
    # Dronten updates only the conclusion of the crime figures: the intro may change freely.
    edit(project.root / "shared/40-kaders.yaml", "We kijken op twee", "Wij kijken op twee")
    assert warnings(project) == []
    edit(project.root / "shared/40-kaders.yaml", "            figures_follow: |",
         "            conclusion: Gezamenlijke conclusie.\n            figures_follow: |")
    [problem] = warnings(project)
    assert problem.startswith("drift municipalities/dronten/municipality.yaml")
