"""Pydantic validation errors → problems at the file, line and column that caused them.

Pydantic's `loc` tuples (`('focus', 'items', 2, 'title')`) are the key into the
source map built when the YAML was loaded; because the overlay keeps origins,
a mistake in a value that a municipality added points at that municipality's
file. Messages name values by their item address (`jeugd-en-veiligheid.title`,
not a list index that differs per municipality), are rephrased for policy
advisors, and unknown fields and values get a did-you-mean.
"""

from __future__ import annotations

import re
import types
from collections.abc import Iterator
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from .errors import Problem, did_you_mean
from .model import LocatedError
from .provenance import Origin
from .sources import Path_, SourceMap

__all__ = ["validation_problems"]

_TYPE_WORDS = {
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "finite_number": "a finite number",
    "string_type": "a text",
    "bool_type": "true or false",
    "date_type": "a date (written as 2020-01-09)",
    "date_parsing": "a date (written as 2020-01-09)",
    "date_from_datetime_parsing": "a date (written as 2020-01-09)",
    "list_type": "a list",
    "dict_type": "a mapping of keys to values",
    "model_type": "a mapping of fields",
    "model_attributes_type": "a mapping of fields",
}
_PATTERN_HINTS = {
    "cbs_code": "write GM followed by the four digits of the CBS code, e.g. GM0123",
    "id": "use lower-case letters, digits and hyphens, e.g. 'jeugd-en-veiligheid'",
}


def validation_problems(error: ValidationError, model: type[BaseModel], sources: SourceMap,
                        data: Any) -> list[Problem]:
    """One problem per mistake, in source order; `data` is the plain data that was validated."""
    problems: dict[tuple[str, str], Problem] = {}
    for detail in error.errors(include_url=False):
        loc = _data_path(detail["loc"], data)
        problem = _problem(detail, loc, model, sources, data)
        # A number that is neither float nor int fails twice (once per union member).
        key = (problem.origin.location(), problem.code if problem.code == "wrong-type"
               else problem.message)
        problems.setdefault(key, problem)
    return sorted(problems.values(), key=lambda p: (p.origin.file, p.origin.line, p.origin.column))


def _data_path(loc: tuple[Any, ...], data: Any) -> Path_:
    """The part of pydantic's `loc` that is a path in the data.

    Pydantic inserts the member type's name for unions ('float', 'int') and
    '[key]' for a wrong dict key; those are not keys of the data, so dropping
    whatever the data does not have leaves the real path (and keeps a field
    that happens to be called 'date').
    """
    path: list[str | int] = []
    current = data
    for part in loc:
        in_dict = isinstance(current, dict) and part in current
        in_list = isinstance(current, list) and isinstance(part, int) and part < len(current)
        if in_dict or in_list:
            current = current[part]
        elif part == "[key]" or part in ("float", "int", "str", "date", "none", "function-after"):
            continue
        elif isinstance(current, dict) and current.get("type") == part:
            continue  # the block type pydantic names for a member of the union of blocks
        else:
            path.append(part)  # a missing field: the last part of the path
            break
        path.append(part)
    return tuple(path)


def _problem(detail: Any, loc: Path_, model: type[BaseModel], sources: SourceMap,
             data: Any) -> Problem:
    kind = detail["type"]
    name = _address(loc, data)
    value = detail.get("input")
    if kind == "extra_forbidden":
        allowed = _field_names(model, loc[:-1], data)
        hint = did_you_mean(str(loc[-1]), allowed) or (
            f"allowed here: {', '.join(allowed)}" if allowed else None)
        if value is None and " " in str(loc[-1]):
            # `{title: Jeugd, alcohol en drugs}` splits at the comma into two keys.
            hint = "a text with a comma inside { } must be quoted: {title: \"a, b\"}"
        return Problem("unknown-field", f"unknown field '{loc[-1]}'", sources.key_origin(loc), hint)
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        known = _tags(model, loc, data)
        given = value.get("type") if isinstance(value, dict) else None
        if kind == "union_tag_not_found":
            return Problem("block-type", f"{name} has no 'type'", sources.origin(loc),
                           f"give the block a type: {', '.join(known)}")
        return Problem("block-type", f"unknown block type {_shown(given)}",
                       sources.origin((*loc, "type")),
                       did_you_mean(str(given), known) or f"known types: {', '.join(known)}")
    if kind == "missing":
        options = get_args(_unwrap(_annotation_at(model, loc, data)))
        one_of = f", one of: {', '.join(map(str, options))}" if options and all(
            isinstance(o, str) for o in options) else ""
        return Problem("missing-field", f"required field '{loc[-1]}' is missing",
                       sources.origin(loc[:-1]), f"add '{loc[-1]}:' here{one_of}")
    if kind in _TYPE_WORDS:
        return Problem("wrong-type", f"{name} must be {_TYPE_WORDS[kind]}, not {_shown(value)}",
                       sources.origin(loc), _type_hint(kind, value, loc))
    if kind == "literal_error":
        expected = detail.get("ctx", {}).get("expected", "")
        options = re.findall(r"'([^']*)'", expected)
        hint = did_you_mean(str(value).lower(), options) if isinstance(value, str) else None
        return Problem("wrong-value", f"{name} must be one of {expected}, not {_shown(value)}",
                       sources.origin(loc), hint)
    if kind == "string_pattern_mismatch":
        field = str(loc[-1]) if loc else ""
        if field == "id":
            return Problem("id-format", f"'{value}' is not a valid id", sources.origin(loc),
                           _PATTERN_HINTS["id"])
        return Problem("wrong-format", f"{name} has the wrong format: {_shown(value)}",
                       sources.origin(loc), _PATTERN_HINTS.get(field))
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        limit = detail.get("ctx", {})
        bound = next(iter(limit.values()), None)
        words = {"greater_than_equal": "at least", "greater_than": "more than",
                 "less_than_equal": "at most", "less_than": "less than"}[kind]
        hint = "costs and counts are never negative" if bound == 0 and isinstance(
            value, int | float) and value < 0 else None
        return Problem("out-of-range", f"{name} must be {words} {bound}, not {_shown(value)}",
                       sources.origin(loc), hint)
    if kind == "too_short" and isinstance(value, list):
        return Problem("too-short", f"{name} needs at least one element", sources.origin(loc),
                       "a change may have removed the last one")
    message = detail["msg"].removeprefix("Value error, ")
    text = f"{name}: {message}" if loc else message
    cause = detail.get("ctx", {}).get("error")
    if isinstance(cause, LocatedError):
        return Problem("invalid", text, sources.origin((*loc, *cause.path)), cause.hint)
    return Problem("invalid", text, _best_origin(loc, message, data, sources))


def _address(loc: Path_, data: Any) -> str:
    """'jeugd-en-veiligheid.title' for ('focus', 'items', 2, 'title'): the nearest item's id."""
    if not loc:
        return "the document"
    parts: list[str] = []
    current = data
    for part in loc:
        current = current.get(part) if isinstance(current, dict) else (
            current[part] if isinstance(current, list) and isinstance(part, int)
            and part < len(current) else None)
        parts.append(str(part))
        if isinstance(current, dict) and isinstance(current.get("id"), str):
            parts = [current["id"]]
    return "'" + ".".join(parts) + "'"


def _best_origin(loc: Path_, message: str, data: Any, sources: SourceMap) -> Origin:
    """For a rule about several fields, the value the message is about.

    A rule such as "row 'autokraak' has no figure for 2017" or "the period ends
    (2021) before it starts (2022)" is raised for a whole mapping; the value it
    names (a quoted word or a number in the message) is found among the leaves
    under that mapping, so the error points at that line, in the file that
    wrote it, rather than at the start of the mapping in the shared part.
    """
    words = set(re.findall(r"'([^']+)'", message)) | set(re.findall(r"\((\d+)\)", message))
    node = data
    for part in loc:
        node = node[part] if isinstance(node, dict | list) else None
    for path, leaf_key, value in _leaves(node, loc):
        if leaf_key in words or (isinstance(value, str | int) and str(value) in words):
            return sources.origin(path)
    return sources.origin(loc)


def _leaves(node: Any, path: Path_) -> Iterator[tuple[Path_, str, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _leaves(value, (*path, index))
    else:
        yield path, str(path[-1]) if path else "", node


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (empty)"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) < 40 else text[:37] + "..."


def _type_hint(kind: str, value: Any, loc: Path_ = ()) -> str | None:
    if kind.startswith(("int", "float")) and isinstance(value, str) \
            and value.strip().replace(".", "", 1).isdigit():
        return "remove the quotes around the number"
    if kind.startswith("int") and isinstance(value, float):
        if round(value * 1000) == value * 1000 and 1 <= value < 1000:
            # 21.929 is how a Dutch text writes 21929; YAML reads it as a decimal number.
            whole = f"{value:.3f}".replace(".", "")
            return f"write {whole.lstrip('0')} without the dot: YAML reads {value:.3f} as a " \
                   "decimal number"
        if len(loc) >= 2 and loc[-2] == "values":  # a figure of a crime table
            return "counts are whole numbers; for a figure per 10.000 inhabitants set " \
                   "'unit: rate'"
        return "write a whole number"
    if kind.startswith("date") and isinstance(value, str) \
            and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        return "remove the quotes around the date"
    if kind.startswith("date") and isinstance(value, str):
        return "write dates as year-month-day, e.g. 2021-03-09"
    if kind.startswith("string") and value is not None and not isinstance(value, dict | list):
        return "put the value between quotes to make it a text"
    if kind.startswith("string") and isinstance(value, dict):
        return ("a text containing ': ' must be quoted, or written as a block with '|'; "
                "or a mapping was added to a list of texts")
    if kind == "list_type":
        return "write each element on its own line, starting with '- '"
    return None


def _tags(model: type[BaseModel], loc: Path_, data: Any) -> list[str]:
    """The block types a union of blocks at `loc` allows (the `type` of each member)."""
    union = _annotation_at(model, loc, data)
    if hasattr(union, "__metadata__"):
        union = union.__origin__
    tags = []
    for member in get_args(union):
        field = getattr(member, "model_fields", {}).get("type")
        tags += [str(tag) for tag in get_args(field.annotation)] if field is not None else []
    return tags


def _field_names(model: type[BaseModel], loc: Path_, data: Any = None) -> list[str]:
    """The field names of the model found at `loc`, or [] when it is not a model.

    For a block, `data` (the validated data) tells which block type's fields.
    """
    target = _unwrap(_annotation_at(model, loc, data), _value_at(data, loc))
    if isinstance(target, type) and issubclass(target, BaseModel):
        return [name for name in target.model_fields if name != "type"]
    return []


def _value_at(data: Any, loc: Path_) -> Any:
    for part in loc:
        in_dict = isinstance(data, dict) and part in data
        in_list = isinstance(data, list) and isinstance(part, int) and part < len(data)
        data = data[part] if in_dict or in_list else None
    return data


def _annotation_at(model: type[BaseModel], loc: Path_, data: Any) -> Any:
    """The annotation that validates the value at `loc` (None when there is none)."""
    target: Any = model
    current = data
    for part in loc:
        target = _unwrap(target, current)
        current = current[part] if (isinstance(current, dict) and part in current) or (
            isinstance(current, list) and isinstance(part, int) and part < len(current)) \
            else None
        if isinstance(target, type) and issubclass(target, BaseModel):
            field = target.model_fields.get(str(part))
            if field is None:
                return None
            target = field.annotation
        elif get_origin(target) in (list, tuple):
            target = get_args(target)[0]
        elif get_origin(target) is dict:
            target = get_args(target)[1]
        else:
            return None
    return target


def _unwrap(annotation: Any, data: Any = None) -> Any:
    """X | None → X, and a union of blocks → the block model whose `type` the data has."""
    if hasattr(annotation, "__metadata__"):
        annotation = annotation.__origin__
    if get_origin(annotation) in (Union, types.UnionType):
        args = [arg for arg in get_args(annotation) if arg is not type(None)]
        if len(args) == 1:
            return _unwrap(args[0], data)
        given = data.get("type") if isinstance(data, dict) else None
        for arg in args:
            fields = getattr(arg, "model_fields", {})
            if "type" in fields and given in get_args(fields["type"].annotation):
                return arg
    return annotation
