"""Layout of the policy: goals and indicators, measures, the velden and the finances.

Per priority "Wat willen we bereiken?" (each goal with a table Indicator |
Nulmeting (jaar) | Streefwaarde | Bron) and "Wat gaan we daarvoor doen?"
(Maatregel | Trekker | Partners | Looptijd | Kosten); an overview of the
priorities per veiligheidsveld; and the finance chapter's tables, computed
from the measures by `money.py`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import nl
from ..document import Block, Column, Heading, ListBlock, ListItem, Paragraph, Row, Span, Table
from ..markup import markdown_blocks
from ..model import VELDEN, Finances, FocusArea, Indicator, Measure, Partners, Velden
from ..model import format_quarters as quarters_text
from ..money import MeasureCost

if TYPE_CHECKING:
    from .blocks import BlockContext

__all__ = ["finances", "goal_blocks", "measure_blocks", "measure_people", "partner_names",
           "velden"]

_UNIT_LABEL = {"aantal": "", "percentage": " (%)", "rapportcijfer": " (rapportcijfer)",
               "per-1000-inwoners": " (per 1.000 inwoners)"}
_SPLIT_LABEL = {"inhabitants": "naar inwoners", "equal": "gelijk verdeeld"}


def _subheading(text: str, anchor: str, ctx: BlockContext) -> Block:
    """A heading under a priority where the outline has room for it, else a bold lead-in."""
    level = ctx.level + 2
    if level <= 3:
        return Heading(level, text, anchor)
    return Paragraph((Span(text, bold=True),))


def goal_blocks(area: FocusArea, ctx: BlockContext) -> list[Block]:
    if not area.goals:
        return []
    blocks: list[Block] = [_subheading("Wat willen we bereiken?", f"{area.id}-doelen", ctx)]
    for goal in area.goals:
        blocks.append(Paragraph((Span("Doel: ", bold=True), Span(goal.title))))
        if goal.indicators:
            blocks.append(Table(
                caption=f"Indicatoren bij het doel ‘{goal.title}’",
                columns=(Column("Indicator"), Column("Nulmeting (jaar)"),
                         Column("Streefwaarde"), Column("Bron")),
                rows=tuple(_indicator_row(i, ctx) for i in goal.indicators),
                anchor=goal.id,
            ))
    return blocks


def _indicator_row(indicator: Indicator, ctx: BlockContext) -> Row:
    baseline = indicator.baseline
    if baseline is None:
        measured = "–"
    elif baseline.pending is not None:
        measured = f"Volgt: {baseline.pending}"
    else:
        assert baseline.value is not None
        measured = f"{_value(baseline.value, indicator.unit)} ({baseline.year})"
    targets = dict(sorted(indicator.targets.items()))
    if isinstance(indicator.target, int | float):
        targets[ctx.ivb.document.period.end] = indicator.target
    target = "; ".join(f"{_value(value, indicator.unit)} ({year})"
                       for year, value in targets.items())
    if isinstance(indicator.target, str):
        target = f"{target}; {indicator.target}" if target else indicator.target
    target = target or "–"
    source = indicator.source or (baseline.source if baseline else None) or "–"
    return Row((indicator.name + _UNIT_LABEL[indicator.unit], measured, target, source))


def _value(value: float, unit: str) -> str:
    text = nl.format_number(value)
    return f"{text}%" if unit == "percentage" else text


def measure_blocks(area: FocusArea, ctx: BlockContext) -> list[Block]:
    if not area.measures:
        return []
    names = partner_names(ctx)
    own = ctx.costs
    rows = tuple(Row((m.title, *measure_people(m, names), _running(m, ctx),
                      _cost_cell(own.get(m.id)))) for m in area.measures)
    blocks: list[Block] = [
        _subheading("Wat gaan we daarvoor doen?", f"{area.id}-maatregelen", ctx),
        Table(caption=f"Maatregelen bij {area.title}",
              columns=(Column("Maatregel"), Column("Trekker"), Column("Partners"),
                       Column("Looptijd"), Column("Kosten", "right")),
              rows=rows, anchor=f"{area.id}-maatregelen-tabel",
              notes=("Kosten: het deel van de gemeente over de hele periode; zie het hoofdstuk "
                     "over de financiën.",) if own else ()),
    ]
    described = [m for m in area.measures if m.description.strip()]
    if described:
        blocks.append(ListBlock(tuple(ListItem((Paragraph((
            Span(f"{m.title}: ", bold=True), *_plain_spans(m.description))),))
            for m in described)))
    return blocks


def _plain_spans(markdown: str) -> tuple[Span, ...]:
    """The paragraphs of a short Markdown text as one run of spans (for a list item)."""
    spans: list[Span] = []
    for block in markdown_blocks(markdown):
        if isinstance(block, Paragraph):
            if spans:
                spans.append(Span(" "))
            spans.extend(block.spans)
    return tuple(spans)


def partner_names(ctx: BlockContext) -> dict[str, str]:
    """Every partner of the document by id."""
    return {partner.id: partner.name for _, block in ctx.ivb.blocks(policy=True)
            if isinstance(block, Partners) for partner in block.items}


def measure_people(measure: Measure, names: dict[str, str]) -> tuple[str, str]:
    """The trekker and the partners of a measure, as the tables show them."""
    lead = names.get(measure.lead, measure.lead) if measure.lead is not None else "–"
    return lead, ", ".join(names.get(p, p) for p in measure.partners) or "–"


def _running(measure: Measure, ctx: BlockContext) -> str:
    if measure.when:
        return quarters_text(measure.quarters)
    years = measure.years or ctx.ivb.document.years
    return _years_text(years)


def _years_text(years: list[int]) -> str:
    years = sorted(years)
    if len(years) > 1 and years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}–{years[-1]}"
    return ", ".join(map(str, years))


def _cost_cell(cost: MeasureCost | None) -> str:
    if cost is None:
        return "–"
    share = " (aandeel)" if cost.measure.split is not None else ""
    return nl.format_money(cost.total) + share


def velden(block: Velden, ctx: BlockContext) -> list[Block]:
    found: dict[str, list[str]] = {veld: [] for veld in VELDEN}
    for _, area in ctx.ivb.priorities():
        found[area.veld].append(area.title)
    rows = tuple(Row((label, "; ".join(found[veld]) or "–")) for veld, label in VELDEN.items())
    return [Table(block.caption, (Column("Veiligheidsveld"), Column("Prioriteiten")), rows,
                  ("De vijf veiligheidsvelden van de methode Kernbeleid Veiligheid (VNG).",),
                  anchor=block.id)]


def finances(block: Finances, ctx: BlockContext) -> list[Block]:
    costs = list(ctx.costs.values())
    if not costs:
        return [Paragraph((Span("Er zijn (nog) geen kosten van maatregelen vastgelegd."),))]
    years = ctx.ivb.document.years
    name = ctx.municipality.name
    columns = (Column("Maatregel"), *(Column(str(y), "right") for y in years),
               Column("Totaal", "right"))
    rows = [Row((c.measure.title + (" (aandeel)" if c.measure.split is not None else ""),
                 *_money_cells([c.by_year[y] for y in years]))) for c in costs]
    totals = [sum(c.by_year[y] for c in costs) for y in years]
    rows.append(Row(("Totaal", *_money_cells(totals, zero="€ 0")), strong=True))
    ceiling = ctx.ivb.document.budget_ceiling
    notes = ["Bedragen in hele euro's."]
    if ceiling:
        rows.append(Row(("Budgetplafond", *(nl.format_money(ceiling[y]) if y in ceiling else "–"
                                            for y in years), "")))
        over = [y for y in years if y in ceiling and totals[years.index(y)] > ceiling[y]]
        if over:
            notes.append("De kosten liggen boven het budgetplafond in " +
                         nl.join_words([str(y) for y in over]) + ".")
    blocks: list[Block] = [Table(f"Kosten van de maatregelen per jaar, gemeente {name}", columns,
                                 tuple(rows), tuple(notes), anchor=f"{block.id}-per-maatregel")]
    sources: dict[str, list[int]] = {}
    for cost in costs:
        for source, by_year in cost.funding.items():
            line = sources.setdefault(source, [0] * len(years))
            for index, year in enumerate(years):
                line[index] += by_year[year]
    blocks.append(Table(
        f"Kosten naar financieringsbron, gemeente {name}",
        (Column("Financiering"), *columns[1:]),
        (*(Row((source.capitalize(), *_money_cells(line))) for source, line in sources.items()),
         Row(("Totaal", *_money_cells(totals, zero="€ 0")), strong=True)),
        anchor=f"{block.id}-per-bron"))
    shared = [c for c in costs if c.measure.split is not None]
    if shared:
        blocks.append(_split_table(shared, years, ctx, f"{block.id}-verdeling"))
    return blocks


def _split_table(shared: list[MeasureCost], years: list[int], ctx: BlockContext,
                 anchor: str) -> Table:
    members = ctx.basisteam.municipalities
    rows = []
    for cost in shared:
        split = cost.measure.split
        how = _SPLIT_LABEL.get(split, "vaste percentages") if isinstance(split, str) \
            else "vaste percentages"
        rows.append(Row((f"{cost.measure.title} ({how})",
                         *_money_cells([cost.whole[y] for y in years], zero="€ 0")),
                        strong=True))
        for member in members:
            parts = cost.shares.get(member.id, {})
            rows.append(Row((f"Gemeente {member.name}",
                             *_money_cells([parts.get(y, 0) for y in years])), indent=1))
    return Table("Verdeling gezamenlijke kosten",
                 (Column("Maatregel en gemeente"), *(Column(str(y), "right") for y in years),
                  Column("Totaal", "right")), tuple(rows),
                 ("Het aandeel van elke gemeente is afgerond op hele euro's; de aandelen tellen "
                  "precies op tot het totaal (methode van de grootste resten).",),
                 anchor=anchor)


def _money_cells(amounts: list[int], zero: str = "–") -> tuple[str, ...]:
    """One cell per year and the total; a year without costs shows `zero`."""
    cells = [nl.format_money(a) if a else zero for a in amounts]
    total = sum(amounts)
    return (*cells, nl.format_money(total) if total else zero)
