"""The editor schemas: current, complete in Dutch, true to the models, and useful.

Every YAML file of the example and of the fixture project must validate; a
misspelt key must be flagged at its place; `ivbcompose schema` writes the
schemas and the schema lines once and is a no-op the second time.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from ivbcompose import api
from ivbcompose.cli import main
from ivbcompose.model import STATUSES, UNITS, VELDEN
from ivbcompose.schema import SCHEMA_LINE, SchemaFile, schema_files, update_project

from .conftest import FIXTURE, REPO, edit, line_of

SCHEMAS = {schema.name: schema for schema in schema_files()}


def _json_like(value: Any) -> Any:
    """YAML data as an editor's YAML 1.2 reading gives it: dates are text, keys are text."""
    if isinstance(value, dict):
        return {str(key): _json_like(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_like(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _errors(schema: SchemaFile, path: Path) -> list[jsonschema.ValidationError]:
    data = _json_like(yaml.safe_load(path.read_text(encoding="utf-8")))
    validator = jsonschema.Draft202012Validator(schema.schema,
                                                format_checker=jsonschema.FormatChecker())
    return list(validator.iter_errors(data))


def _files(root: Path) -> list[tuple[SchemaFile, Path]]:
    return [(schema, path) for schema in schema_files() for pattern in schema.describes
            for path in sorted(root.glob(pattern))]


def test_the_committed_schemas_are_current() -> None:
    for schema in schema_files():
        committed = REPO / "schema" / schema.name
        assert committed.is_file(), f"run 'ivbcompose schema': {committed} is missing"
        assert committed.read_text(encoding="utf-8") == schema.text(), \
            f"{committed.name} is stale: run 'ivbcompose schema'"


def test_every_example_file_names_its_schema_on_its_first_line() -> None:
    update = update_project(REPO, check_only=True)
    assert update == type(update)((), ()), "run 'ivbcompose schema'"
    for schema, path in _files(REPO):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith(SCHEMA_LINE) and first.endswith(f"schema/{schema.name}")
        target = (path.parent / first.removeprefix(SCHEMA_LINE)).resolve()
        assert target == (REPO / "schema" / schema.name).resolve()


@pytest.mark.parametrize("root", [REPO, FIXTURE], ids=["example", "fixture"])
def test_every_project_file_validates(root: Path) -> None:
    files = _files(root)
    assert {schema.name for schema, _ in files} == set(SCHEMAS)
    for schema, path in files:
        assert [e.message for e in _errors(schema, path)] == [], path


@pytest.mark.parametrize(("file", "old", "new", "where"), [
    ("shared/10-inleiding.yaml", "  - id: inleiding\n    title:", "  - id: inleiding\n    titel:",
     ["chapters", 0]),
    ("municipalities/urk/municipality.yaml", "inhabitants: 21929", "inwoners: 21929",
     ["municipality"]),
    ("municipalities/urk/municipality.yaml", "  - remove: verkeersoverlast\n    reason:",
     "  - remove: verkeersoverlast\n    reden:", ["changes", 8]),
])
def test_a_misspelt_key_is_flagged_where_it_is(project: api.Project, file: str, old: str,
                                                new: str, where: list[Any]) -> None:
    path = project.root / file
    edit(path, old, new)
    schema = next(s for s, p in _files(project.root) if p == path)
    errors = _errors(schema, path)
    assert errors, "the misspelt key passed the schema"
    misspelt = new.split("\n")[-1].split(":")[0].strip()
    # Behind an anyOf or a oneOf (a list that may be empty, the six operations) the
    # finding is one of the alternatives' own: the editor underlines that one.
    found = [e for e in _leaves(errors)
             if e.validator == "additionalProperties" and misspelt in e.message]
    assert {tuple(e.absolute_path) for e in found} == {tuple(where)}


def _leaves(errors: list[jsonschema.ValidationError]) -> list[jsonschema.ValidationError]:
    return [leaf for e in errors for leaf in (_leaves(e.context) if e.context else [e])]


def test_a_missing_required_field_and_a_wrong_value_are_flagged(project: api.Project) -> None:
    path = project.root / "municipalities/urk/municipality.yaml"
    edit(path, "  cbs_code: GM0184\n", "")
    edit(path, "status: vastgesteld", "status: klaar")
    messages = [e.message for e in _errors(SCHEMAS["municipality.schema.json"], path)]
    assert any("cbs_code" in m for m in messages)
    assert any("klaar" in m for m in messages)


def _walk(node: Any, path: str = "") -> Any:
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from _walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, f"{path}/{index}")


def _fields(schema: dict[str, Any]) -> Any:
    """Every property schema of every object in `schema`, with its path."""
    for path, node in _walk(schema):
        if path.endswith("/properties"):
            for name, field in node.items():
                yield f"{path}/{name}", field


def _allowed(field: dict[str, Any]) -> bool:
    options = [field, *field.get("anyOf", [])]
    return any("enum" in o or "const" in o or o.get("type") == "boolean" for o in options)


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_every_field_has_a_dutch_description_and_examples_or_allowed_values(name: str) -> None:
    fields = list(_fields(SCHEMAS[name].schema))
    assert len(fields) > 5
    for path, field in fields:
        description = field.get("description", "")
        assert description and "TODO" not in description, f"{name}{path}: no description"
        assert field.get("examples") or _allowed(field), f"{name}{path}: no examples"
    for path, node in _walk(SCHEMAS[name].schema):
        if path.startswith("/$defs/") and path.count("/") == 2:
            assert node.get("description"), f"{name}{path}: no description"


def test_every_example_in_the_schemas_is_valid_for_its_field() -> None:
    for schema in schema_files():
        for path, field in _walk(schema.schema):
            if "examples" not in field or path.endswith("/properties"):
                continue
            rule = {k: v for k, v in field.items() if k != "examples"}
            for example in field["examples"]:
                errors = list(jsonschema.Draft202012Validator(
                    {**rule, "$defs": schema.schema["$defs"]}).iter_errors(example))
                assert not errors, f"{schema.name}{path}: {example!r}: {errors[0].message}"


def test_allowed_values_are_the_models() -> None:
    definitions = SCHEMAS["shared.schema.json"].schema["$defs"]
    assert definitions["Indicator"]["properties"]["unit"]["enum"] == list(UNITS)
    assert definitions["FocusArea"]["properties"]["veld"]["enum"] == list(VELDEN)
    progress = SCHEMAS["progress.schema.json"].schema["$defs"]["MeasureProgress"]
    assert [v for o in progress["properties"]["status"]["anyOf"]
            for v in o.get("enum", [])] == list(STATUSES)
    changes = SCHEMAS["municipality.schema.json"].schema["$defs"]
    assert changes["change-remove"]["required"] == ["remove", "reason"]


def test_composed_fields_are_not_offered() -> None:
    definitions = SCHEMAS["shared.schema.json"].schema["$defs"]
    assert "municipalities" not in definitions["Basisteam"]["properties"]
    assert "year" not in definitions["DocumentMeta"]["properties"]
    assert "year" not in SCHEMAS["progress.schema.json"].schema["properties"]


def test_schema_command_writes_once_and_links_every_file(project: api.Project,
                                                         capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    root = project.root
    before = {p: p.read_bytes() for _, p in _files(root)}
    assert main(["--project", str(root), "schema", "--check"]) == 1
    assert main(["--project", str(root), "schema"]) == 0
    written = capsys.readouterr().out.split()
    assert {f"schema/{name}" for name in SCHEMAS} <= set(written)
    for path, data in before.items():
        text = path.read_bytes()
        first, _, rest = text.partition(b"\n")
        assert first.startswith(SCHEMA_LINE.encode()) and rest == data
    assert main(["--project", str(root), "schema", "--check"]) == 0
    assert main(["--project", str(root), "schema"]) == 0
    assert "up to date" in capsys.readouterr().out
    # The schema line is a comment: the project still checks, and positions follow it.
    assert api.check(project) == []
    urk = root / "municipalities/urk/municipality.yaml"
    edit(urk, "inhabitants: 21929", "inhabitants: veel")
    problems = api.check(project)
    assert problems and problems[0].origin.line == line_of(urk, "inhabitants: veel")


def test_a_stale_schema_line_or_schema_is_found_and_repaired(project: api.Project) -> None:
    root = project.root
    update_project(root)
    urk = root / "municipalities/urk/municipality.yaml"
    edit(urk, "$schema=../../schema/", "$schema=../schema/")
    (root / "schema/progress.schema.json").write_text("{}", encoding="utf-8")
    stale = update_project(root, check_only=True)
    assert stale.linked == (urk,) and stale.schemas == (root / "schema/progress.schema.json",)
    update_project(root)
    assert urk.read_text(encoding="utf-8").count(SCHEMA_LINE) == 1
    assert update_project(root, check_only=True) == type(stale)((), ())


def test_a_new_municipality_is_linked_when_the_project_uses_schemas(
        project: api.Project) -> None:
    update_project(project.root)
    path = api.new_municipality(project, api.NewMunicipality("lelystad", "Lelystad", "GM0995",
                                                             80000, 2024))
    assert path.read_text(encoding="utf-8").startswith(
        f"{SCHEMA_LINE}../../schema/municipality.schema.json\n")
    assert not _errors(SCHEMAS["municipality.schema.json"], path)
