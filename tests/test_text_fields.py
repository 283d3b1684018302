"""Which values of a validated model are rendered texts (model.text_fields): every text
field with its role, wherever it is nested, and nothing else."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel

from ivbcompose.model import Role, text_fields
from ivbcompose.model.base import Markdown, Plain


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
