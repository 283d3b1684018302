"""The content model of an Integraal Veiligheidsbeleid, as pydantic models.

Everything a startnotitie or IVB holds is typed here: metadata, process and
planning, partners, crime figures, themes, focus areas, related subjects,
collaboration, couleur locale and finances. Field names are the YAML keys
(English); the values are the Dutch text that ends up in the document.

Every model forbids unknown fields and is strict (no silent "2020" → 2020), so a
typo in the YAML is a clear error, not a missing paragraph. Text fields are
Markdown with Jinja2 variables; they are rendered after validation.
"""

from __future__ import annotations

import itertools
import re
from datetime import date
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

__all__ = [
    "CouleurLocale",
    "CrimeRow",
    "CrimeStatistics",
    "CrimeTable",
    "DocumentMeta",
    "FocusArea",
    "Ivb",
    "Municipality",
    "Period",
    "PlanningRow",
    "Quarter",
    "Section",
]

# Ids, and municipality folder names: lower-case letters, digits and single hyphens.
ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN.pattern)]


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


Text = Annotated[str, AfterValidator(_not_blank)]
Markdown = str  # Markdown with Jinja2 variables; rendered by the templating stage
# The fields whose text layout parses as Markdown; every other text is shown as written.
MARKDOWN_FIELDS = frozenset({"body", "intro", "closing", "conclusion", "figures_follow",
                             "none_yet", "attention"})
Status = Literal["concept", "ter besluitvorming", "vastgesteld"]
Body = Literal["raad", "college", "burgemeester"]


class Base(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


class Period(Base):
    """A policy period in whole years, e.g. 2020–2023."""

    start: int = Field(ge=1990, le=2100)
    end: int = Field(ge=1990, le=2100)

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise ValueError(f"the period ends ({self.end}) before it starts ({self.start})")
        return self

    def __str__(self) -> str:
        return f"{self.start}–{self.end}"  # an en dash, as Dutch typesetting writes periods


class Municipality(Base):
    """Who this document is for."""

    name: Text
    cbs_code: Annotated[str, StringConstraints(pattern=r"^GM\d{4}$")]
    inhabitants: int = Field(gt=0)
    inhabitants_year: int
    kernen: list[Text] = []
    logo: str | None = None
    logo_alt: str | None = None

    @property
    def tooi(self) -> str:
        return f"https://identifier.overheid.nl/tooi/id/gemeente/{self.cbs_code.lower()}"


class DocumentMeta(Base):
    """What kind of document this is, for which period, and in which state."""

    kind: Text
    short: Text
    title: Text | None = None
    subtitle: str | None = None
    period: Period
    status: Status
    version: Text
    date: date
    adopted_by: Body
    adopted_on: date | None = None
    department: str | None = "Openbare Orde en Veiligheid (OOV)"  # the team that prepared it

    @model_validator(mode="after")
    def _adoption(self) -> DocumentMeta:
        if self.status == "vastgesteld" and self.adopted_on is None:
            raise ValueError("a document with status 'vastgesteld' needs 'adopted_on' (a date)")
        if self.status != "vastgesteld" and self.adopted_on is not None:
            raise ValueError(f"'adopted_on' is set, but the status is '{self.status}'")
        return self

    @property
    def full_title(self) -> str:
        return self.title or f"{self.kind} {self.period}"


class Section(Base):
    """A titled piece of narrative."""

    id: Id
    title: Text
    body: Markdown = ""


class Step(Section):
    """One step of the process towards the new policy."""


_QUARTER = re.compile(r"^Q([1-4])(?:\s+(\d{4}))?$")


class Quarter(Base):
    quarter: int = Field(ge=1, le=4)
    year: int


def parse_quarters(text: str) -> list[Quarter]:
    """'Q1/Q2 2020', 'Q1–Q2 2020' or 'Q4 2019 / Q1 2020' → consecutive quarters.

    A quarter without a year takes the year written after it.
    """
    parts = [part.strip() for part in re.split(r"[/–-]", text)]
    parsed: list[tuple[int, int | None]] = []
    for part in parts:
        match = _QUARTER.match(part)
        if match is None:
            raise ValueError(f"'{part}' is not a quarter; write e.g. 'Q1 2020' or 'Q1/Q2 2020'")
        parsed.append((int(match.group(1)), int(match.group(2)) if match.group(2) else None))
    if parsed[-1][1] is None:
        raise ValueError(f"'{text}' has no year; write e.g. 'Q1/Q2 2020'")
    quarters: list[Quarter] = []
    year: int | None = None
    for number, own_year in reversed(parsed):
        year = own_year if own_year is not None else year
        assert year is not None
        quarters.insert(0, Quarter(quarter=number, year=year))
    for first, second in itertools.pairwise(quarters):
        if second.year * 4 + second.quarter != first.year * 4 + first.quarter + 1:
            raise ValueError(f"'{text}': quarters must follow each other")
    return quarters


def format_quarters(quarters: list[Quarter]) -> str:
    """Consecutive quarters as a span: 'Q1 2020', 'Q1–Q2 2020', 'Q4 2019 – Q1 2020'."""
    first, last = quarters[0], quarters[-1]
    if first == last:
        return f"Q{first.quarter} {first.year}"
    if first.year == last.year:
        return f"Q{first.quarter}–Q{last.quarter} {last.year}"
    return f"Q{first.quarter} {first.year} – Q{last.quarter} {last.year}"


class PlanningRow(Base):
    id: Id
    when: Text
    action: Text
    responsible: list[Text] = Field(min_length=1)

    @field_validator("when")
    @classmethod
    def _quarters(cls, value: str) -> str:
        parse_quarters(value)
        return value

    @property
    def quarters(self) -> list[Quarter]:
        return parse_quarters(self.when)


class Planning(Base):
    id: Id
    title: Text
    intro: Markdown = ""
    caption: Text
    rows: list[PlanningRow] = Field(min_length=1)


class Process(Base):
    id: Id
    title: Text
    intro: Markdown = ""
    steps: list[Step]
    planning: Planning


class Partner(Base):
    id: Id
    name: Text
    note: str | None = None


class Partners(Base):
    id: Id
    title: Text
    intro: Markdown = ""
    items: list[Partner] = Field(min_length=1)
    closing: Markdown = ""


class CrimeRow(Base):
    """One offence category. `part_of` names the row this one is a part of."""

    id: Id
    label: Text
    values: dict[int, float | int]
    part_of: Id | None = None
    unit: Literal["count", "rate"] = "count"


class CrimeTable(Base):
    """Registered crime per year; years in `pending` are shown as still to come."""

    id: Id
    caption: Text
    source: Text
    years: list[int] = Field(min_length=1)
    pending: dict[int, Text] = {}
    rows: list[CrimeRow] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> CrimeTable:
        years = set(self.years)
        if len(years) != len(self.years):
            raise ValueError(f"the years {self.years} name a year twice")
        rows = {row.id: row for row in self.rows}
        for year in self.pending:
            if year not in years:
                raise ValueError(f"pending year {year} is not among the table's years")
        for row in self.rows:
            early = sorted(set(row.values) & set(self.pending))
            if early:
                raise ValueError(f"row '{row.id}' has a figure for {early[0]}, which is listed "
                                 f"as pending; once the figures are in, remove {early[0]} from "
                                 "'pending'")
            unknown = set(row.values) - years
            if unknown:
                raise ValueError(f"row '{row.id}' has figures for {sorted(unknown)}, "
                                 f"which are not among the table's years {self.years}")
            missing = years - set(row.values) - set(self.pending)
            if missing:
                raise ValueError(f"row '{row.id}' has no figure for {sorted(missing)}; "
                                 "add it, or list the year under 'pending'")
            if row.part_of is not None:
                whole = rows.get(row.part_of)
                if whole is None:
                    raise ValueError(f"row '{row.id}' is part of '{row.part_of}', which is not a "
                                     "row of this table")
                if whole.id == row.id:
                    raise ValueError(f"row '{row.id}' cannot be a part of itself")
                if whole.part_of is not None:
                    raise ValueError(f"row '{row.id}' is part of '{row.part_of}', which is "
                                     "itself a part: a part must belong to a row that is not")
            if any(v < 0 for v in row.values.values()):
                raise ValueError(f"row '{row.id}' has a negative figure")
            if row.unit == "count" and any(v != int(v) for v in row.values.values()):
                raise ValueError(f"row '{row.id}' counts offences: use whole numbers, "
                                 "or set 'unit: rate'")
        for whole in self.rows:
            parts = [row for row in self.rows if row.part_of == whole.id]
            for year in whole.values:
                total = sum(part.values.get(year, 0) for part in parts)
                if parts and total > whole.values[year]:
                    raise ValueError(f"the parts of '{whole.id}' add up to {total} in {year}, "
                                     f"more than its own {whole.values[year]}")
        return self


class CrimeStatistics(Base):
    id: Id
    title: Text
    intro: Markdown = ""
    tables: list[CrimeTable] = []
    figures_follow: Markdown = ""
    conclusion: Markdown = ""


class Theme(Section):
    """A theme with its narrative (ondermijning, cybercrime, …)."""


class Themes(Base):
    id: Id
    title: Text
    intro: Markdown = ""
    items: list[Theme] = Field(min_length=1)


class FocusArea(Base):
    id: Id
    title: Text
    body: Markdown = ""
    attention: list[Text] = Field(min_length=1)


class Focus(Base):
    id: Id
    title: Text
    intro: Markdown = ""
    items: list[FocusArea] = Field(min_length=1)


class RelatedSubject(Base):
    id: Id
    name: Text
    owner: Text


class RelatedSubjects(Base):
    id: Id
    title: Text
    body: Markdown = ""
    items: list[RelatedSubject] = []


class LocalTopic(Base):
    """One subject of a municipality's couleur locale."""

    id: Id
    title: Text
    body: Markdown
    attention: list[Text] = []


class CouleurLocale(Base):
    id: Id
    title: Text
    intro: Markdown = ""
    items: list[LocalTopic] = []
    none_yet: Markdown = ""


class Ivb(Base):
    """A whole composed document: shared part with one municipality's changes applied."""

    municipality: Municipality
    document: DocumentMeta
    introduction: Section
    purpose: Section
    process: Process
    partners: Partners
    frame: Section
    crime_statistics: CrimeStatistics
    starting_point: Section
    themes: Themes
    focus: Focus
    couleur_locale: CouleurLocale
    related_subjects: RelatedSubjects
    collaboration: Section
    finances: Section
