"""The kinds of document the basisteam writes from one source, and the progress of a year.

A kind (startnotitie, IVB, uitvoeringsprogramma, voortgangsrapportage) names
the chapters it holds, by id in order or as a chapter of its own, its title,
who adopts it and whether it is written per year. Progress (what was done
with the measures, where the indicators stand) is reported per year: the
regional team reports a shared measure once, a municipality its own measures
and a remark of its own.
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import Field, model_validator

from ..i18n import tr
from .base import COMPOSED, Base, Id, Label, LocatedError, Markdown, Plain
from .meta import Body
from .policy import Amount, Value

__all__ = ["STATUSES", "IndicatorProgress", "Kind", "MeasureProgress", "Progress"]

STATUSES = ("gepland", "gestart", "afgerond", "vertraagd", "vervallen")
Status = Literal["gepland", "gestart", "afgerond", "vertraagd", "vervallen"]


class Kind(Base):
    """One kind of document. The first kind is the default: `ivbcompose build` without
    `--document` builds it, and its name and adopting body are the `document:` ones."""

    id: Id
    name: Annotated[Plain, Label("soort document", names_item=True)] | None = None
    short: Annotated[Plain, Label("afkorting")] | None = None
    title: Annotated[Plain, Label("titel")] | None = None
    chapters: Annotated[list[Id | Chapter],  # type: ignore[name-defined]  # noqa: F821
                        Label("hoofdstukken")] | None = None
    adopted_by: Body | None = None
    per_year: bool = False
    policy: bool = True  # whether priorities show their goals and measures


class MeasureProgress(Base):
    """What happened with one measure in the year."""

    measure: Id
    status: Status | None = None
    note: Annotated[Markdown, Label("toelichting")] = ""
    spent: Annotated[Amount, Label("gerealiseerde kosten")] | None = None
    remark: Annotated[Markdown, Label("opmerking van de gemeente")] = ""


class IndicatorProgress(Base):
    """Where one indicator stands at the end of the year (its realisatie)."""

    takes_figure: ClassVar[bool] = True  # `figure:` instead of value and source

    indicator: Id
    value: Annotated[Value, Label("realisatie")] | None = None
    source: Annotated[Plain, Label("bron")] | None = None


class Progress(Base):
    """The progress of one year: the shared report with this municipality's merged in."""

    year: Annotated[int, COMPOSED]  # from the file's name
    measures: Annotated[list[MeasureProgress], Label("maatregelen")] = \
        Field(default_factory=list)
    indicators: Annotated[list[IndicatorProgress], Label("indicatoren")] = \
        Field(default_factory=list)

    @model_validator(mode="after")
    def _once(self) -> Progress:
        for field, ids in (("measures", [m.measure for m in self.measures]),
                           ("indicators", [i.indicator for i in self.indicators])):
            for index, item in enumerate(ids):
                if item in ids[:index]:
                    raise LocatedError(tr("'{id}' is reported twice for {year}", id=item,
                                          year=self.year), (field, index),
                                       tr("report '{id}' once in the year's file: merge the "
                                          "two entries into one, or remove one of them",
                                          id=item))
        return self
