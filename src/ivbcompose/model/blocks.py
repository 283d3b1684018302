"""The typed content blocks a chapter or section holds, one pydantic model each.

Every block has a `type` (its name in the YAML) and its own checks. Which
types exist, and how each is laid out, is registered in `layout/registry.py`;
adding a type is a model here, a layout function there and one registry line.
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import Field, field_validator, model_validator

from ..errors import did_you_mean
from ..i18n import tr
from .base import Base, Id, Item, Label, LocatedError, Markdown, Plain, Role, Text
from .planning import Quarter, parse_quarters
from .policy import Goal, Measure, Veld

__all__ = [
    "Bbv",
    "BbvIndicator",
    "BlockModel",
    "Column",
    "CrimeFigures",
    "CrimeRow",
    "CrimeTable",
    "Figures",
    "Finances",
    "FocusArea",
    "FocusAreas",
    "ListBlock",
    "Partner",
    "Partners",
    "Planning",
    "PlanningRow",
    "ProgressReport",
    "RelatedSubject",
    "RelatedSubjects",
    "TableBlock",
    "TextBlock",
    "Velden",
    "YearProgramme",
]


# One point of a list: Markdown, never blank.
MarkdownItem = Annotated[Text, Role.LIST_ITEM]


class BlockModel(Item):
    """What every block type shares. `headings` blocks write headings one level down;
    `reads_policy` blocks show the goals, indicators or measures (with their costs) of the
    policy's priorities wherever they stand, also in a kind of document without the
    chapters that hold them."""

    headings: ClassVar[bool] = False
    reads_policy: ClassVar[bool] = False
    type: str
    id: Id | None = None


class TextBlock(BlockModel):
    """Running text (Markdown; a pipe table in it becomes a real table)."""

    type: Literal["text"]
    body: Annotated[Markdown, Label("tekst")]


class ListBlock(BlockModel):
    """A bullet or numbered list of short texts, optionally under a bold lead-in."""

    type: Literal["list"]
    lead: Annotated[Plain, Label("kop van de lijst")] | None = None
    items: Annotated[list[MarkdownItem], Label("punten")] = Field(min_length=1)
    ordered: bool = False


class Column(Base):
    label: Annotated[Plain, Label("kolomkop")]
    align: Literal["left", "right"] = "left"





class TableBlock(BlockModel):
    """A table written in YAML: columns (header row), rows of cells, caption, source."""

    type: Literal["table"]
    id: Id
    caption: Annotated[Plain, Label("tabeltitel", names_item=True)]
    columns: Annotated[list[Column], Label("kolommen")] = Field(min_length=1)
    rows: Annotated[list[list[Annotated[str, Role.PLAIN] | int | float]],
                    Label("rijen")] = Field(min_length=1)
    source: Annotated[Plain, Label("bron")] | None = None

    @model_validator(mode="after")
    def _cells(self) -> TableBlock:
        for number, row in enumerate(self.rows, start=1):
            if len(row) != len(self.columns):
                raise LocatedError(tr("row {number} of the table has {cells} cells, the table "
                                      "has {columns} columns", number=number, cells=len(row),
                                      columns=len(self.columns)), ("rows", number - 1),
                                   tr("give every row one cell per column; write '' for an "
                                      "empty cell"))
        return self


class PlanningRow(Item):
    id: Id
    when: Annotated[str, Label("kwartaal")]
    action: Annotated[Plain, Label("actie", names_item=True)]
    responsible: Annotated[list[Plain], Label("verantwoordelijken")] = Field(min_length=1)

    @field_validator("when")
    @classmethod
    def _quarters(cls, value: str) -> str:
        parse_quarters(value)
        return value

    @property
    def quarters(self) -> list[Quarter]:
        return parse_quarters(self.when)


class Planning(BlockModel):
    """A planning table: quarter(s), action, who is responsible."""

    type: Literal["planning"]
    id: Id
    caption: Annotated[Plain, Label("tabeltitel", names_item=True)]
    rows: Annotated[list[PlanningRow], Label("planningsrijen")] = Field(min_length=1)


class Partner(Item):
    id: Id
    name: Annotated[Plain, Label("naam", names_item=True)]
    note: Annotated[Plain, Label("toelichting")] | None = None


class Partners(BlockModel):
    """A list of partners; `members` adds the other municipalities of the basisteam."""

    type: Literal["partners"]
    id: Id
    items: Annotated[list[Partner], Label("partners")] = Field(default_factory=list)
    members: bool = False


class CrimeRow(Item):
    """One offence category. `part_of` names the row this one is a part of."""

    id: Id
    label: Annotated[Plain, Label("omschrijving", names_item=True)]
    values: Annotated[dict[int, float | int], Label("cijfers")]
    part_of: Id | None = None
    unit: Literal["count", "rate"] = "count"
    # Registrations mostly around large events (festivals): shown apart, and left out of the
    # trend of the total, which then speaks of the residential areas.
    events: bool = False


class CrimeTable(Item):
    """Registered crime per year; years in `pending` are shown as still to come."""

    id: Id
    caption: Annotated[Plain, Label("tabeltitel", names_item=True)]
    source: Annotated[Plain, Label("bron")]
    years: Annotated[list[int], Label("jaren")] = Field(min_length=1)
    pending: Annotated[dict[int, Plain],
                       Label("nog te verwachten cijfers")] = Field(default_factory=dict)
    rows: Annotated[list[CrimeRow], Label("rijen met cijfers")] = Field(min_length=1)
    # The row with the total, whose change over the years is said in words.
    total: Id | None = None
    @model_validator(mode="after")
    def _consistent(self) -> CrimeTable:
        years = set(self.years)
        if len(years) != len(self.years):
            raise LocatedError(tr("the years {years} name a year twice",
                                  years=str(self.years)), ("years",),
                               tr("list every year once under 'years'"))
        rows = {row.id: row for row in self.rows}
        for year in self.pending:
            if year not in years:
                raise LocatedError(tr("pending year {year} is not among the table's years",
                                      year=year), (),
                                   tr("add {year} to 'years', or remove it from 'pending'",
                                      year=year))
        for row in self.rows:
            early = sorted(set(row.values) & set(self.pending))
            if early:
                raise LocatedError(tr("row '{id}' has a figure for {year}, which is listed "
                                      "as pending; once the figures are in, remove {year} "
                                      "from 'pending'", id=row.id, year=early[0]), (),
                                   tr("if the figures of {year} are not final yet, remove "
                                      "them from the rows instead", year=early[0]))
            unknown = set(row.values) - years
            if unknown:
                raise LocatedError(tr("row '{id}' has figures for {unknown}, "
                                      "which are not among the table's years {years}",
                                      id=row.id, unknown=str(sorted(unknown)),
                                      years=str(self.years)), (),
                                   tr("add the years to the table's 'years', or remove their "
                                      "figures from the row"))
            missing = years - set(row.values) - set(self.pending)
            if missing:
                raise LocatedError(tr("row '{id}' has no figure for {missing}; "
                                      "add it, or list the year under 'pending'",
                                      id=row.id, missing=str(sorted(missing))), (),
                                   tr("write e.g. 'values: {{{year}: 120}}' with the row's "
                                      "figure, or 'pending: {{{year}: volgt in het "
                                      "voorjaar}}' on the table", year=sorted(missing)[0]))
            if row.part_of is not None:
                whole = rows.get(row.part_of)
                if whole is None:
                    raise LocatedError(tr("row '{id}' is part of '{whole}', which is not a "
                                          "row of this table", id=row.id, whole=row.part_of),
                                       (), _row_hint(row.part_of, [r.id for r in self.rows
                                                                   if r.id != row.id]))
                if whole.id == row.id:
                    raise LocatedError(tr("row '{id}' cannot be a part of itself",
                                          id=row.id), (),
                                       tr("name the row it is a part of after 'part_of', or "
                                          "remove 'part_of'"))
                if whole.part_of is not None:
                    raise LocatedError(tr("row '{id}' is part of '{whole}', which is itself a "
                                          "part: a part must belong to a row that is not",
                                          id=row.id, whole=row.part_of), (),
                                       tr("write 'part_of: {whole}' instead, the row that "
                                          "'{part}' is a part of", whole=whole.part_of,
                                          part=row.part_of))
            if any(v < 0 for v in row.values.values()):
                raise LocatedError(tr("row '{id}' has a negative figure", id=row.id), (),
                                   tr("write the number of registrations: 0 or more"))
            if row.unit == "count" and any(v != int(v) for v in row.values.values()):
                raise LocatedError(tr("row '{id}' counts offences: use whole numbers, "
                                      "or set 'unit: rate'", id=row.id), (),
                                   tr("write each count without a dot or comma (1234, not "
                                      "1.234); a figure per 10.000 inhabitants needs 'unit: "
                                      "rate' on the row"))
        if self.total is not None and self.total not in rows:
            raise LocatedError(tr("'total' names '{id}', which is not a row of this "
                                  "table", id=self.total), ("total",),
                               _row_hint(self.total, list(rows)))
        if self.total is not None and rows[self.total].events:
            raise LocatedError(tr("the total cannot be a row of registrations around events"),
                               ("total",),
                               tr("name the row with all registrations as 'total', or remove "
                                  "'total'"))
        for whole in self.rows:
            parts = [row for row in self.rows if row.part_of == whole.id]
            for year in whole.values:
                total = sum(part.values.get(year, 0) for part in parts)
                if parts and total > whole.values[year]:
                    raise LocatedError(tr("the parts of '{id}' add up to {total} in {year}, "
                                          "more than its own {own}", id=whole.id,
                                          total=total, year=year, own=whole.values[year]), (),
                                       tr("check the figures of {year}: the rows with "
                                          "'part_of: {id}' together cannot count more than "
                                          "'{id}' itself", year=year, id=whole.id))
        return self


def _row_hint(name: str, rows: list[str]) -> str:
    """What to write instead of a row id that the table does not have."""
    return did_you_mean(name, rows) or tr("name one of the table's rows: {names}",
                                          names=", ".join(rows))


class CrimeFigures(BlockModel):
    """Crime tables, or a text saying the figures follow; then a conclusion."""

    type: Literal["crime-figures"]
    id: Id
    tables: Annotated[list[CrimeTable], Label("tabellen")] = Field(default_factory=list)
    figures_follow: Annotated[Markdown, Label("tekst over ontbrekende cijfers")] = ""
    conclusion: Annotated[Markdown, Label("conclusie")] = ""


class FocusArea(Item):
    """A priority: its veiligheidsveld, what it pays attention to, its goals and measures."""

    id: Id
    title: Annotated[Plain, Label("titel", names_item=True)]
    veld: Annotated[Veld, Label("veiligheidsveld")]
    body: Annotated[Markdown, Label("tekst")] = ""
    attention: Annotated[list[MarkdownItem],
                         Label("aandachtspunten")] = Field(default_factory=list)
    goals: Annotated[list[Goal], Label("doelen")] = Field(default_factory=list)
    measures: Annotated[list[Measure], Label("maatregelen")] = Field(default_factory=list)


class FocusAreas(BlockModel):
    """Areas or topics, each a titled subsection with "Aandacht voor:" points.

    `empty` is shown when there are none (a couleur locale still to be written).
    """

    headings: ClassVar[bool] = True
    type: Literal["focus-areas"]
    id: Id
    items: Annotated[list[FocusArea], Label("onderwerpen")] = Field(default_factory=list)
    empty: Annotated[Markdown, Label("tekst zonder onderwerpen")] = ""


class Velden(BlockModel):
    """An overview table: the priorities of the document per veiligheidsveld."""

    type: Literal["velden"]
    id: Id
    caption: Annotated[Plain, Label("tabeltitel", names_item=True)] = \
        "Prioriteiten per veiligheidsveld"


class Finances(BlockModel):
    """The costs of the document's measures for this municipality, built from the measures:
    per measure and year, per funding source, and the split of the shared costs."""

    reads_policy: ClassVar[bool] = True
    type: Literal["finances"]
    id: Id


class YearProgramme(BlockModel):
    """An uitvoeringsprogramma's content: per priority the measures that run in the
    document's year, with their quarters and costs, then the year's totals and ceiling."""

    reads_policy: ClassVar[bool] = True
    type: Literal["year-programme"]
    id: Id


class ProgressReport(BlockModel):
    """A voortgangsrapportage's content: per priority the status of each measure and the
    realisatie of each indicator in the document's year, said in words."""

    reads_policy: ClassVar[bool] = True
    type: Literal["progress-report"]
    id: Id


class Figures(BlockModel):
    """Imported open-data figures of one table and category: the municipality's counts and
    rate per 1.000 inhabitants per year, beside Nederland and the other members, with the
    change over the years in words and a source note."""

    type: Literal["figures"]
    id: Id
    table: str
    category: str
    count: str
    rate: str | None = None
    first_year: int | None = None
    caption: Annotated[Plain, Label("tabeltitel", names_item=True)]
    missing: Annotated[Markdown, Label("tekst zonder cijfers")] = ""
    chart: bool = False  # also a line chart of the rates per 1.000 inhabitants


class BbvIndicator(Base):
    """One of the mandatory BBV indicators, by where the imported figures have it."""

    name: Annotated[Plain, Label("indicator", names_item=True)]
    table: str
    category: str
    topic: str
    per_1000: bool = False  # the topic is already per 1.000 inhabitants


class Bbv(BlockModel):
    """The mandatory BBV indicators for openbare orde en veiligheid, where the imported
    figures have them: the latest year of each, per 1.000 inhabitants, beside Nederland."""

    type: Literal["bbv"]
    id: Id
    caption: Annotated[Plain, Label("tabeltitel", names_item=True)] = \
        "Verplichte BBV-indicatoren openbare orde en veiligheid"
    indicators: Annotated[list[BbvIndicator], Label("indicatoren")] = Field(min_length=1)
    missing: Annotated[Markdown, Label("tekst zonder cijfers")] = ""


class RelatedSubject(Item):
    id: Id
    name: Annotated[Plain, Label("onderwerp", names_item=True)]
    owner: Annotated[Plain, Label("verantwoordelijk team")]


class RelatedSubjects(BlockModel):
    """Subjects that touch on safety but belong to another team, as a table."""

    type: Literal["related-subjects"]
    id: Id
    caption: Annotated[Plain, Label("tabeltitel")] = \
        "Onderwerpen buiten dit beleid en het verantwoordelijke team"
    items: Annotated[list[RelatedSubject], Label("onderwerpen")] = Field(min_length=1)
