"""JSON Schema files for editors: completion, hover help and unknown keys underlined.

The schemas are generated from the pydantic models, so they cannot drift from
what `check` accepts; what pydantic cannot know (the Dutch descriptions and
examples a policy advisor reads on hover, and the shape of a municipality's
changes) comes from `data/schema.nl.yaml` and from the overlay's table of
operations. A YAML file points at its schema with a first line
`# yaml-language-server: $schema=<relative path>`, which the YAML extension of
VS Code (and other editors using the yaml-language-server) understands.

Three files are described: a file in `shared/`, a municipality's
`municipality.yaml`, and a progress file (`progress/<year>.yaml`). Fields that
composing fills in (`model.COMPOSED`) are left out: nobody writes them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, create_model

from . import registry  # noqa: F401  (completes the models with the block types)
from .files import write_all_atomically
from .model import (
    Base,
    Basisteam,
    Chapter,
    DocumentMeta,
    FigurePointer,
    Kind,
    Municipality,
    Progress,
    field_label,
    is_composed,
    model_classes,
)
from .overlay.changes import OPERATION_KEYS

__all__ = ["SCHEMA_DIR", "SCHEMA_LINE", "SchemaFile", "SchemaUpdate", "schema_files",
           "schema_line", "update_project"]

SCHEMA_DIR = "schema"
SCHEMA_LINE = "# yaml-language-server: $schema="
_DIALECT = "https://json-schema.org/draft/2020-12/schema"


@dataclass(frozen=True)
class SchemaFile:
    """One schema: its file name, the YAML files it describes (globs) and its content."""

    name: str
    describes: tuple[str, ...]
    schema: dict[str, Any]

    def text(self) -> str:
        """The schema as written to disk: stable key order, one newline at the end."""
        return json.dumps(self.schema, ensure_ascii=False, indent=2) + "\n"


def schema_files() -> tuple[SchemaFile, ...]:
    """The schemas of the three kinds of YAML file a project holds."""
    texts = _texts()
    return (
        SchemaFile("shared.schema.json", ("shared/*.yaml",), _shared(texts)),
        SchemaFile("municipality.schema.json", ("municipalities/*/municipality.yaml",),
                   _municipality(texts)),
        SchemaFile("progress.schema.json", ("shared/progress/*.yaml",
                                            "municipalities/*/progress/*.yaml"),
                   _progress(texts)),
    )


def schema_line(yaml_file: Path, project_root: Path, schema: SchemaFile) -> str:
    """The first line that ties `yaml_file` to `schema` (a path relative to the file)."""
    depth = len(yaml_file.relative_to(project_root).parts) - 1
    return f"{SCHEMA_LINE}{'../' * depth}{SCHEMA_DIR}/{schema.name}"


@dataclass(frozen=True)
class SchemaUpdate:
    """What `update_project` did (or, checking only, would do): files written or stale."""

    schemas: tuple[Path, ...]
    linked: tuple[Path, ...]


def update_project(root: Path, check_only: bool = False) -> SchemaUpdate:
    """Write the schemas into `<root>/schema/` and give every YAML file of the project its
    schema line, leaving the rest of each file as it is; only what differs is written.

    With `check_only` nothing is written: the result names what is stale.
    """
    files: list[tuple[Path, bytes]] = []
    linked: list[Path] = []
    for schema in schema_files():
        target = root / SCHEMA_DIR / schema.name
        data = schema.text().encode("utf-8")
        if not target.is_file() or target.read_bytes() != data:
            files.append((target, data))
        for pattern in schema.describes:
            for path in sorted(root.glob(pattern)):
                try:
                    text = path.read_text(encoding="utf-8")
                except UnicodeDecodeError:
                    continue  # not text: `check` names it, and it is not ours to rewrite
                linked_text = _linked(text, schema_line(path, root, schema))
                if linked_text is not None:
                    files.append((path, linked_text.encode("utf-8")))
                    linked.append(path)
    if not check_only and files:
        (root / SCHEMA_DIR).mkdir(exist_ok=True)
        write_all_atomically(files)
    return SchemaUpdate(tuple(path for path, _ in files if path not in linked), tuple(linked))


def _linked(text: str, line: str) -> str | None:
    """`text` with `line` as its first line (replacing an older schema line); None when it
    already has it."""
    first, newline, rest = text.partition("\n")
    if first.rstrip("\r") == line:
        return None
    if first.startswith(SCHEMA_LINE):
        return line + newline + rest
    return f"{line}\n{text}"


# --- the three files -----------------------------------------------------------------


def _shared(texts: _Texts) -> dict[str, Any]:
    model = create_model("SharedFile", __base__=Base,
                         basisteam=(Basisteam | None, None), document=(DocumentMeta | None, None),
                         chapters=(list[Chapter] | None, None), kinds=(list[Kind] | None, None))
    return _file_schema(model, texts, "shared")


def _progress(texts: _Texts) -> dict[str, Any]:
    return _file_schema(Progress, texts, "progress")


def _municipality(texts: _Texts) -> dict[str, Any]:
    model = create_model("MunicipalityFile", __base__=Base,
                         municipality=(Municipality, ...), document=(DocumentMeta | None, None))
    schema = _file_schema(model, texts, "municipality")
    definitions = schema["$defs"]
    # A municipality's `document:` is merged into the shared one: nothing in it is required.
    override = definitions.pop("DocumentMeta")
    override.pop("required", None)
    definitions["DocumentOverride"] = override
    schema["properties"]["document"] = {"$ref": "#/$defs/DocumentOverride",
                                        **texts.field(model, "document")}
    schema["properties"]["documents"] = {
        "type": "object",
        "description": texts.file("documents"),
        "propertyNames": {"pattern": _ID_PATTERN},
        "additionalProperties": {"anyOf": [
            {"$ref": "#/$defs/DocumentOverride"},
            {"type": "object", "description": texts.file("documents-per-year"),
             "propertyNames": {"pattern": r"^\d{4}$"},
             "additionalProperties": {"$ref": "#/$defs/DocumentOverride"}},
        ]},
        "examples": [texts.file_examples("documents")],
    }
    schema["properties"]["changes"] = {
        "type": ["array", "null"],
        "description": texts.file("changes"),
        "items": {"oneOf": [{"$ref": f"#/$defs/change-{op}"} for op in OPERATION_KEYS]},
        "examples": [[texts.operation(op)["examples"][0] for op in OPERATION_KEYS]],
    }
    for op, (required, optional) in OPERATION_KEYS.items():
        keys = sorted(required | optional)
        definitions[f"change-{op}"] = {
            "type": "object",
            "title": str(op),
            "description": texts.operation(op)["description"],
            "required": [str(op), *sorted(required)],
            "properties": {str(op): _operation_value(str(op), texts),
                           **{key: {**_KEY_TYPES.get((key, str(op)), _KEY_TYPES[key]),
                                    **texts.change_key(key, str(op))} for key in keys}},
            "additionalProperties": False,
            "examples": texts.operation(op)["examples"],
        }
    return schema


_ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
# An address: an item id, then fields or list positions after dots (`planning.rows`).
_ADDRESS = {"type": "string", "pattern": r"^[a-z0-9]+(-[a-z0-9]+)*(\.[A-Za-z0-9_-]+)*$"}
_KEY_TYPES: dict[Any, dict[str, Any]] = {
    "to": _ADDRESS, "after": _ADDRESS, "before": _ADDRESS,
    "reason": {"type": "string", "minLength": 1},
    "with": {},  # replace: any value, as long as the model takes it
    ("with", "update"): {"type": "object", "minProperties": 1},
}


def _operation_value(op: str, texts: _Texts) -> dict[str, Any]:
    """What is written after the operation's name."""
    description = {"description": texts.operation(op)["value"],
                   "examples": [example[op] for example in texts.operation(op)["examples"]]}
    if op == "add":
        return {"type": "object", **description, "required": ["id"],
                "properties": {"id": {"type": "string", "pattern": _ID_PATTERN,
                                      **texts.change_key("id", op)}}}
    if op == "append":
        return {**description, "anyOf": [{"type": "string", "minLength": 1},
                                         {"type": "array", "minItems": 1}]}
    return {**_ADDRESS, **description}


# --- from the models -------------------------------------------------------------------


def _file_schema(model: type[BaseModel], texts: _Texts, name: str) -> dict[str, Any]:
    """The JSON schema of `model` as a file, with the Dutch texts in place of pydantic's."""
    raw = model.model_json_schema(ref_template="#/$defs/{model}")
    definitions = raw.pop("$defs", {})
    classes = {cls.__name__: cls for cls in model_classes(model)}
    classes.pop(model.__name__, None)
    pointing = [name for name, cls in classes.items() if getattr(cls, "takes_figure", False)]
    if pointing:
        definitions[FigurePointer.__name__] = FigurePointer.model_json_schema()
        classes[FigurePointer.__name__] = FigurePointer
    pointer_example = {field: texts.field(FigurePointer, field)["examples"][0]
                       for field in FigurePointer.model_fields}
    for class_name in pointing:
        definitions[class_name]["properties"]["figure"] = {
            "$ref": f"#/$defs/{FigurePointer.__name__}",
            "description": texts.model(FigurePointer), "examples": [pointer_example]}
    for class_name, definition in definitions.items():
        _describe(definition, classes[class_name], texts)
    _describe(raw, model, texts, file=name)
    return {"$schema": _DIALECT, "$id": f"{SCHEMA_DIR}/{name}.schema.json", **raw,
            "$defs": dict(sorted(definitions.items()))}


def _describe(definition: dict[str, Any], model: type[BaseModel], texts: _Texts,
              file: str | None = None) -> None:
    """Put the Dutch description and examples on a model's schema and on each of its
    fields; drop pydantic's English titles and docstrings, and the composed fields."""
    definition.pop("title", None)
    # A file's own description is the file's; a model's, where the model is used.
    definition["description"] = texts.file(file) if file else texts.model(model)
    properties = definition.get("properties", {})
    for field in list(properties):
        if field not in model.model_fields:
            continue  # added here, described where it was added (`figure`)
        if is_composed(model, field):
            del properties[field]
            if field in definition.get("required", []):
                definition["required"].remove(field)
            continue
        entry = texts.field(model, field)
        schema = properties[field]
        schema.pop("title", None)
        label = field_label(model, field)
        if label != field:
            schema["title"] = label
        schema["description"] = entry["description"]
        if "examples" in entry:
            schema["examples"] = entry["examples"]
    if not definition.get("required"):
        definition.pop("required", None)


@dataclass(frozen=True)
class _Texts:
    """The Dutch texts of `data/schema.nl.yaml`; a missing text is an error, not a gap."""

    data: dict[str, Any]

    def file(self, name: str) -> str:
        return str(self._at("files", name, "description"))

    def file_examples(self, name: str) -> Any:
        return self._at("files", name, "example")

    def model(self, model: type[BaseModel]) -> str:
        return str(self._entry(model, None)["description"])

    def field(self, model: type[BaseModel], field: str) -> dict[str, Any]:
        return self._entry(model, field)

    def operation(self, op: str) -> dict[str, Any]:
        return dict(self._at("operations", str(op)))

    def change_key(self, key: str, op: str) -> dict[str, Any]:
        entry = self._at("change-keys", key)
        per_operation = entry.get(op, entry.get("description"))
        return {"description": str(per_operation),
                **({"examples": entry["examples"]} if "examples" in entry else {})}

    def _entry(self, model: type[BaseModel], field: str | None) -> dict[str, Any]:
        # A field is described where it is declared: Chapter inherits Section's texts.
        for cls in model.__mro__:
            entry = self.data.get("models", {}).get(cls.__name__)
            if entry is None:
                continue
            if field is None:
                return _as_entry(entry.get("_"), f"{cls.__name__}")
            if field in entry:
                return _as_entry(entry[field], f"{cls.__name__}.{field}")
        raise KeyError(f"data/schema.nl.yaml has no text for {model.__name__}"
                       + (f".{field}" if field else ""))

    def _at(self, *keys: str) -> Any:
        value: Any = self.data
        for key in keys:
            if not isinstance(value, dict) or key not in value:
                raise KeyError(f"data/schema.nl.yaml has no {'.'.join(keys)}")
            value = value[key]
        return value


def _as_entry(value: Any, name: str) -> dict[str, Any]:
    if isinstance(value, str):
        return {"description": value}
    if isinstance(value, dict) and isinstance(value.get("description"), str):
        return value
    raise KeyError(f"data/schema.nl.yaml has no description for {name}")


def _texts() -> _Texts:
    source = resources.files("ivbcompose").joinpath("data/schema.nl.yaml")
    return _Texts(yaml.safe_load(source.read_text(encoding="utf-8")))
