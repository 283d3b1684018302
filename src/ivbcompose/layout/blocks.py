"""One layout function per content block type: block model → document IR blocks.

Each function takes its block and a `BlockContext` (the heading level the block
sits under, the municipality and basisteam) and returns IR blocks. How a crime
table shows its parts and pending years, what "Aandacht voor:" looks like: it
is decided here, once, for every output format.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .. import nl
from ..document import Block, Column, Heading, ListBlock, ListItem, Paragraph, Row, Span, Table
from ..markup import markdown_blocks
from ..model import (
    Basisteam,
    CrimeFigures,
    CrimeRow,
    CrimeTable,
    FocusAreas,
    Ivb,
    Municipality,
    Partners,
    Planning,
    RelatedSubjects,
    TableBlock,
    TextBlock,
    format_quarters,
)
from ..model import ListBlock as ListModel
from ..money import MeasureCost
from . import policy

__all__ = [
    "BlockContext",
    "crime_figures",
    "focus_areas",
    "list_block",
    "partners",
    "planning",
    "related_subjects",
    "table",
    "text",
    "text_blocks",
]


@dataclass(frozen=True)
class BlockContext:
    """Where a block sits: under a heading of `level`, in whose document (`ivb`, for blocks
    that sum up the whole document, such as the finances)."""

    level: int
    municipality_id: str
    ivb: Ivb
    costs: Mapping[str, MeasureCost]  # `money.costs_for` of this document, by measure id

    @property
    def municipality(self) -> Municipality:
        return self.ivb.municipality

    @property
    def basisteam(self) -> Basisteam:
        return self.ivb.basisteam


def text_blocks(markdown: str) -> list[Block]:
    """The IR blocks of one Markdown text (paragraphs, lists, tables)."""
    return list(markdown_blocks(markdown))


def text(block: TextBlock, ctx: BlockContext) -> list[Block]:
    return text_blocks(block.body)


def list_block(block: ListModel, ctx: BlockContext) -> list[Block]:
    lead: list[Block] = [Paragraph((Span(block.lead, bold=True),))] if block.lead else []
    return [*lead, ListBlock(_items(block.items), block.ordered)]


def _items(texts: list[str]) -> tuple[ListItem, ...]:
    return tuple(ListItem(tuple(b for b in markdown_blocks(item)
                                if isinstance(b, Paragraph | ListBlock))
                          or (Paragraph((Span(item),)),)) for item in texts)


def table(block: TableBlock, ctx: BlockContext) -> list[Block]:
    columns = tuple(Column(column.label, column.align) for column in block.columns)
    rows = tuple(Row(tuple(_cell(value) for value in row)) for row in block.rows)
    notes = (f"Bron: {block.source}.",) if block.source else ()
    return [Table(block.caption, columns, rows, notes, anchor=block.id)]


def _cell(value: str | int | float) -> str:
    return value if isinstance(value, str) else nl.format_number(value)


def planning(block: Planning, ctx: BlockContext) -> list[Block]:
    return [Table(
        caption=block.caption,
        columns=(Column("Kwartaal"), Column("Actie"), Column("Verantwoordelijk")),
        rows=tuple(Row((format_quarters(row.quarters), row.action, " / ".join(row.responsible)))
                   for row in block.rows),
        anchor=block.id,
    )]


def partners(block: Partners, ctx: BlockContext) -> list[Block]:
    items = [ListItem((Paragraph(_partner_spans(p.name, p.note)),)) for p in block.items]
    if block.members:
        items += [ListItem((Paragraph((Span(f"Gemeente {member.name}"),)),))
                  for member in ctx.basisteam.municipalities
                  if member.id != ctx.municipality_id]
    return [ListBlock(tuple(items))] if items else []


def _partner_spans(name: str, note: str | None) -> tuple[Span, ...]:
    return (Span(name),) if not note else (Span(name), Span(f" ({note})", italic=True))


def crime_figures(block: CrimeFigures, ctx: BlockContext) -> list[Block]:
    blocks: list[Block] = [_crime_table(table) for table in block.tables]
    if not block.tables:
        blocks += text_blocks(block.figures_follow)
    return blocks + text_blocks(block.conclusion)


def _crime_table(table: CrimeTable) -> Table:
    # A pending year has no figures yet (the model sees to that): no column, but a note.
    years = [y for y in table.years if y not in table.pending]
    columns = (Column("Soort misdrijf"), *(Column(str(year), "right") for year in years))
    rows = []
    ordered = _wholes_before_parts(table.rows)
    events = [row for row in ordered if row.events]
    for row in [r for r in ordered if not r.events]:
        rows.append(_crime_row(row, table, years))
    if events:
        rows.append(Row(("Vooral rond grote evenementen (apart vermeld)", *("" for _ in years)),
                        strong=True))
        rows += [_crime_row(row, table, years, indent=1) for row in events]
    notes = [*_trends(table, years, events), f"Bron: {table.source}."]
    notes += [f"De cijfers over {year} volgen {when}." for year, when in table.pending.items()]
    if any(row.part_of for row in table.rows):
        notes.append("Een ingesprongen rij is een onderdeel van de vetgedrukte rij erboven. Niet "
                     "alle onderdelen staan in de tabel; ze tellen daarom niet altijd op tot het "
                     "totaal.")
    return Table(table.caption, columns, tuple(rows), tuple(notes), anchor=table.id)


def _crime_row(row: CrimeRow, table: CrimeTable, years: list[int], indent: int = 0) -> Row:
    label = row.label if row.unit == "count" else f"{row.label} (per 10.000 inwoners)"
    cells = tuple(_figure(row.values.get(year), row.unit) for year in years)
    is_total = row.part_of is None and any(r.part_of == row.id for r in table.rows)
    return Row((label, *cells), indent=indent or (1 if row.part_of else 0), strong=is_total)


def _trends(table: CrimeTable, years: list[int], events: list[CrimeRow]) -> list[str]:
    """The change of the total in words, and of the total without the event registrations."""
    total = next((r for r in table.rows if r.id == table.total), None)
    if total is None or len(years) < 2:
        return []
    first, last = years[0], years[-1]
    found = [f"{total.label}: " + _lower_first(nl.change_in_words(
        (first, total.values[first]), (last, total.values[last])))]
    if events:
        names = nl.join_words([row.label.lower() for row in events])
        without = [total.values[y] - sum(r.values.get(y, 0) for r in events
                                         if r.unit == "count") for y in (first, last)]
        found.append(f"Zonder de registraties rond evenementen ({names}): " + _lower_first(
            nl.change_in_words((first, without[0]), (last, without[1]))))
    return found


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _wholes_before_parts(rows: list[CrimeRow]) -> list[CrimeRow]:
    """Each row followed by its parts, so the indented parts read as a breakdown of it."""
    ordered: list[CrimeRow] = []
    for row in rows:
        if row.part_of is None or not any(r.id == row.part_of for r in rows):
            ordered.append(row)
            ordered.extend(r for r in rows if r.part_of == row.id)
    return ordered


def _figure(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    return nl.format_number(value, 1 if unit == "rate" else 0)


def focus_areas(block: FocusAreas, ctx: BlockContext) -> list[Block]:
    if not block.items:
        return text_blocks(block.empty)
    blocks: list[Block] = []
    for area in block.items:
        blocks += [Heading(ctx.level + 1, area.title, area.id), *text_blocks(area.body)]
        if area.attention:
            blocks += [Paragraph((Span("Aandacht voor:", bold=True),)),
                       ListBlock(_items(area.attention))]
        kind = ctx.ivb.kind
        if kind is None or kind.policy:
            blocks += policy.goal_blocks(area, ctx)
            blocks += policy.measure_blocks(area, ctx)
    return blocks


def related_subjects(block: RelatedSubjects, ctx: BlockContext) -> list[Block]:
    return [Table(
        caption=block.caption,
        columns=(Column("Onderwerp"), Column("Verantwoordelijk team")),
        rows=tuple(Row((item.name, item.owner)) for item in block.items),
        anchor=block.id,
    )]
