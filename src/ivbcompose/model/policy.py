"""The policy itself: goals with indicators, measures with their costs, and how shared
costs are split.

Following the VNG method Kernbeleid Veiligheid, a priority (a focus area or a
municipality's own topic) belongs to one of the five veiligheidsvelden, has
goals ("Wat willen we bereiken?") measured by indicators (nulmeting,
streefwaarde, bron), and measures ("Wat gaan we daarvoor doen?") with a
trekker, partners, a running time and costs in whole euros.
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import Field, field_validator, model_validator

from ..i18n import tr
from .base import Base, Id, Item, Label, LocatedError, Markdown, Plain
from .planning import Quarter, parse_quarters

__all__ = [
    "UNITS",
    "VELDEN",
    "Baseline",
    "Cost",
    "Goal",
    "Indicator",
    "Measure",
]

# The five veiligheidsvelden of Kernbeleid Veiligheid, by the value the YAML writes.
VELDEN = {
    "veilige-woon-en-leefomgeving": "Veilige woon- en leefomgeving",
    "bedrijvigheid-en-veiligheid": "Bedrijvigheid en veiligheid",
    "jeugd-en-veiligheid": "Jeugd en veiligheid",
    "fysieke-veiligheid": "Fysieke veiligheid",
    "integriteit-en-veiligheid": "Integriteit en veiligheid",
}
Veld = Literal["veilige-woon-en-leefomgeving", "bedrijvigheid-en-veiligheid",
               "jeugd-en-veiligheid", "fysieke-veiligheid", "integriteit-en-veiligheid"]

Unit = Literal["aantal", "percentage", "rapportcijfer", "per-1000-inwoners"]
# The range a value of each unit can take (a rapportcijfer is 1 to 10).
UNITS: dict[str, tuple[float, float | None]] = {
    "aantal": (0, None),
    "percentage": (0, 100),
    "rapportcijfer": (1, 10),
    "per-1000-inwoners": (0, 1000),
}
Amount = Annotated[int, Field(ge=0)]
Value = float | int


class Baseline(Base):
    """The nulmeting: a measured value in a year from a source, or a text saying when it
    follows."""

    takes_figure: ClassVar[bool] = True  # `figure:` instead of value, year and source

    value: Annotated[Value, Label("waarde")] | None = None
    year: Annotated[int, Label("jaar")] | None = None
    source: Annotated[Plain, Label("bron")] | None = None
    pending: Annotated[Plain, Label("nulmeting volgt")] | None = None

    @model_validator(mode="after")
    def _measured_or_pending(self) -> Baseline:
        if self.pending is not None and self.value is not None:
            raise LocatedError(tr("a nulmeting has a 'value' or says it is 'pending', not "
                                  "both"), (),
                               tr("remove 'pending' once the value is measured; or remove "
                                  "'value' while it is not"))
        if self.pending is None and self.value is None:
            raise LocatedError(tr("a nulmeting needs a 'value' (with 'year'), or 'pending' "
                                  "with a text saying when it follows"), (),
                               tr("write e.g. 'baseline: {{value: 79, year: 2018, source: "
                                  "Politie}}' or 'baseline: {{pending: na de eerste meting in "
                                  "2021}}'"))
        if self.value is not None and self.year is None:
            raise LocatedError(tr("a nulmeting needs the 'year' it was measured in"), ("value",),
                               tr("write e.g. 'baseline: {{value: 79, year: 2018, "
                                  "source: Politie}}'"))
        return self


class Indicator(Item):
    """How a goal is measured: nulmeting, streefwaarde (at the end and/or per year), bron."""

    id: Id
    name: Annotated[Plain, Label("indicator", names_item=True)]
    unit: Unit
    baseline: Annotated[Baseline, Label("nulmeting")] | None = None
    # A number at the end of the period, or a rule in words ("ten hoogste de nulmeting").
    target: Annotated[Value | Plain, Label("streefwaarde")] | None = None
    targets: Annotated[dict[int, Value], Label("streefwaarden per jaar")] = \
        Field(default_factory=dict)
    source: Annotated[Plain, Label("bron")] | None = None
    # Whether a lower or a higher value is better; needed to judge a streefwaarde in words
    # ("Ten hoogste de nulmeting") and otherwise read from nulmeting and streefwaarde.
    better: Literal["lower", "higher"] | None = None

    def judge(self, value: Value | None, year: int) -> str:
        """The realisatie of `year` against the streefwaarde, in words (never by colour)."""
        if value is None:
            return "Geen meting"
        baseline = self.baseline.value if self.baseline is not None else None
        numeric = self.target if isinstance(self.target, int | float) else None
        mark = self.targets.get(year, numeric)
        better = self.better
        if better is None and mark is not None and baseline is not None and mark != baseline:
            better = "lower" if mark < baseline else "higher"
        if mark is None and isinstance(self.target, str) and better is not None:
            mark = baseline  # a rule in words holds the value to the nulmeting
        if mark is None or better is None:
            return "Niet te beoordelen: geen streefwaarde in cijfers"
        reached = value <= mark if better == "lower" else value >= mark
        return "Streefwaarde gehaald" if reached else "Streefwaarde nog niet gehaald"

    @model_validator(mode="after")
    def _in_range(self) -> Indicator:
        low, high = UNITS[self.unit]
        values: list[tuple[tuple[str | int, ...], Value]] = []
        if self.baseline is not None and self.baseline.value is not None:
            values.append((("baseline", "value"), self.baseline.value))
        if isinstance(self.target, int | float):
            values.append((("target",), self.target))
        values += [(("targets", year), value) for year, value in self.targets.items()]
        for path, value in values:
            if value < low or (high is not None and value > high):
                limits = tr("from {low} to {high}", low=_shown(low), high=_shown(high)) \
                    if high is not None else tr("at least {low}", low=_shown(low))
                raise LocatedError(tr("a {unit} of {value} is not possible: it runs {limits}",
                                      unit=self.unit, value=_shown(value), limits=limits), path,
                                   tr("write a value {limits}, or give the indicator the "
                                      "'unit' it is measured in: {units}", limits=limits,
                                      units=", ".join(UNITS)))
        return self


def _even_split(members: list[str]) -> str:
    """'dronten: 34, urk: 33, noordoostpolder: 33': whole percentages adding up to 100."""
    members = members or ["gemeente-a", "gemeente-b"]
    share, left = divmod(100, len(members))
    return ", ".join(f"{member}: {share + (1 if index < left else 0)}"
                     for index, member in enumerate(members))


def _shown(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


class Goal(Item):
    """What the municipality wants to achieve, measured by its indicators."""

    id: Id
    title: Annotated[Plain, Label("doel", names_item=True)]
    indicators: Annotated[list[Indicator], Label("indicatoren")] = Field(default_factory=list)


Kind = Literal["structureel", "incidenteel"]


class Cost(Base):
    """One line of a measure's costs, in whole euros.

    A `structureel` amount is paid every year the measure runs; an
    `incidenteel` one once, in its `year`.
    """

    kind: Kind
    amount: Annotated[Amount, Label("bedrag")]
    funding: Annotated[Plain, Label("financiering")]
    year: int | None = None

    @field_validator("amount", mode="before")
    @classmethod
    def _whole_euros(cls, value: object) -> object:
        if isinstance(value, str):
            digits = "".join(c for c in value if c.isdigit()) or "12000"
            raise LocatedError(tr("an amount is a whole number of euros, not the text "
                                  "'{value}'", value=value), (),
                               tr("write {digits}, without '€', dots or quotes", digits=digits))
        if isinstance(value, float):
            # YAML has read a Dutch thousands dot as a decimal point (30.000 as 30.0): the
            # number as written is on the line shown, and what was most likely meant is
            # the number with its dot dropped.
            thousands = value * 1000
            meant = int(thousands) if thousands.is_integer() and value >= 1 else None
            raise LocatedError(tr("an amount is a whole number of euros, without a dot or "
                                  "comma"), (),
                               tr("if you meant {euros} euros, write {euros}: YAML reads the "
                                  "dot as a decimal point, so 12.000 is twelve", euros=meant)
                               if meant is not None else
                               tr("write the amount without dots or commas: twelve thousand "
                                  "euros is 12000 (YAML reads 12.000 as twelve)"))
        return value

    @model_validator(mode="after")
    def _year(self) -> Cost:
        if self.kind == "incidenteel" and self.year is None:
            raise LocatedError(tr("an incidental cost needs the 'year' it is paid in"), (),
                               tr("add the year, e.g. '{{kind: incidenteel, amount: 5000, "
                                  "funding: rijksbijdrage, year: 2021}}'; a cost paid every "
                                  "year is 'kind: structureel'"))
        if self.kind == "structureel" and self.year is not None:
            raise LocatedError(tr("a structural cost is paid every year the measure runs: it "
                                  "has no 'year'"), ("year",),
                               tr("set the years on the measure ('years: [2021, 2022]'), or "
                                  "make it 'kind: incidenteel'"))
        return self


Split = Literal["inhabitants", "equal"] | dict[str, float | int]


class Measure(Item):
    """What the municipality does for its goals: who leads, with whom, when, at what cost.

    `lead` is a partner's id or a team's name ("Team OOV"); `split` divides the
    costs of a measure the members pay together: by `inhabitants`, `equal`, or
    fixed percentages per member (`{dronten: 50, urk: 50}`).
    """

    id: Id
    title: Annotated[Plain, Label("maatregel", names_item=True)]
    description: Annotated[Markdown, Label("omschrijving")] = ""
    lead: Annotated[Plain, Label("trekker")] | None = None
    partners: Annotated[list[Id], Label("partners")] = Field(default_factory=list)
    years: Annotated[list[int], Label("jaren")] = Field(default_factory=list)
    when: Annotated[str, Label("kwartalen")] | None = None
    goals: Annotated[list[Id], Label("doelen")] = Field(default_factory=list)
    costs: Annotated[list[Cost], Label("kosten")] = Field(default_factory=list)
    split: Annotated[Split, Label("verdeelsleutel")] | None = None

    @field_validator("when")
    @classmethod
    def _quarters(cls, value: str | None) -> str | None:
        if value is not None:
            parse_quarters(value)
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Measure:
        if self.years and self.when is not None:
            raise LocatedError(tr("give the measure 'years' or 'when' (quarters), not both"),
                               (), tr("keep 'when' for a measure planned in quarters, or "
                                      "'years' for one that runs whole years; remove the "
                                      "other"))
        if isinstance(self.split, dict):
            total = sum(self.split.values())
            if total != 100:
                raise LocatedError(tr("the percentages of the split add up to {total}, "
                                      "not 100", total=_shown(total)), ("split",),
                                   tr("change the percentages so that they add up to 100, "
                                      "e.g. 'split: {{{example}}}'; or write 'split: "
                                      "inhabitants' or 'split: equal'",
                                      example=_even_split(list(self.split))))
            if any(value < 0 for value in self.split.values()):
                raise LocatedError(tr("a percentage of the split is negative"), ("split",),
                                   tr("write every percentage as 0 or more; together they "
                                      "add up to 100"))
        return self

    @property
    def quarters(self) -> list[Quarter]:
        return parse_quarters(self.when) if self.when else []

    def runs_in(self, period_years: list[int]) -> list[int]:
        """The years of the document's period the measure runs in."""
        if self.years:
            return [year for year in period_years if year in self.years]
        if self.when:
            spans = {quarter.year for quarter in self.quarters}
            return [year for year in period_years if year in spans]
        return list(period_years)
