"""The live example project in the repository root: it passes `check --strict` and builds.

Nothing here depends on its wording: the policy team edits that YAML, and the
suite must stay green when it does. Exact texts are tested on the frozen
fixture project instead (tests/fixtures/project). The last test proves the
point: it edits a shared sentence in a copy and runs the same checks.
"""

from __future__ import annotations

import re
from pathlib import Path

import docx

from ivbcompose import api
from ivbcompose.cli import main
from ivbcompose.project import Project

from .conftest import REPO, copy_project


def assert_healthy(root: Path, out: Path) -> None:
    """`check --strict` passes and every municipality builds (with the build's audit)."""
    assert main(["--project", str(root), "check", "--strict"]) == 0
    assert main(["--project", str(root), "build", "--all", "-o", str(out),
                 "--format", "docx", "--format", "md"]) == 0
    project = Project(root)
    for municipality in project.municipality_ids():
        [document] = (out / municipality).glob("*.docx")
        assert docx.Document(str(document)).paragraphs
        assert list((out / municipality).glob("*.md"))


def test_the_live_example_passes_check_strict_and_builds(tmp_path: Path) -> None:
    assert_healthy(REPO, tmp_path)


def test_editing_a_shared_sentence_keeps_the_suite_green(tmp_path: Path) -> None:
    project = copy_project(REPO, tmp_path / "project")
    edited = 0
    for path in sorted((project.root / "shared").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        # The first sentence of the first block text in the file gets a word more.
        changed = re.sub(r"(body: \|\n\s+)(\S)", r"\1Ook nu: \2", text, count=1)
        if changed != text:
            path.write_text(changed, encoding="utf-8")
            edited += 1
    assert edited >= 3
    # Where a local change hides an edited text, that is drift: the policy team reviews
    # it and accepts, as the README describes; everything else needs nothing.
    api.accept(project, project.municipality_ids())
    assert_healthy(project.root, tmp_path / "out")


def test_the_source_code_names_no_municipality_or_basisteam() -> None:
    names = set()
    for project in (Project(REPO), Project(Path(__file__).parent / "fixtures" / "project")):
        for municipality in project.municipality_ids():
            ivb = api.compose_municipality(project, municipality).ivb
            names |= {ivb.municipality.name, *ivb.municipality.kernen, ivb.basisteam.name}
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(names))) + r")\b")
    found = [f"{path.relative_to(REPO)}:{number}: {line.strip()}"
             for path in sorted((REPO / "src").rglob("*.py"))
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if pattern.search(line)]
    assert found == []
