"""Tests for ivbcompose.compare and `ivbcompose compare`."""

from __future__ import annotations

import json

import pytest

from ivbcompose import api
from ivbcompose.cli import main
from ivbcompose.project import Project


def test_matrix_rows_are_items_that_differ_somewhere(project: Project) -> None:
    comparison = api.compare(project)
    assert comparison.municipalities == ("Dronten", "Noordoostpolder", "Urk")
    rows = {row.item_id: row.states for row in comparison.rows}
    assert rows["buurtbemiddeling"] == ("shared", "shared", "removed")
    assert rows["evenementen"] == ("added", "absent", "absent")
    assert rows["inleiding"] == ("changed", "changed", "shared")
    assert rows["jeugd-en-veiligheid"] == ("shared", "shared", "changed")
    assert "politie" not in rows


def test_cli_markdown_and_json(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--project", str(project.root), "compare", "--format", "markdown"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "| item | Dronten | Noordoostpolder | Urk |"
    assert lines[1] == "| --- | --- | --- | --- |"
    assert "| Buurtbemiddeling (buurtbemiddeling) | shared | shared | removed |" in lines
    assert main(["--project", str(project.root), "compare", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["municipalities"] == ["Dronten", "Noordoostpolder", "Urk"]


def test_cli_text_is_aligned(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--project", str(project.root), "compare"]) == 0
    lines = capsys.readouterr().out.splitlines()
    column = lines[0].index("Dronten")
    assert all(line[column - 2:column] == "  " for line in lines[2:])
