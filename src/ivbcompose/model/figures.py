"""Imported figures (see figures/store.py) as the document reads them."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from .base import Base

__all__ = ["FigureFile", "FigurePointer", "FigureSeries"]


class FigurePointer(Base):
    """`figure: {table, category, topic, year}`: a value taken from an imported figure.

    Composing replaces the pointer by the figure before the models see it
    (figures/refs.py), so no model holds one; the models that take one say so
    with `takes_figure`, and the editor schema offers it there.
    """

    table: str
    category: str
    topic: str
    year: int


class FigureSeries(Base):
    category: str
    label: str
    topic: str
    topic_label: str
    values: dict[int, float | int | None]


class FigureFile(Base):
    """One table's figures of one region: a member (`owner` its id) or Nederland."""

    owner: str | None = None
    table: str
    title: str | None = None
    exported: date | None = None
    form: str
    region: dict[str, str]
    status: dict[int, str] = Field(default_factory=dict)
    series: list[FigureSeries] = Field(default_factory=list)

    def find(self, category: str, topic: str) -> FigureSeries | None:
        """The series of a category (by code or label) and topic (column name)."""
        return next((s for s in self.series if category in (s.category, s.label)
                     and s.topic == topic), None)
