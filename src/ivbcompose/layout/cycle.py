"""Layout of the documents of the policy cycle: the uitvoeringsprogramma and the
voortgangsrapportage of one year.

Both read the whole policy of the document (its priorities, measures and
costs) and the year the build is for; the money comes from `money.py`, so an
uitvoeringsprogramma's totals are the finance chapter's figures for its year.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import nl
from ..document import Block, Column, Heading, Paragraph, Row, Span, Table
from ..model import FocusArea, Indicator, Measure, ProgressReport, YearProgramme
from ..money import MeasureCost, shares, split_weights
from .policy import measure_people, partner_names

if TYPE_CHECKING:
    from .blocks import BlockContext

__all__ = ["progress_report", "year_programme"]

_STATUS = {"gepland": "Gepland", "gestart": "Gestart", "afgerond": "Afgerond",
           "vertraagd": "Vertraagd", "vervallen": "Vervallen"}


def _year(ctx: BlockContext) -> int:
    year = ctx.ivb.document.year
    return year if year is not None else ctx.ivb.document.period.start


def _running(area: FocusArea, year: int) -> list[Measure]:
    return [m for m in area.measures if m.runs_in([year])]


def _quarters(measure: Measure, year: int) -> str:
    quarters = [q.quarter for q in measure.quarters if q.year == year]
    if not quarters or len(quarters) == 4:
        return "Hele jaar"
    return f"Q{quarters[0]}" if len(quarters) == 1 else f"Q{quarters[0]}–Q{quarters[-1]}"


def year_programme(block: YearProgramme, ctx: BlockContext) -> list[Block]:
    year, name = _year(ctx), ctx.municipality.name
    costs = ctx.costs
    names = partner_names(ctx)
    blocks: list[Block] = []
    summary: list[Row] = []
    for _, area in ctx.ivb.priorities():
        running = _running(area, year)
        if not running:
            continue
        rows = []
        for measure in running:
            cost = costs.get(measure.id)
            whole = cost.whole[year] if cost else 0
            own = cost.by_year[year] if cost else 0
            rows.append(Row((measure.title, *measure_people(measure, names),
                             _quarters(measure, year), _money(whole), _money(own))))
        # The priority's id as anchor: the review marks of its local changes go here.
        blocks += [Heading(ctx.level + 1, area.title, area.id),
                   Table(f"Maatregelen in {year}: {area.title}",
                         (Column("Maatregel"), Column("Trekker"), Column("Partners"),
                          Column("Wanneer"), Column(f"Kosten {year}", "right"),
                          Column(f"Aandeel {name}", "right")), tuple(rows),
                         anchor=f"{block.id}-{area.id}-tabel")]
        share = sum(costs[m.id].by_year[year] for m in running if m.id in costs)
        summary.append(Row((area.title, _money(share))))
    if not blocks:
        return [Paragraph((Span(f"In {year} lopen er geen maatregelen."),))]
    total = sum(c.by_year[year] for c in costs.values())
    summary.append(Row(("Totaal", nl.format_money(total)), strong=True))
    notes = ["Het aandeel van de gemeente in een gezamenlijke maatregel volgt de "
             "verdeelsleutel (zie het beleid, hoofdstuk Financiën)."]
    ceiling = ctx.ivb.document.budget_ceiling.get(year)
    if ceiling is not None:
        summary.append(Row(("Budgetplafond", nl.format_money(ceiling))))
        if total > ceiling:
            notes.append(f"De kosten liggen {nl.format_money(total - ceiling)} boven het "
                         "budgetplafond.")
    blocks += [Heading(ctx.level + 1, f"Kosten in {year}", f"{block.id}-kosten"),
               Table(f"Kosten van de maatregelen in {year}, gemeente {name}",
                     (Column("Prioriteit"), Column(f"Aandeel {name}", "right")),
                     tuple(summary), tuple(notes), anchor=f"{block.id}-kosten-tabel")]
    return blocks


def _money(amount: int) -> str:
    return nl.format_money(amount) if amount else "–"


def progress_report(block: ProgressReport, ctx: BlockContext) -> list[Block]:
    year = _year(ctx)
    report = ctx.ivb.progress_of(year)
    measures = {m.measure: m for m in report.measures} if report else {}
    values = {i.indicator: i for i in report.indicators} if report else {}
    costs = ctx.costs
    blocks: list[Block] = []
    for _, area in ctx.ivb.priorities():
        running = _running(area, year)
        indicators = [i for goal in area.goals for i in goal.indicators]
        if not running and not indicators:
            continue
        blocks.append(Heading(ctx.level + 1, area.title, area.id))
        if running:
            rows = []
            for measure in running:
                done = measures.get(measure.id)
                note = " ".join(t for t in (done.note.strip() if done else "",
                                            f"Opmerking van de gemeente: {done.remark.strip()}"
                                            if done and done.remark.strip() else "") if t)
                cost = costs.get(measure.id)
                rows.append(Row((measure.title,
                                 _STATUS[done.status] if done and done.status else
                                 "Niet gerapporteerd", note or "–",
                                 _money(cost.by_year[year]) if cost else "–",
                                 _spent(done.spent if done else None, cost, year, ctx))))
            blocks.append(Table(f"Voortgang van de maatregelen in {year}: {area.title}",
                                (Column("Maatregel"), Column("Status"), Column("Toelichting"),
                                 Column("Gepland", "right"), Column("Gerealiseerd", "right")),
                                tuple(rows), anchor=f"{block.id}-{area.id}-maatregelen"))
        if indicators:
            rows = []
            for indicator in indicators:
                measured = values.get(indicator.id)
                value = measured.value if measured else None
                baseline = indicator.baseline
                rows.append(Row((
                    indicator.name,
                    f"{nl.format_number(baseline.value)} ({baseline.year})"
                    if baseline is not None and baseline.value is not None else "–",
                    _target(indicator, year),
                    nl.format_number(value) if value is not None else "–",
                    indicator.judge(value, year))))
            blocks.append(Table(f"Indicatoren in {year}: {area.title}",
                                (Column("Indicator"), Column("Nulmeting"), Column("Streefwaarde"),
                                 Column(f"Realisatie {year}"), Column("Oordeel")), tuple(rows),
                                anchor=f"{block.id}-{area.id}-indicatoren"))
    return blocks or [Paragraph((Span(f"Over {year} is geen voortgang vastgelegd."),))]


def _target(indicator: Indicator, year: int) -> str:
    if year in indicator.targets:
        return nl.format_number(indicator.targets[year])
    if isinstance(indicator.target, int | float):
        return nl.format_number(indicator.target)
    return indicator.target or "–"


def _spent(spent: int | None, cost: MeasureCost | None, year: int, ctx: BlockContext) -> str:
    """This municipality's part of what a measure cost: its share when it is split."""
    if spent is None:
        return "Niet gerapporteerd"
    if cost is None or cost.measure.split is None:
        return nl.format_money(spent)
    members = [(m.id, m.inhabitants) for m in ctx.basisteam.municipalities]
    part = shares(spent, split_weights(cost.measure, members)).get(ctx.municipality_id, 0)
    return nl.format_money(part)
