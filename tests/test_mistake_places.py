"""Mistakes reported at the right place with a hint that points the right way, and every
independent mistake of a file in one round (issue 12, classes 6 and 9)."""

from __future__ import annotations

import re

from ivbcompose import api
from ivbcompose.errors import Problem
from ivbcompose.project import Project

from .conftest import edit, line_of

URK = "municipalities/urk/municipality.yaml"
DRONTEN = "municipalities/dronten/municipality.yaml"


def _only(project: Project, municipality: str) -> Problem:
    problems = api.check(project, [municipality])
    assert len(problems) == 1, [p.message for p in problems]
    return problems[0]


def test_a_forgotten_dash_indented_like_the_keys_names_the_line_to_give_one(
        project: Project) -> None:
    path = project.root / URK
    edit(path, "  - remove: verkeersoverlast\n", "    remove: verkeersoverlast\n")
    problem = _only(project, "urk")
    assert problem.code == "duplicate-key"
    line = line_of(path, "remove: verkeersoverlast")
    assert problem.hint is not None
    assert f"starts at line {line} ('remove'), begin that line with '- '" in problem.hint


def test_a_forgotten_dash_at_the_level_of_the_dashes_says_so(project: Project) -> None:
    path = project.root / URK
    edit(path, "  - remove: verkeersoverlast\n", "  remove: verkeersoverlast\n")
    problem = _only(project, "urk")
    assert problem.origin.line == line_of(path, "remove: verkeersoverlast")
    assert "<block end>" not in problem.message and "indentation" in problem.message
    assert problem.hint is not None and "write '- ' before it" in problem.hint
    assert "indent it by 4 spaces" in problem.hint
    assert "[" not in problem.hint


def test_an_under_indented_key_is_told_how_far_to_indent(project: Project) -> None:
    path = project.root / URK
    edit(path, "  inhabitants_year: 2024\n", " inhabitants_year: 2024\n")
    problem = _only(project, "urk")
    assert problem.origin.line == line_of(path, "inhabitants_year")
    assert problem.hint is not None
    assert re.search(r"indented by 1 space and the line above by 2", problem.hint)
    assert "'- '" not in problem.hint


def test_a_list_emptied_by_removes_is_reported_at_the_last_remove(project: Project) -> None:
    shared = (project.root / "shared/20-proces.yaml").read_text(encoding="utf-8")
    rows = re.findall(r"- id: (planning-[a-z-]+)", shared)
    assert len(rows) > 1
    removes = "".join(f"  - remove: {row}\n    reason: Niet van toepassing.\n" for row in rows)
    path = project.root / DRONTEN
    edit(path, "changes:\n", "changes:\n" + removes)
    problem = _only(project, "dronten")
    assert "needs at least one element" in problem.message
    assert problem.origin.file == DRONTEN
    assert problem.origin.line == line_of(path, f"remove: {rows[-1]}")


def test_mistakes_in_changes_and_in_the_identity_are_reported_together(
        project: Project) -> None:
    path = project.root / URK
    edit(path, "inhabitants: 21929", "inhabitants: veel")
    edit(path, "status: vastgesteld", "status: klaar")
    edit(path, "    reason: Urk heeft geen eigen organisatie",
         "    reden: Urk heeft geen eigen organisatie")
    problems = api.check(project, ["urk"])
    lines = [p.origin.line for p in problems]
    assert lines == sorted(lines)
    assert {p.origin.line for p in problems} == {
        line_of(path, "inhabitants: veel"), line_of(path, "status: klaar"),
        line_of(path, "reden: Urk")}
    # Fixed the change, the identity's mistakes are still the ones reported: nothing new.
    edit(path, "    reden: Urk heeft geen eigen organisatie",
         "    reason: Urk heeft geen eigen organisatie")
    assert {p.origin.line for p in api.check(project, ["urk"])} == {
        line_of(path, "inhabitants: veel"), line_of(path, "status: klaar")}


def test_an_over_indented_key_is_told_to_line_up(project: Project) -> None:
    path = project.root / URK
    edit(path, "    reason: Urk heeft geen eigen organisatie",
         "      reason: Urk heeft geen eigen organisatie")
    problem = _only(project, "urk")
    assert problem.origin.line == line_of(path, "reason: Urk heeft geen eigen")
    assert "<block" not in problem.message
    assert problem.hint is not None
    assert "indented by 6 spaces, more than the key above it (4)" in problem.hint


def test_an_over_indented_key_under_a_key_whose_comment_holds_a_colon(project: Project
                                                                        ) -> None:
    # Found by hypothesis: the key above has ': ' only in its comment, and the hint's
    # look at its value raised IndexError (a traceback instead of a message).
    path = project.root / URK
    edit(path, "  name: Urk\n  cbs_code: GM0184", "  name #: Urk\n      cbs_code: GM0184")
    problem = _only(project, "urk")
    assert problem.origin.file.endswith("municipality.yaml")
    assert problem.origin.line == line_of(path, "cbs_code: GM0184")
    assert problem.hint


def test_a_non_breaking_space_is_reported_where_it_is(project: Project) -> None:
    path = project.root / URK
    edit(path, "  inhabitants_year: 2024", "  inhabitants_year:\u00a02024")
    problem = _only(project, "urk")
    assert "non-breaking space" in problem.message
    line = line_of(path, "inhabitants_year:\u00a0")
    assert (problem.origin.line, problem.origin.column) == (line, len("  inhabitants_year:") + 1)


def test_a_text_split_at_a_comma_inside_braces_is_told_to_be_quoted(project: Project) -> None:
    path = project.root / URK
    edit(path, "    with:\n      title: Jeugd, alcohol en drugs\n",
         "    with: {title: Jeugd, alcohol en drugs}\n")
    problem = _only(project, "urk")
    assert problem.hint is not None and "must be quoted" in problem.hint
