"""Tests for `ivbcompose.confidential` and `layout/confidential.py`: public and internal builds.

A copy of the fixture project gets confidential items of every kind of
origin: a text block and a partner in the shared part, a measure with costs
(so the finance tables would betray it), and a section Dronten adds itself
with a reason. A public build must hold none of their words, ids or
amounts in any part of any format; an internal one holds them, marked.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Annotated, Any, Literal

import pytest
from pydantic import BaseModel

from ivbcompose import api
from ivbcompose.build import BuildOptions, document_for
from ivbcompose.compose import compose
from ivbcompose.confidential import holds_confidential
from ivbcompose.document import Heading, Paragraph, Table
from ivbcompose.errors import IvbError
from ivbcompose.model import Base, Item, Label, Section, fields_holding
from ivbcompose.project import Project
from ivbcompose.writers.markdown import render_markdown

from .conftest import edit, line_of

# Single words, so no writer can split them over runs or lines.
SECRETS = ("Zwartboekwoord", "Stillepartner", "Heimelijkemaatregel", "Geheimparagraaf",
           "Zwartboekdronten", "Vertrouwelijkereden", "987.654", "987654")
SECRET_IDS = ("ob-geheim", "stille-partner", "heimelijke-maatregel", "dronten-geheim")

BLOCK = """      - type: text
        id: ob-geheim
        confidential: true
        body: |
          Het ondermijningsbeeld noemt Zwartboekwoord.
"""
MEASURE = """              - id: heimelijke-maatregel
                title: Heimelijkemaatregel
                confidential: true
                lead: Team OOV
                goals: [doel-weerbaar]
                costs:
                  - {kind: structureel, amount: 987654, funding: bestaand budget}
"""
SECTION = """
  - add:
      id: dronten-geheim
      title: Geheimparagraaf
      confidential: true
      body: Dronten schrijft hier Zwartboekdronten.
    to: focus
    reason: Vertrouwelijkereden van Dronten.
"""


def with_secrets(project: Project) -> Project:
    """The fixture project with confidential items in the shared part and in Dronten's file."""
    shared = project.root / "shared"
    edit(shared / "30-betrokkenen.yaml", "          - {id: buurtbemiddeling,",
         "          - {id: stille-partner, name: Stillepartner, confidential: true}\n"
         "          - {id: buurtbemiddeling,")
    edit(shared / "30-betrokkenen.yaml", "      - type: text\n        id: raadsfracties\n",
         BLOCK + "      - type: text\n        id: raadsfracties\n")
    edit(shared / "60-focus.yaml", "              - id: ondermijning-basisteam\n",
         MEASURE + "              - id: ondermijning-basisteam\n")
    dronten = project.municipality_file("dronten")
    dronten.write_text(dronten.read_text(encoding="utf-8") + SECTION, encoding="utf-8")
    return project


@pytest.fixture
def secret(project: Project) -> Project:
    return with_secrets(project)


def found_secrets(text: str) -> list[str]:
    return [word for word in (*SECRETS, *SECRET_IDS) if word in text]


# -- composing -----------------------------------------------------------------------------


def test_a_public_composition_holds_no_confidential_item(secret: Project) -> None:
    composition = compose(secret, "dronten")
    assert not holds_confidential(composition.ivb)
    assert found_secrets(repr(composition.ivb)) == []
    assert found_secrets(repr(composition.differences)) == []
    # Dronten's other differences are all still accounted for.
    assert composition.differences
    assert {d.item_id for d in composition.differences} \
        == {d.item_id for d in compose(secret, "dronten", internal=True).differences} \
        - {"dronten-geheim"}


def test_an_internal_composition_keeps_them_and_their_differences(secret: Project) -> None:
    composition = compose(secret, "dronten", internal=True)
    assert holds_confidential(composition.ivb)
    assert "dronten-geheim" in {d.item_id for d in composition.differences}
    assert {"Zwartboekwoord", "Stillepartner", "Heimelijkemaatregel", "Geheimparagraaf"} \
        <= set(found_secrets(repr(composition.ivb)))


def test_compare_does_not_betray_them(secret: Project) -> None:
    rows = api.compare(secret).rows
    assert rows
    assert found_secrets(repr(rows)) == []


def test_other_kinds_of_document_leave_them_out_too(secret: Project) -> None:
    kinds = api.document_kinds(secret, "dronten")
    for kind in kinds:
        for year in kind.years or (None,):
            composition = compose(secret, "dronten", kind=kind.id, year=year)
            assert not holds_confidential(composition.ivb), kind.id
            assert found_secrets(repr(composition.differences)) == [], kind.id


def test_a_build_without_confidential_items_is_unchanged(project: Project) -> None:
    public, internal = compose(project, "urk"), compose(project, "urk", internal=True)
    assert public.ivb == internal.ivb
    assert public.differences == internal.differences


# -- layout --------------------------------------------------------------------------------


def test_the_internal_document_marks_each_item_and_every_page_header(secret: Project) -> None:
    document = document_for(secret, compose(secret, "dronten", internal=True))
    assert document.banner is not None and document.banner.startswith("VERTROUWELIJK")
    assert "CONCEPT" in document.banner  # the status is still said
    headings = [b.text for b in document.blocks if isinstance(b, Heading)]
    assert "Geheimparagraaf (vertrouwelijk)" in headings
    text = render_markdown(document)
    assert "Stillepartner (vertrouwelijk)" in text
    assert "Heimelijkemaatregel (vertrouwelijk)" in text
    # The block has no name: a line above it says it is confidential.
    blocks = list(document.blocks)
    at = next(i for i, b in enumerate(blocks) if isinstance(b, Paragraph)
              and any("Zwartboekwoord" in s.text for s in b.spans))
    above = blocks[at - 1]
    assert isinstance(above, Paragraph) and above.spans[0].text == "Vertrouwelijk"
    # The appendix marks the difference about it too; the others stay as they were.
    [appendix] = [b for b in blocks if isinstance(b, Table) and b.anchor == "verantwoording-tabel"]
    labels = [row.cells[0] for row in appendix.rows]
    assert "Geheimparagraaf (vertrouwelijk)" in labels
    assert [label for label in labels if label.endswith("(vertrouwelijk)")] == \
        ["Geheimparagraaf (vertrouwelijk)"]


def test_the_public_document_has_no_marking_and_no_secret(secret: Project) -> None:
    document = document_for(secret, compose(secret, "dronten"))
    assert document.banner == "CONCEPT"
    text = render_markdown(document)
    assert found_secrets(text) == []
    assert "ertrouwelijk" not in text


def test_an_internal_layout_says_so_even_without_confidential_items(project: Project) -> None:
    from ivbcompose.layout import LayoutOptions, lay_out
    from ivbcompose.registry import BLOCK_TYPES

    ivb = compose(project, "urk").ivb
    assert lay_out(ivb, BLOCK_TYPES, LayoutOptions(internal=True)).banner == "VERTROUWELIJK"


# -- every part of every format of a public build -----------------------------------------


def _office_formats() -> tuple[str, ...]:
    from ivbcompose.writers.libreoffice import LibreOfficeError, ensure_libreoffice

    try:
        ensure_libreoffice()
    except LibreOfficeError:
        return ()
    return ("pdf", "odt") if shutil.which("pdftotext") else ("odt",)


def _texts(path: Path) -> list[tuple[str, str]]:
    """Every part of an output file as text: each member of a zip (docx, odt), the PDF's
    text layer and its raw bytes, or the file itself."""
    data = path.read_bytes()
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            return [(f"{path.name}!{name}", archive.read(name).decode("utf-8", "replace"))
                    for name in archive.namelist()]
    parts = [(path.name, data.decode("utf-8", "replace"))]
    if path.suffix == ".pdf":
        text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                              capture_output=True, text=True).stdout
        parts.append((f"{path.name} (text)", text))
    return parts


def _scan(outputs: tuple[Path, ...]) -> dict[str, list[str]]:
    return {name: found for path in outputs for name, text in _texts(path)
            if (found := found_secrets(text))}


FORMATS = ("docx", "md", "html")


def test_no_part_of_any_public_output_holds_confidential_text(secret: Project,
                                                             tmp_path: Path) -> None:
    formats = (*FORMATS, *_office_formats())
    results = api.build_many(secret, ["dronten", "urk"],
                             BuildOptions(output_dir=tmp_path, formats=formats, review=False))
    outputs = tuple(path for result in results for path in result.outputs)
    assert {p.suffix for p in outputs} >= {f".{fmt}" for fmt in formats}
    assert any(p.name.endswith(".diwoo.xml") for p in outputs)
    assert _scan(outputs) == {}
    # With comments for review, the same.
    reviewed = api.build_many(secret, ["dronten"],
                              BuildOptions(output_dir=tmp_path / "review", formats=FORMATS,
                                           review=True))
    assert _scan(reviewed[0].outputs) == {}
    # The test can see a secret: the same scan of an internal layout finds them.
    internal = render_markdown(document_for(secret, compose(secret, "dronten", internal=True)))
    assert {"Zwartboekwoord", "Geheimparagraaf"} <= set(found_secrets(internal))


def _internal_options(**values: object) -> BuildOptions:
    return BuildOptions(internal=True, **values)  # type: ignore[arg-type]


def test_an_internal_build_holds_them_marked_in_a_file_of_its_own(secret: Project,
                                                                 tmp_path: Path) -> None:
    options = _internal_options(output_dir=tmp_path, formats=FORMATS)
    result = api.build(secret, "dronten", options)
    public = api.build(secret, "dronten", BuildOptions(output_dir=tmp_path, formats=FORMATS))
    assert not {p.name for p in result.outputs} & {p.name for p in public.outputs}
    assert all("-intern." in p.name for p in result.outputs if not p.name.endswith(".xml"))
    docx = next(p for p in result.outputs if p.suffix == ".docx")
    with zipfile.ZipFile(docx) as archive:
        headers = [archive.read(n).decode() for n in archive.namelist()
                   if n.startswith("word/header")]
        body = archive.read("word/document.xml").decode()
    assert headers and all("VERTROUWELIJK" in h for h in headers)
    assert "Zwartboekwoord" in body and "Geheimparagraaf (vertrouwelijk)" in body
    html = next(p for p in result.outputs if p.suffix == ".html").read_text(encoding="utf-8")
    assert "VERTROUWELIJK" in html and "Zwartboekwoord" in html


# -- bad input -----------------------------------------------------------------------------


def _problems(project: Project, municipality: str = "urk") -> list[api.Problem]:
    with pytest.raises(IvbError) as raised:
        compose(project, municipality)
    return list(raised.value.problems)


def _append_change(project: Project, municipality: str, change: str) -> int:
    path = project.municipality_file(municipality)
    text = path.read_text(encoding="utf-8")
    path.write_text(text + change, encoding="utf-8")
    return len(text.splitlines()) + 2  # the line of the change (after a blank line)


@pytest.mark.parametrize("change", [
    "  - update: stille-partner\n    with: {name: Anders}\n    reason: Een andere naam.\n",
    "  - move: politie\n    after: stille-partner\n    reason: Na de partner.\n",
    "  - add: {id: urk-partner, name: Urker partner}\n    to: partners\n"
    "    after: stille-partner\n    reason: Een eigen partner.\n",
    "  - remove: stille-partner\n    reason: Niet in Urk.\n",
    "  - update: stille-partner\n    with: {confidential: false}\n    reason: Openbaar.\n",
])
def test_a_change_naming_an_item_the_shared_part_marks_confidential(secret: Project,
                                                                    change: str) -> None:
    line = _append_change(secret, "urk", "\n" + change)
    problems = [p for p in _problems(secret) if p.code == "confidential-reference"]
    assert len(problems) == 1, problems
    problem = problems[0]
    assert problem.origin.file == "municipalities/urk/municipality.yaml"
    assert problem.origin.line == line
    mark = line_of(secret.root / "shared" / "30-betrokkenen.yaml", "id: stille-partner")
    assert f"shared/30-betrokkenen.yaml:{mark}:" in str(problem.message)
    assert "stille-partner" in str(problem.message)
    assert problem.hint is not None and "confidential: true" in str(problem.hint)


def test_a_municipality_may_change_its_own_confidential_item(secret: Project) -> None:
    _append_change(secret, "dronten", "\n  - update: dronten-geheim\n"
                                      "    with: {title: Geheimparagraaf}\n"
                                      "    reason: Vertrouwelijkereden.\n"
                                      "  - add: {id: dronten-geheim-2, title: Deel, body: Tekst}\n"
                                      "    to: dronten-geheim\n    reason: Vertrouwelijkereden.\n")
    composition = compose(secret, "dronten")
    assert found_secrets(repr(composition.differences)) == []
    assert "dronten-geheim-2" not in repr(composition.ivb)


def test_a_public_item_placed_beside_a_confidential_one_of_its_own(secret: Project) -> None:
    line = _append_change(secret, "dronten", "\n  - move: kaders\n    after: dronten-geheim\n"
                                             "    reason: Erna.\n")
    problems = [p for p in _problems(secret, "dronten") if p.code == "confidential-reference"]
    assert [p.origin.line for p in problems] == [line]
    assert "mark 'kaders' confidential" in str(problems[0].hint)


def test_a_public_item_naming_a_confidential_one_by_id(secret: Project) -> None:
    focus = secret.root / "shared" / "60-focus.yaml"
    edit(focus, "                lead: riec\n", "                lead: stille-partner\n")
    problems = [p for p in _problems(secret) if p.code == "confidential-id"]
    assert len(problems) == 1
    assert problems[0].origin.file == "shared/60-focus.yaml"
    assert problems[0].origin.line == line_of(focus, "lead: stille-partner")
    assert "'lead' names 'stille-partner'" in str(problems[0].message)
    assert problems[0].hint


def test_a_mark_on_what_cannot_be_confidential(project: Project) -> None:
    document = project.root / "shared" / "00-document.yaml"
    edit(document, "document:\n", "document:\n  confidential: true\n")
    problems = _problems(project)
    problem = next(p for p in problems if "confidential" in str(p.message))
    assert problem.origin.file == "shared/00-document.yaml"
    assert problem.origin.line == line_of(document, "confidential: true")
    assert problem.origin.column == 3
    assert "item" in str(problem.hint)


def test_a_mark_that_is_not_true_or_false(project: Project) -> None:
    betrokkenen = project.root / "shared" / "30-betrokkenen.yaml"
    edit(betrokkenen, "        id: raadsfracties\n",
         "        id: raadsfracties\n        confidential: ja\n")
    problems = _problems(project)
    problem = next(p for p in problems if p.origin.line == line_of(betrokkenen, "confidential"))
    assert problem.origin.file == "shared/30-betrokkenen.yaml"
    assert "true or false" in str(problem.hint)


def test_build_internal_on_the_command_line(secret: Project, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    from ivbcompose.cli import main

    out = tmp_path / "out"
    assert main(["--project", str(secret.root), "build", "dronten", "--internal", "-o",
                 str(out)]) == 0
    [written] = capsys.readouterr().out.split()
    assert written.endswith("-intern.docx")  # and no Woo metadata: not for publication
    assert [p.name for p in (out / "dronten").iterdir()] == [Path(written).name]
    with zipfile.ZipFile(written) as archive:
        assert "Zwartboekwoord" in archive.read("word/document.xml").decode()
    assert main(["--project", str(secret.root), "build", "dronten", "-o", str(out)]) == 0
    public = [p for p in (out / "dronten").iterdir() if p.suffix == ".docx"
              and "-intern" not in p.name]
    assert len(public) == 1
    with zipfile.ZipFile(public[0]) as archive:
        assert not found_secrets(" ".join(archive.read(n).decode("utf-8", "replace")
                                          for n in archive.namelist()))


# -- the walk that looks for them ----------------------------------------------------------


class _Leaf(Base):
    name: str
    state: Literal["a", "b"] = "a"


class _Holder(Base):
    leaves: list[_Leaf]
    named: dict[str, _Leaf]
    one: _Leaf | None
    items: dict[str, list[Section]]
    maybe: Annotated[Section | None, Label("sectie")]
    later: list[_Later]
    anything: Any


class _Later(Base):
    name: str


def test_the_fields_that_may_hold_an_item_are_found_through_every_annotation() -> None:
    # A forward reference that was never resolved, or Any, may hold anything.
    assert fields_holding(_Holder, Item) == ("items", "maybe", "later", "anything")
    assert fields_holding(_Leaf, Item) == ()
    assert fields_holding(Section, Item) == ("blocks", "sections")


def _every_item(value: object, skipped: bool, found: list[tuple[object, bool]]) -> None:
    """Every Item inside `value`, each with whether `fields_holding` would have skipped it."""
    if isinstance(value, BaseModel):
        if isinstance(value, Item):
            found.append((value, skipped))
        kept = fields_holding(type(value), Item)
        for name in type(value).model_fields:
            _every_item(getattr(value, name), skipped or name not in kept, found)
    elif isinstance(value, list | tuple):
        for element in value:
            _every_item(element, skipped, found)
    elif isinstance(value, dict):
        for element in value.values():
            _every_item(element, skipped, found)


def test_the_walk_for_confidential_items_skips_none(secret: Project) -> None:
    found: list[tuple[object, bool]] = []
    _every_item(compose(secret, "dronten", internal=True).ivb, False, found)
    assert len(found) > 20
    assert [item for item, skipped in found if skipped] == []
