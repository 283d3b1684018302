"""Pydantic validation errors → problems at the file, line and column that caused them.

Pydantic's `loc` tuples (`('focus', 'items', 2, 'title')`) are the key into the
source map built when the YAML was loaded; because the overlay keeps origins,
a mistake in a value that a municipality added points at that municipality's
file. Messages are rephrased for policy advisors and unknown fields get a
did-you-mean from the model's own field names.
"""

from __future__ import annotations

import types
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from .errors import Problem, did_you_mean
from .sources import Path_, SourceMap

__all__ = ["validation_problems"]

_TYPE_WORDS = {
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "float_type": "a number",
    "string_type": "a text",
    "bool_type": "true or false",
    "date_type": "a date (written as 2020-01-09)",
    "date_parsing": "a date (written as 2020-01-09)",
    "list_type": "a list",
    "dict_type": "a mapping of keys to values",
    "model_type": "a mapping of fields",
    "model_attributes_type": "a mapping of fields",
}


def validation_problems(error: ValidationError, model: type[BaseModel],
                        sources: SourceMap) -> list[Problem]:
    """One problem per pydantic error, de-duplicated, in source order."""
    problems: dict[tuple[str, str], Problem] = {}
    for detail in error.errors(include_url=False):
        loc: Path_ = tuple(part for part in detail["loc"] if isinstance(part, str | int))
        loc = _strip_union_tags(loc, model)
        problem = _problem(detail, loc, model, sources)
        problems.setdefault((problem.origin.location(), problem.message), problem)
    return sorted(problems.values(), key=lambda p: (p.origin.file, p.origin.line, p.origin.column))


def _problem(detail: Any, loc: Path_, model: type[BaseModel], sources: SourceMap) -> Problem:
    kind = detail["type"]
    name = _describe(loc)
    if kind == "extra_forbidden":
        allowed = _field_names(model, loc[:-1])
        hint = did_you_mean(str(loc[-1]), allowed) or (
            f"allowed here: {', '.join(allowed)}" if allowed else None)
        if detail.get("input") is None and " " in str(loc[-1]):
            # `{title: Jeugd, alcohol en drugs}` splits at the comma into two keys.
            hint = "a text with a comma inside { } must be quoted: {title: \"a, b\"}"
        return Problem("unknown-field", f"unknown field '{loc[-1]}'", sources.key_origin(loc), hint)
    if kind == "missing":
        return Problem("missing-field", f"required field '{loc[-1]}' is missing",
                       sources.origin(loc[:-1]), f"add '{loc[-1]}:' here")
    if kind in _TYPE_WORDS:
        shown = _shown(detail.get("input"))
        return Problem("wrong-type", f"{name} must be {_TYPE_WORDS[kind]}, not {shown}",
                       sources.origin(loc), _type_hint(kind, detail.get("input")))
    if kind == "literal_error":
        expected = detail.get("ctx", {}).get("expected", "")
        return Problem("wrong-value", f"{name} must be one of {expected}, not "
                       f"{_shown(detail.get('input'))}", sources.origin(loc))
    if kind == "string_pattern_mismatch":
        if loc and loc[-1] == "id":
            return Problem("id-format", f"'{detail.get('input')}' is not a valid id",
                           sources.origin(loc), "use lower-case letters, digits and hyphens")
        shown = _shown(detail.get("input"))
        return Problem("wrong-format", f"{name} has the wrong format: {shown}", sources.origin(loc))
    message = detail["msg"].removeprefix("Value error, ")
    return Problem("invalid", f"{name}: {message}" if loc else message, sources.origin(loc))


def _describe(loc: Path_) -> str:
    if not loc:
        return "the document"
    return "'" + ".".join(str(part) for part in loc) + "'"


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (empty)"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) < 40 else text[:37] + "..."


def _type_hint(kind: str, value: Any) -> str | None:
    if kind.startswith("int") and isinstance(value, str) and value.strip().isdigit():
        return "remove the quotes around the number"
    if kind.startswith("string") and value is not None and not isinstance(value, dict | list):
        return "put the value between quotes to make it a text"
    if kind.startswith("string") and isinstance(value, dict):
        return "a text containing ': ' must be quoted, or written as a block with '|'"
    if kind == "list_type":
        return "write each element on its own line, starting with '- '"
    return None


def _field_names(model: type[BaseModel], loc: Path_) -> list[str]:
    """The field names of the model found at `loc`, or [] when it is not a model."""
    target: Any = model
    for part in loc:
        target = _unwrap(target)
        if isinstance(target, type) and issubclass(target, BaseModel):
            field = target.model_fields.get(str(part))
            if field is None:
                return []
            target = field.annotation
        elif get_origin(target) in (list, tuple):
            target = get_args(target)[0]
        elif get_origin(target) is dict:
            target = get_args(target)[1]
        else:
            return []
    target = _unwrap(target)
    if isinstance(target, type) and issubclass(target, BaseModel):
        return list(target.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    """X | None → X, so the model inside an optional field is found."""
    if get_origin(annotation) in (Union, types.UnionType):
        args = [arg for arg in get_args(annotation) if arg is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def _strip_union_tags(loc: Path_, model: type[BaseModel]) -> Path_:
    # Pydantic adds the member type's name for unions ('float', 'int'); drop it.
    return tuple(part for part in loc if part not in ("float", "int", "str", "date", "none"))
