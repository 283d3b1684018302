"""Which values of a validated model are rendered texts (model.text_fields): every text
field with its role, wherever it is nested, and nothing else."""

from __future__ import annotations

import importlib
from typing import Annotated, Any, Literal

import pytest
from pydantic import BaseModel

from ivbcompose import model as content
from ivbcompose.model import Role, prepare, text_fields
from ivbcompose.model.base import Markdown, ModelDefinitionError, Plain, _text_plan


class _Leaf(BaseModel):
    id: str
    title: Plain
    code: Literal["a", "b"] = "a"


class _Branch(BaseModel):
    body: Markdown
    note: Plain | None = None
    points: list[Annotated[str, Role.LIST_ITEM]] = []
    years: list[int] = []
    leaves: list[_Leaf] = []
    by_name: dict[str, _Leaf] = {}
    nested: list[list[Plain]] = []
    either: _Leaf | Plain | None = None
    anything: Any = None
    branches: list[_Branch] = []
    unrendered: str = "x"


def test_every_text_is_found_with_its_role_in_the_order_of_the_fields() -> None:
    model = _Branch(
        body="b", note="n", points=["p1", "p2"], years=[2024],
        leaves=[_Leaf(id="l1", title="t1")], by_name={"k": _Leaf(id="l2", title="t2")},
        nested=[["x", "y"]], either="e", anything="not a text",
        branches=[_Branch(body="inner", either=_Leaf(id="l3", title="t3"))])
    assert text_fields(model) == [
        (("body",), Role.MARKDOWN),
        (("note",), Role.PLAIN),
        (("points", 0), Role.LIST_ITEM),
        (("points", 1), Role.LIST_ITEM),
        (("leaves", 0, "title"), Role.PLAIN),
        (("by_name", "k", "title"), Role.PLAIN),
        (("nested", 0, 0), Role.PLAIN),
        (("nested", 0, 1), Role.PLAIN),
        (("either",), Role.PLAIN),
        (("branches", 0, "body"), Role.MARKDOWN),
        (("branches", 0, "either", "title"), Role.PLAIN),
    ]


def test_a_model_inside_a_value_of_any_type_is_looked_into() -> None:
    model = _Branch(body="b", anything=_Leaf(id="l", title="t"))
    assert (("anything", "title"), Role.PLAIN) in text_fields(model)


def test_empty_and_missing_values_hold_no_text() -> None:
    assert text_fields(_Branch(body="b")) == [(("body",), Role.MARKDOWN)]


def test_a_choice_between_texts_of_two_roles_is_refused_not_left_unrendered() -> None:
    class Ambiguous(BaseModel):
        body: Markdown | Plain

    with pytest.raises(ModelDefinitionError, match=r"different roles \(markdown, plain\)"):
        text_fields(Ambiguous(body="b"))


def test_no_content_model_has_a_choice_between_texts_of_two_roles() -> None:
    # What the daemon does before its first command: an ambiguous field in any content
    # model would raise here, and in the daemon, before anyone renders with it. The
    # registry completes the models (a section's blocks are the registered types).
    importlib.import_module("ivbcompose.registry")
    models = [value for value in vars(content).values()
              if isinstance(value, type) and issubclass(value, BaseModel)]
    assert content.Ivb in models and len(models) > 20
    prepare(models)
    assert any(role is Role.MARKDOWN for _, role, _, _ in _text_plan(content.TextBlock))
