"""Layout of imported figures: counts and rates per year, the comparison, the trend in words
and a source note that makes every figure checkable."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import nl
from ..document import CHART_LINES, Block, Chart, Column, Row, Table
from ..model import Bbv, FigureFile, Figures
from .blocks import text_blocks

if TYPE_CHECKING:
    from .blocks import BlockContext

__all__ = ["bbv", "figures"]


def _file(block: Figures, ctx: BlockContext, owner: str | None) -> FigureFile | None:
    return next((f for f in ctx.ivb.figures if f.owner == owner and f.table == block.table),
                None)


def figures(block: Figures, ctx: BlockContext) -> list[Block]:
    own = _file(block, ctx, ctx.municipality_id)
    counts = own.find(block.category, block.count) if own else None
    if own is None or counts is None:
        return text_blocks(block.missing)
    years = [y for y in sorted(counts.values) if block.first_year is None
             or y >= block.first_year]
    columns = (Column("Regio"), *(Column(str(y), "right") for y in years))
    name = ctx.municipality.name
    rows = [Row((f"{name}: aantal", *(_cell(counts.values.get(y), 0) for y in years)),
                strong=True)]
    notes = []
    rate = own.find(block.category, block.rate) if block.rate else None
    if rate is not None:
        rows.append(Row((f"{name}: per 1.000 inwoners",
                         *(_cell(rate.values.get(y), 1) for y in years))))
    else:
        inhabitants = ctx.municipality.inhabitants
        rows.append(Row((f"{name}: per 1.000 inwoners (berekend)", *(_cell(
            None if counts.values.get(y) is None else counts.values[y] / inhabitants * 1000, 1)
            for y in years))))
        notes.append(f"Per 1.000 inwoners berekend met het inwonertal van "
                     f"{ctx.municipality.inhabitants_year} ({nl.format_number(inhabitants)}).")
    lines: list[tuple[str, tuple[float | None, ...]]] = []
    if rate is not None:
        lines.append((name, tuple(rate.values.get(y) for y in years)))
    members: list[tuple[str, tuple[float | None, ...]]] = []
    if block.rate:
        others = [("Nederland", _file(block, ctx, None))] + [
            (m.name, _file(block, ctx, m.id)) for m in ctx.basisteam.municipalities
            if m.id != ctx.municipality_id]
        compared: list[Row] = []
        for index, (label, other) in enumerate(others):
            series = other.find(block.category, block.rate) if other else None
            if series is not None:
                compared.append(Row((label, *(_cell(series.values.get(y), 1) for y in years)),
                                    indent=1))
                (lines if index == 0 else members).append(
                    (label, tuple(series.values.get(y) for y in years)))
        # An indented row reads as a part of the row above it; under a heading row of
        # their own the comparisons read as what they are.
        if compared:
            rows.append(Row(("Ter vergelijking: per 1.000 inwoners", *("" for _ in years)),
                            strong=True))
            rows += compared
    known = [(y, counts.values[y]) for y in years if counts.values.get(y) is not None]
    if len(known) >= 2:
        notes.insert(0, nl.change_in_words(known[0], known[-1]))
    if any(counts.values.get(y) is None for y in years):
        notes.append("–: geen cijfer (geheimgehouden of niet geleverd).")
    notes.append(_source(own, years))
    blocks: list[Block] = [Table(block.caption, columns, tuple(rows),
                                 tuple(n for n in notes if n), anchor=block.id)]
    # More lines than colours cannot be told apart: then the chart keeps the municipality
    # and Nederland, and the table beside it has every member.
    shown = [*lines, *members] if len(lines) + len(members) <= CHART_LINES else lines
    if block.chart and shown:
        alt = _alt(shown, years)
        if len(shown) < len(lines) + len(members):
            alt += " De andere gemeenten van het basisteam staan in de tabel."
        blocks.append(Chart(f"{block.caption}, per 1.000 inwoners", alt,
                            tuple(map(str, years)), tuple(shown), "per 1.000 inwoners"))
    return blocks


def _alt(lines: list[tuple[str, tuple[float | None, ...]]], years: list[int]) -> str:
    """The chart's main figures in words: where each line starts and ends."""
    parts = []
    for label, values in lines:
        known = [(y, v) for y, v in zip(years, values, strict=True) if v is not None]
        if known:
            (first, a), (last, b) = known[0], known[-1]
            parts.append(f"{label} van {nl.format_number(a, 1)} in {first} naar "
                         f"{nl.format_number(b, 1)} in {last}")
    return (f"Lijndiagram van de geregistreerde misdrijven per 1.000 inwoners, "
            f"{years[0]}–{years[-1]}: " + "; ".join(parts) + ".")


def bbv(block: Bbv, ctx: BlockContext) -> list[Block]:
    """Each BBV indicator the imported figures have: its latest year, per 1.000 inhabitants,
    beside Nederland; a rate computed from the municipality's inhabitants is marked so."""
    rows, sources, computed = [], [], False
    for indicator in block.indicators:
        own = next((f for f in ctx.ivb.figures if f.owner == ctx.municipality_id
                    and f.table == indicator.table), None)
        series = own.find(indicator.category, indicator.topic) if own else None
        known = [(y, v) for y, v in sorted(series.values.items()) if v is not None] \
            if series else []
        if own is None or not known:
            continue
        year, value = known[-1]
        if not indicator.per_1000:
            value = value / ctx.municipality.inhabitants * 1000
            computed = True
        national = next((f for f in ctx.ivb.figures if f.owner is None
                         and f.table == indicator.table), None)
        other = national.find(indicator.category, indicator.topic) if national else None
        rows.append(Row((indicator.name, str(year), nl.format_number(value, 1),
                         _cell(other.values.get(year), 1) if other and indicator.per_1000
                         else "–")))
        sources.append(f"tabel {indicator.table}")
    if not rows:
        return text_blocks(block.missing)
    notes = [f"Bron: CBS StatLine, {nl.join_words(sorted(set(sources)))}."]
    if computed:
        notes.insert(0, f"Per 1.000 inwoners berekend met het inwonertal van "
                        f"{ctx.municipality.inhabitants_year} "
                        f"({nl.format_number(ctx.municipality.inhabitants)}).")
    return [Table(block.caption, (Column("Indicator"), Column("Jaar"),
                                  Column(ctx.municipality.name, "right"),
                                  Column("Nederland", "right")), tuple(rows), tuple(notes),
                  anchor=block.id)]


def _cell(value: float | None, decimals: int) -> str:
    return "–" if value is None else nl.format_number(value, decimals)


def _source(own: FigureFile, years: list[int]) -> str:
    """'Bron: CBS StatLine, tabel 83648NED (…), 2016–2020; export van 15 december 2025;
    2020 voorlopig.'"""
    where = f"tabel {own.table}" + (f" ({own.title})" if own.title else "")
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
    exported = f"; export van {nl.format_date(own.exported)}" if own.exported else ""
    marked = [f"{y} {own.status[y]}" for y in years
              if own.status.get(y) in ("voorlopig", "onvolledig")]
    state = f"; {', '.join(marked)}" if marked else ""
    return f"Bron: CBS StatLine, {where}, {span}{exported}{state}."
