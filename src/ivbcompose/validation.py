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
from .i18n import Message, ntr, tr
from .model import ID_PATTERN, LocatedError
from .provenance import Origin
from .sources import Path_, SourceMap

__all__ = ["validation_problems"]

_A_WHOLE_NUMBER = tr("a whole number")
_A_NUMBER = tr("a number")
_A_DATE = tr("a date (written as 2020-01-09)")
_A_LIST = tr("a list")
_A_MAPPING_OF_FIELDS = tr("a mapping of fields")
_TYPE_WORDS: dict[str, Message] = {
    "int_type": _A_WHOLE_NUMBER,
    "int_parsing": _A_WHOLE_NUMBER,
    "int_from_float": _A_WHOLE_NUMBER,
    "float_type": _A_NUMBER,
    "float_parsing": _A_NUMBER,
    "finite_number": tr("a finite number"),
    "string_type": tr("a text"),
    "bool_type": tr("true or false"),
    "bool_parsing": tr("true or false"),
    "date_type": _A_DATE,
    "date_parsing": _A_DATE,
    "date_from_datetime_parsing": _A_DATE,
    "date_from_datetime_inexact": _A_DATE,
    "list_type": _A_LIST,
    "tuple_type": _A_LIST,
    "set_type": _A_LIST,
    "frozen_set_type": _A_LIST,
    "dict_type": tr("a mapping of keys to values"),
    "model_type": _A_MAPPING_OF_FIELDS,
    "model_attributes_type": _A_MAPPING_OF_FIELDS,
    "dataclass_type": _A_MAPPING_OF_FIELDS,
}
_PATTERN_HINTS: dict[str, Message] = {
    "cbs_code": tr("write GM followed by the four digits of the CBS code, e.g. GM0123"),
    "id": tr("use lower-case letters, digits and hyphens, e.g. 'jeugd-en-veiligheid'"),
    # A field that names an item (a partner, a goal, a row) by its id.
    "id-value": tr("name the item by its id: lower-case letters, digits and hyphens, e.g. "
                   "'jeugd-en-veiligheid'"),
}
# For a check this module has no words of its own for (a safety net: the models' own
# rules raise LocatedError, with a hint).
_UNKNOWN_HINT = tr("compare the value with the same field in the shared part or in another "
                   "municipality's file, and write it the same way")
_BOUNDS = ("greater_than_equal", "greater_than", "less_than_equal", "less_than")


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
    ctx = detail.get("ctx") or {}
    if kind in ("extra_forbidden", "invalid_key"):
        allowed = _field_names(model, loc[:-1], data)
        hint = did_you_mean(str(loc[-1]), allowed) or (
            tr("allowed here: {names}", names=", ".join(allowed)) if allowed else
            tr("remove '{name}', or check its indentation: it may belong to the line above",
               name=str(loc[-1])))
        if loc[-1] == "confidential":
            # Only an item can be left out of a public document; a did-you-mean would not say so.
            hint = tr("only an item can be confidential (a chapter, section, block, partner, "
                      "row, priority, goal, indicator or measure): mark the item that holds "
                      "this instead")
        if value is None and " " in str(loc[-1]):
            # `{title: Jeugd, alcohol en drugs}` splits at the comma into two keys.
            hint = tr("a text with a comma inside {{ }} must be quoted: {{title: \"a, b\"}}")
        return Problem("unknown-field", tr("unknown field '{name}'", name=str(loc[-1])),
                       sources.key_origin(loc), hint)
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        known = _tags(model, loc, data)
        given = value.get("type") if isinstance(value, dict) else None
        if kind == "union_tag_not_found":
            return Problem("block-type", tr("{name} has no 'type'", name=name),
                           sources.origin(loc),
                           tr("give the block a type: {names}", names=", ".join(known)))
        return Problem("block-type", tr("unknown block type {value}", value=_shown(given)),
                       sources.origin((*loc, "type")),
                       did_you_mean(str(given), known)
                       or tr("known types: {names}", names=", ".join(known)))
    if kind == "missing":
        options = get_args(_unwrap(_annotation_at(model, loc, data)))
        field = str(loc[-1])
        if options and all(isinstance(o, str) for o in options):
            hint = tr("add '{name}:' here, one of: {names}", name=field,
                      names=", ".join(map(str, options)))
        else:
            hint = tr("add '{name}:' here", name=field)
        return Problem("missing-field", tr("required field '{name}' is missing", name=field),
                       sources.origin(loc[:-1]), hint)
    if kind in _TYPE_WORDS:
        return Problem("wrong-type", tr("{name} must be {expected}, not {value}", name=name,
                                        expected=_TYPE_WORDS[kind], value=_shown(value)),
                       sources.origin(loc), _type_hint(kind, value, loc, model, data))
    if kind in ("literal_error", "enum"):
        options = _options(str(ctx.get("expected", "")))
        hint = (did_you_mean(str(value).lower(), [o.strip("'") for o in options])
                if isinstance(value, str) else None) or (
            tr("write one of the values listed, exactly as shown, e.g. {example}",
               example=options[0]) if options else tr("check the spelling of the value"))
        return Problem("wrong-value", tr("{name} must be one of {options}, not {value}",
                                         name=name, options=_one_of(options),
                                         value=_shown(value)),
                       sources.origin(loc), hint)
    if kind == "string_pattern_mismatch":
        field = str(loc[-1]) if loc else ""
        if field == "id":
            return Problem("id-format", tr("'{value}' is not a valid id", value=str(value)),
                           sources.origin(loc), _PATTERN_HINTS["id"])
        if ctx.get("pattern") == ID_PATTERN.pattern:
            hint = _PATTERN_HINTS["id-value"]
        else:
            hint = _PATTERN_HINTS.get(field) or tr("write the value in the same form as this "
                                                   "field has in the other files of the "
                                                   "project")
        return Problem("wrong-format", tr("{name} has the wrong format: {value}", name=name,
                                          value=_shown(value)),
                       sources.origin(loc), hint)
    if kind in _BOUNDS:
        bound = next(iter(ctx.values()), None)
        hint = tr("costs and counts are never negative") if bound == 0 and isinstance(
            value, int | float) and value < 0 else _bound_hint(kind, bound)
        return Problem("out-of-range", _out_of_range(kind, name, bound, _shown(value)),
                       sources.origin(loc), hint)
    if kind == "too_short" and isinstance(value, list):
        least = ctx.get("min_length", 1)
        return Problem("too-short", ntr("{name} needs at least one element",
                                        "{name} needs at least {n} elements", least, name=name),
                       sources.origin(loc),
                       ntr("add at least one element, on a line starting with '- '; a change "
                           "may have removed the last one",
                           "add elements until there are at least {n}, each on a line "
                           "starting with '- '", least))
    special = _other_kind(kind, name, ctx, value)
    if special is not None:
        message, hint = special
        return Problem("invalid", message, sources.origin(loc), hint)
    cause = ctx.get("error")
    reason = cause.args[0] if isinstance(cause, Exception) and cause.args \
        and isinstance(cause.args[0], str) else None
    if reason is None:
        # An error type not met before: say so in our words, pydantic's only as a detail.
        said = str(detail.get("msg", "")).removeprefix("Value error, ").removeprefix(
            "Assertion failed, ").strip(" ,")
        return Problem("invalid", tr("{name} is not valid here", name=name), sources.origin(loc),
                       tr("the check said: {reason}", reason=said) if said else _UNKNOWN_HINT)
    text = tr("{name}: {message}", name=name, message=reason) if loc else reason
    if isinstance(cause, LocatedError):
        # A rule about several fields (path `()`) points at the value its message names.
        origin = sources.origin((*loc, *cause.path)) if cause.path \
            else _best_origin(loc, reason, data, sources)
        return Problem("invalid", text, origin, cause.hint)
    # A ValueError that is not one of the models' own rules (they raise LocatedError).
    return Problem("invalid", text, _best_origin(loc, reason, data, sources), _UNKNOWN_HINT)


def _out_of_range(kind: str, name: str, bound: Any, value: str) -> Message:
    if kind == "greater_than_equal":
        return tr("{name} must be at least {bound}, not {value}", name=name, bound=bound,
                  value=value)
    if kind == "greater_than":
        return tr("{name} must be more than {bound}, not {value}", name=name, bound=bound,
                  value=value)
    if kind == "less_than_equal":
        return tr("{name} must be at most {bound}, not {value}", name=name, bound=bound,
                  value=value)
    return tr("{name} must be less than {bound}, not {value}", name=name, bound=bound,
              value=value)


def _other_kind(kind: str, name: str, ctx: dict[str, Any],
                value: Any) -> tuple[Message, Message] | None:
    """Our own words, and a hint, for the rarer error types pydantic reports (None for one
    not known)."""
    shown = _shown(value)
    if kind == "too_short":
        least = int(ctx.get("min_length", 1))
        return (ntr("{name} needs at least one element", "{name} needs at least {n} elements",
                    least, name=name),
                ntr("add at least one element, on a line starting with '- '",
                    "add elements until there are at least {n}, each on a line starting "
                    "with '- '", least))
    if kind == "too_long":
        most = int(ctx.get("max_length", 0))
        return (ntr("{name} may have at most one element, not {value}",
                    "{name} may have at most {n} elements, not {value}",
                    most, name=name, value=ctx.get("actual_length", shown)),
                ntr("keep one element and remove the others",
                    "remove elements until at most {n} are left", most))
    if kind == "string_too_short":
        least = int(ctx.get("min_length", 1))
        return (ntr("{name} must be at least one character long",
                    "{name} must be at least {n} characters long", least, name=name),
                ntr("write a text here, or remove the whole line",
                    "write a longer text, of at least {n} characters", least))
    if kind == "string_too_long":
        most = int(ctx.get("max_length", 0))
        return (ntr("{name} may be at most one character long",
                    "{name} may be at most {n} characters long", most, name=name),
                ntr("shorten the text to one character",
                    "shorten the text to at most {n} characters", most))
    if kind == "multiple_of":
        return (tr("{name} must be a multiple of {bound}, not {value}", name=name,
                   bound=ctx.get("multiple_of"), value=shown),
                tr("write a multiple of {bound}", bound=ctx.get("multiple_of")))
    if kind == "int_parsing_size":
        return (tr("{name} is too large a number: {value}", name=name, value=shown),
                tr("check the number for extra digits; whole euros and counts need no more "
                   "than a few"))
    if kind == "none_required":
        return (tr("{name} must be left empty, not {value}", name=name, value=shown),
                tr("remove the value after the ':', or remove the whole line"))
    if kind in ("frozen_field", "frozen_instance"):
        return (tr("{name} cannot be changed", name=name),
                tr("leave this value as the shared part has it: remove it from the change"))
    if kind in ("is_instance_of", "is_subclass_of", "callable_type"):
        return (tr("{name} cannot be {value}", name=name, value=shown), _UNKNOWN_HINT)
    return None


def _bound_hint(kind: str, bound: Any) -> Message:
    """What to write instead of a number outside its bounds."""
    if kind == "greater_than_equal":
        return tr("write a number of at least {bound}", bound=bound)
    if kind == "greater_than":
        return tr("write a number more than {bound}", bound=bound)
    if kind == "less_than_equal":
        return tr("write a number of at most {bound}", bound=bound)
    return tr("write a number less than {bound}", bound=bound)


def _options(expected: str) -> list[str]:
    """The allowed values pydantic lists in `expected` ("'a', 'b' or 'c'"), each as shown."""
    quoted = re.findall(r"'[^']*'", expected)
    if quoted:
        return quoted
    return [part for part in re.split(r", | or ", expected) if part]


def _one_of(options: list[str]) -> str:
    """The options as "'a', 'b' or 'c'", with our own word for 'or'."""
    if len(options) <= 1:
        return options[0] if options else ""
    return tr("{names} or {last}", names=", ".join(options[:-1]), last=options[-1])


def _address(loc: Path_, data: Any) -> str:
    """'jeugd-en-veiligheid.title' for ('focus', 'items', 2, 'title'): the nearest item's id."""
    if not loc:
        return tr("the document")
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
        return tr("a mapping")
    if isinstance(value, list):
        return _A_LIST
    if value is None:
        return tr("nothing (empty)")
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) < 40 else text[:37] + "..."


def _type_hint(kind: str, value: Any, loc: Path_ = (), model: type[BaseModel] | None = None,
               data: Any = None) -> Message:
    """What to write instead of a value of the wrong type: for every type a sentence, with an
    example where one helps."""
    if kind.startswith(("int", "float")) and isinstance(value, str) \
            and value.strip().replace(".", "", 1).isdigit():
        return tr("remove the quotes around the number")
    if kind.startswith("int") and isinstance(value, float):
        if round(value * 1000) == value * 1000 and 1 <= value < 1000:
            # 21.929 is how a Dutch text writes 21929; YAML reads it as a decimal number.
            whole = f"{value:.3f}".replace(".", "")
            return tr("write {number} without the dot: YAML reads {value} as a decimal number",
                      number=whole.lstrip("0"), value=format(value, ".3f"))
        if len(loc) >= 2 and loc[-2] == "values":  # a figure of a crime table
            return tr("counts are whole numbers; for a figure per 10.000 inhabitants set "
                      "'unit: rate'")
        return tr("write a whole number")
    if kind.startswith(("int", "float")) and isinstance(value, dict | list):
        return tr("write one number after the ':' on the same line, not a list or a mapping, "
                  "e.g. 'inhabitants: 21929'")
    if kind.startswith("int"):
        return tr("write a whole number without quotes, e.g. 2021")
    if kind.startswith("float") or kind == "finite_number":
        return tr("write a number without quotes, e.g. 12 or 7.5 (with a point, not a comma)")
    if kind.startswith("bool"):
        return tr("write true or false, without quotes")
    if kind.startswith("date") and isinstance(value, str) \
            and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        return tr("remove the quotes around the date")
    if kind.startswith("date"):
        return tr("write dates as year-month-day, e.g. 2021-03-09")
    if kind.startswith("string") and value is not None and not isinstance(value, dict | list):
        return tr("put the value between quotes to make it a text")
    if kind.startswith("string") and isinstance(value, dict):
        return tr("a text containing ': ' must be quoted, or written as a block with '|'; "
                  "or a mapping was added to a list of texts")
    if kind.startswith("string") and isinstance(value, list):
        return tr("write one text after the ':', not a list; a text of several lines is "
                  "written with '|' after the ':' and the lines indented below it")
    if kind.startswith("string"):
        return tr("write a text after the ':'")
    if kind in ("list_type", "tuple_type", "set_type", "frozen_set_type"):
        return tr("write each element on its own line, starting with '- '")
    if kind in ("model_type", "model_attributes_type", "dataclass_type"):
        fields = _field_names(model, loc, data) if model is not None else []
        if fields:
            return tr("write its fields on the lines below, indented, each as 'field: value' "
                      "({names}); or on one line, e.g. 'period: {{start: 2021, end: 2024}}'",
                      names=", ".join(fields))
        return tr("write the fields on the lines below, indented, each as 'field: value'; or "
                  "on one line, e.g. 'period: {{start: 2021, end: 2024}}'")
    return tr("write a mapping: keys with ':' on the lines below, indented, e.g. "
              "'budget_ceiling: {{2021: 50000, 2022: 52000}}'")


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
