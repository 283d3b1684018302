"""The building blocks every content model shares: strict models, ids, and field meaning.

A field's meaning is declared on the field itself, with `Annotated` markers, so
two fields that happen to share a name in different models never share a
meaning by accident:

- `Markdown` texts are rendered (Jinja2 variables) and parsed as Markdown;
- `Plain` texts are rendered and shown as written (titles, names, cells);
- any other `str` is a code (an id, a unit, a status) and is never rendered;
- `Label("titel")` is the field's Dutch name in the appendix of local
  differences; `Label(..., names_item=True)` marks the field that names its item
  (the title of a chapter, the name of a partner);
- `Item` is the base of every item that can be marked `confidential` (left
  out of a public document; see `confidential.py`);
- `COMPOSED` marks a field that composing fills in and the YAML never writes
  (the basisteam's members, the year of a progress file): the editor schema
  leaves it out.
"""

from __future__ import annotations

import functools
import types
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints

from ..i18n import tr
from ..ids import ID_PATTERN

__all__ = [
    "COMPOSED",
    "ID_PATTERN",
    "Base",
    "Id",
    "Item",
    "Label",
    "LocatedError",
    "Markdown",
    "Plain",
    "Role",
    "Text",
    "field_label",
    "fields_holding",
    "is_composed",
    "items_by_id",
    "model_classes",
    "naming_fields",
    "text_fields",
]

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN.pattern)]


class Role(Enum):
    """How a text field is treated after validation."""

    MARKDOWN = "markdown"  # rendered, then parsed as Markdown by layout
    LIST_ITEM = "list item"  # Markdown that is one point of a list: no tables in it
    PLAIN = "plain"  # rendered, shown as written


@dataclass(frozen=True)
class Label:
    """The Dutch name of a field, as the appendix of local differences names it."""

    dutch: str
    names_item: bool = False


class _Composed:
    """The type of `COMPOSED`; one instance is enough."""

    def __repr__(self) -> str:
        return "COMPOSED"


COMPOSED = _Composed()


def is_composed(model: type[BaseModel], field: str) -> bool:
    """Whether composing fills in `field` of `model` (never written in the YAML)."""
    info = model.model_fields[field]
    _, markers = _metadata(info.annotation)
    return any(m is COMPOSED for m in (*info.metadata, *markers))


class LocatedError(ValueError):
    """A rule broken by one value inside the model: `path` leads from the model to it.

    Validation reports the problem at that value's position in the YAML (a
    table row with too few cells, not the table), with `hint`: what to do about
    it, which every rule gives. With `path` `()`, a rule about several fields
    of the model, the problem points at the value the message names (a quoted
    word or a number in brackets; see `validation.py`), else at the model.
    """

    def __init__(self, message: str, path: tuple[str | int, ...], hint: str):
        super().__init__(message)
        self.path = path
        self.hint = hint


def _not_blank(value: str) -> str:
    if not value.strip():
        raise LocatedError(tr("must not be empty"), (),
                           tr("write the text here, or remove the whole line if nothing needs "
                              "to be said"))
    return value


Text = Annotated[str, AfterValidator(_not_blank)]
Markdown = Annotated[str, Role.MARKDOWN]
Plain = Annotated[Text, Role.PLAIN]


class Base(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False,
                              defer_build=True)


class Item(Base):
    """An item of the document (a chapter, a block, a partner, a measure…) that can be
    marked confidential: a public build leaves it out, with all it holds; an internal
    build shows it marked "Vertrouwelijk". Declared once here, so every item type has
    the same field with the same meaning."""

    confidential: Annotated[bool, Label("vertrouwelijk")] = False


def _metadata(annotation: Any) -> tuple[Any, tuple[Any, ...]]:
    """The type inside `Annotated[...]` (and `X | None`) and the markers around it."""
    markers: tuple[Any, ...] = ()
    while True:
        if hasattr(annotation, "__metadata__"):
            markers += annotation.__metadata__
            annotation = annotation.__origin__
        elif get_origin(annotation) in (Union, types.UnionType):
            members = [a for a in get_args(annotation) if a is not type(None)]
            if len(members) != 1:
                return annotation, markers
            annotation = members[0]
        else:
            return annotation, markers


def _role(markers: tuple[Any, ...]) -> Role | None:
    return next((m for m in markers if isinstance(m, Role)), None)


def text_fields(model: BaseModel) -> list[tuple[tuple[str | int, ...], Role]]:
    """The path (as in the plain data) and role of every rendered text of a validated model,
    in the order of its fields."""
    found: list[tuple[tuple[str | int, ...], Role]] = []
    _model_texts(model, (), found)
    return found


def _model_texts(model: BaseModel, path: tuple[str | int, ...],
                 found: list[tuple[tuple[str | int, ...], Role]]) -> None:
    for name, role, annotation, markers in _text_plan(type(model)):
        value = getattr(model, name)
        if role is not None and isinstance(value, str):
            found.append(((*path, name), role))
        else:
            _texts(value, annotation, markers, (*path, name), found)


def _texts(value: Any, annotation: Any, markers: tuple[Any, ...], path: tuple[str | int, ...],
           found: list[tuple[tuple[str | int, ...], Role]]) -> None:
    if isinstance(value, BaseModel):
        _model_texts(value, path, found)
    elif isinstance(value, list | dict) and value:
        element = _element(annotation, isinstance(value, dict))
        if not _may_hold_texts(element):
            return
        pairs = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in pairs:
            _texts(item, element, (), (*path, key), found)
    elif isinstance(value, str) and (role := _text_role(annotation, markers)) is not None:
        found.append((path, role))


@functools.cache
def _text_plan(model: type[BaseModel]) -> tuple[tuple[str, Role | None, Any, tuple[Any, ...]],
                                                 ...]:
    """The fields of `model` that can hold a rendered text: each with its role when it is
    a text itself, and its annotation. A document has thousands of numbers, dates, ids and
    codes; they are never looked at."""
    plan = []
    for name, annotation, markers in _fields(model):
        role = _text_role(annotation, markers)
        if role is not None or _may_hold_texts(annotation):
            plan.append((name, role, annotation, markers))
    return tuple(plan)


@functools.cache
def _may_hold_texts(annotation: Any) -> bool:
    """Whether a value of `annotation` can be, or hold, a rendered text: a text field, a
    model (which may have one), or what the annotation does not say."""
    inner, markers = _metadata(annotation)
    if _role(markers) is not None:
        return True
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        return True
    if get_origin(inner) is Literal:
        return False
    arguments = get_args(inner)
    if arguments:
        return any(_may_hold_texts(argument) for argument in arguments)
    # A number, a date, a text that is not rendered (an id, a code): no. `Any` or a
    # forward reference: it may.
    return inner is Any or inner is object or not isinstance(inner, type)


# What the functions below read off a class or an annotation never changes, and
# every text of every document asks it again: each answer is worked out once.
@functools.cache
def _fields(model: type[BaseModel]) -> tuple[tuple[str, Any, tuple[Any, ...]], ...]:
    return tuple((name, info.annotation, tuple(info.metadata))
                 for name, info in model.model_fields.items())


@functools.cache
def _element(annotation: Any, mapping: bool) -> Any:
    """The annotation of the elements of a list (or the values of a dict)."""
    arguments = get_args(_metadata(annotation)[0])
    if mapping:
        return arguments[1] if len(arguments) == 2 else Any
    return arguments[0] if arguments else Any


class ModelDefinitionError(Exception):
    """A content model the program cannot work with: a mistake in the code, not in the
    YAML, so it is never a problem to report with a file and line."""


@functools.cache
def _text_role(annotation: Any, markers: tuple[Any, ...]) -> Role | None:
    """The role of a text of `annotation`: also of the text in a choice between a text and
    something else (an indicator's target is a number or a text such as "daling")."""
    inner, found = _metadata(annotation)
    role = _role(markers + found)
    if role is None and get_origin(inner) in (Union, types.UnionType):
        roles = {_text_role(member, ()) for member in get_args(inner)
                 if _metadata(member)[0] is str} - {None}
        if len(roles) > 1:
            # Once validated, a text does not say which member of the choice it matched,
            # so it could be rendered in neither role: refused where the model is defined.
            named = ", ".join(sorted(r.value for r in roles))
            raise ModelDefinitionError(f"a choice between texts of different roles ({named}) "
                                       "cannot be rendered: give the field one text role")
        role = roles.pop() if roles else None
    return role


def items_by_id(model: BaseModel) -> dict[str, BaseModel]:
    """Every item (a model with a text `id`) inside a validated model, by id."""
    found: dict[str, BaseModel] = {}

    def walk(value: Any) -> None:
        if isinstance(value, BaseModel):
            item_id = getattr(value, "id", None)
            if isinstance(item_id, str):
                found.setdefault(item_id, value)
            for name in _fields_with_ids(type(value)):
                walk(getattr(value, name))
        elif isinstance(value, list | tuple):
            for element in value:
                walk(element)
        elif isinstance(value, dict):
            for element in value.values():
                walk(element)

    walk(model)
    return found


@functools.cache
def _fields_with_ids(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of `model` that can hold a model with an `id` (the figures cannot)."""
    return tuple(name for name, classes, opaque in _field_classes(model)
                 if opaque or any("id" in found.model_fields for found in classes))


def field_label(model: type[BaseModel], field: str) -> str:
    """The Dutch name of `field` of `model` (the field name itself when none is declared)."""
    info = model.model_fields.get(field)
    if info is None:
        return field
    _, markers = _metadata(info.annotation)
    label = next((m for m in (*info.metadata, *markers) if isinstance(m, Label)), None)
    return label.dutch if label is not None else field


def model_classes(model: type[BaseModel]) -> tuple[type[BaseModel], ...]:
    """`model` and every model class its fields can hold, however deeply nested."""
    return _classes_in(model)[0]


def _classes_in(annotation: Any) -> tuple[tuple[type[BaseModel], ...], bool]:
    """Every model class a value of `annotation` can hold, however deeply nested, and
    whether it may hold something not known from its annotation (a forward reference
    not resolved, `Any`)."""
    found: dict[type[BaseModel], None] = {}
    opaque = False

    def visit(annotation: Any) -> None:
        nonlocal opaque
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if annotation in found:
                return
            found[annotation] = None
            for info in annotation.model_fields.values():
                visit(info.annotation)
            return
        inner, _ = _metadata(annotation)
        if get_origin(inner) is Literal:
            return
        arguments = get_args(inner)
        if inner is Any or inner is object or not (arguments or isinstance(inner, type)
                                                   or inner is None):
            opaque = True  # a forward reference: a string or a typing.ForwardRef
        for argument in arguments:
            visit(argument)
        if inner is not annotation:
            visit(inner)

    visit(annotation)
    return tuple(found), opaque


@functools.cache
def fields_holding(model: type[BaseModel], target: type[BaseModel]) -> tuple[str, ...]:
    """The fields of `model` whose values can hold a `target` (or a subclass of it),
    however deeply: a walk that looks for one need not enter the others (a basisteam's
    members and figures hold no document item, and at hundreds of members they are most
    of a document's model)."""
    return tuple(name for name, classes, opaque in _field_classes(model)
                 if opaque or any(issubclass(found, target) for found in classes))


@functools.cache
def _field_classes(model: type[BaseModel]) -> tuple[tuple[str, tuple[type[BaseModel], ...],
                                                          bool], ...]:
    """Each field of `model` with the model classes its value can hold (`_classes_in`)."""
    return tuple((name, *_classes_in(info.annotation))
                 for name, info in model.model_fields.items())


def prepare(models: Iterable[type[BaseModel]]) -> None:
    """Build the validators of `models` and work out what this module reads off their
    classes, now instead of at first use.

    For a process that loads the program once and forks a child for every command (the
    daemon): each child would otherwise do it again. A command on its own does not call
    this, since it would pay for models it never validates.
    """
    for model in models:
        model.model_rebuild()  # the validator that `defer_build` left for the first use
        for found in model_classes(model):
            _text_plan(found)
            _fields_with_ids(found)


def naming_fields(models: tuple[type[BaseModel], ...]) -> tuple[str, ...]:
    """The fields that name their item in any of `models` ('title', 'name', …), in order."""
    found: dict[str, None] = {}
    for model in models:
        for name, info in model.model_fields.items():
            _, markers = _metadata(info.annotation)
            if any(isinstance(m, Label) and m.names_item for m in (*info.metadata, *markers)):
                found[name] = None
    return tuple(found)
