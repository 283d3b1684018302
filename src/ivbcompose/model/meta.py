"""Who a document is for and what it is: the municipality, the basisteam, the metadata."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from ..i18n import tr
from .base import COMPOSED, Base, Id, Label, LocatedError, Plain, Role, Text

__all__ = ["Basisteam", "ChapterStart", "DocumentMeta", "Member", "Municipality", "Period"]

Status = Literal["concept", "ter besluitvorming", "vastgesteld"]
Body = Literal["raad", "college", "burgemeester"]
# Whether a chapter starts on a new page: always, never, or only when the page the
# previous chapter ends on is at least a third full (see layout.chapter_break).
ChapterStart = Literal["auto", "new_page", "flow"]


class Period(Base):
    """A policy period in whole years, e.g. 2020–2023."""

    start: int = Field(ge=1990, le=2100)
    end: int = Field(ge=1990, le=2100)

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise LocatedError(tr("the period ends ({end}) before it starts ({start})",
                                  end=self.end, start=self.start), (),
                               tr("write the first year as 'start' and the last as 'end', e.g. "
                                  "'period: {{start: {start}, end: {later}}}'", start=self.end,
                                  later=self.start))
        return self

    def __str__(self) -> str:
        return f"{self.start}–{self.end}"  # an en dash, as Dutch typesetting writes periods


class Municipality(Base):
    """Who this document is for."""

    name: Plain
    cbs_code: Annotated[str, StringConstraints(pattern=r"^GM\d{4}$")]
    inhabitants: int = Field(gt=0)
    inhabitants_year: int
    kernen: list[Plain] = Field(default_factory=list)
    logo: str | None = None
    logo_alt: Plain | None = None  # never blank: a reader of the image needs words

    @property
    def tooi(self) -> str:
        return f"https://identifier.overheid.nl/tooi/id/gemeente/{self.cbs_code.lower()}"


class Member(Base):
    """One municipality of the basisteam, as texts of every member's document see it."""

    id: Id
    name: Text
    inhabitants: int = Field(gt=0)


class Basisteam(Base):
    """The police basisteam whose municipalities share this policy.

    The shared part names it; its members are the folders under
    `municipalities/`, added by composing (never written in the YAML).
    """

    name: Annotated[Plain, Label("naam", names_item=True)]
    municipalities: Annotated[list[Member], COMPOSED] = Field(min_length=1)

    @property
    def inhabitants(self) -> int:
        return sum(member.inhabitants for member in self.municipalities)

    @property
    def names(self) -> list[str]:
        return [member.name for member in self.municipalities]


class DocumentMeta(Base):
    """What kind of document this is, for which period, and in which state."""

    kind: Plain
    short: Plain
    title: Plain | None = None
    subtitle: Plain | None = None
    period: Period
    status: Status
    version: Text
    date: date
    adopted_by: Body
    adopted_on: date | None = None
    # The year of a document written per year (an uitvoeringsprogramma), set by the build.
    year: Annotated[int, COMPOSED] | None = None
    # A ceiling on this municipality's costs per year (whole euros), checked by the policy.
    budget_ceiling: Annotated[dict[int, Annotated[int, Field(ge=0)]],
                              Label("budgetplafond")] = Field(default_factory=dict)
    # The team that prepared it.
    department: Annotated[str, Role.PLAIN] | None = "Openbare Orde en Veiligheid (OOV)"
    # A house-style choice, here so the shared part sets it and a municipality may differ.
    chapter_start: ChapterStart = "auto"

    @property
    def years(self) -> list[int]:
        return list(range(self.period.start, self.period.end + 1))

    @model_validator(mode="after")
    def _adoption(self) -> DocumentMeta:
        if self.status == "vastgesteld" and self.adopted_on is None:
            raise LocatedError(tr("a document with status 'vastgesteld' needs 'adopted_on' "
                                  "(a date)"), (),
                               tr("add the date it was adopted, e.g. 'adopted_on: 2021-03-09'; "
                                  "or, if it is not adopted yet, write 'status: concept' or "
                                  "'status: ter besluitvorming'"))
        if self.status != "vastgesteld" and self.adopted_on is not None:
            raise LocatedError(tr("'adopted_on' is set, but the status is '{status}'",
                                  status=self.status), (),
                               tr("write 'status: vastgesteld' if the document was adopted on "
                                  "that date; otherwise remove the line 'adopted_on'"))
        if self.year is not None and self.year not in self.years:
            raise LocatedError(tr("the year {year} is outside the period {period}",
                                  year=self.year, period=str(self.period)), ("year",),
                               tr("choose a year from {start} to {end} (--year), or change the "
                                  "document's period", start=self.period.start,
                                  end=self.period.end))
        for year in self.budget_ceiling:
            if year not in self.years:
                raise LocatedError(tr("the budget ceiling for {year} is outside the period "
                                      "{period}", year=year, period=str(self.period)),
                                   ("budget_ceiling", year),
                                   tr("give a ceiling only for the years {start} to {end}: "
                                      "remove {year}, or change the document's period",
                                      start=self.period.start, end=self.period.end,
                                      year=year))
        return self

    @property
    def full_title(self) -> str:
        return self.title or f"{self.kind} {self.period_text}"

    @property
    def period_text(self) -> str:
        """The year of a per-year document, else the period: '2021' or '2020–2023'."""
        return str(self.year) if self.year is not None else str(self.period)
