"""Content model → document IR: this is where "how an IVB looks" lives.

The chapter order, the Dutch headings that are not content, how a crime table
shows parts of rows and pending years, what the title page says: all decided
here, once, for every output format. Writers only draw what this returns.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from . import nl
from .account import account_blocks, mark_for_review
from .differences import Difference
from .document import (
    Block,
    Column,
    Document,
    Heading,
    Image,
    ListBlock,
    ListItem,
    Metadata,
    PageBreak,
    Paragraph,
    Row,
    Span,
    Table,
    TableOfContents,
    TitlePage,
)
from .markup import markdown_blocks
from .model import CrimeRow, CrimeTable, DocumentMeta, Ivb, Municipality, format_quarters

__all__ = ["LayoutOptions", "lay_out"]


@dataclass(frozen=True)
class LayoutOptions:
    """How to lay out one municipality's document.

    `logo_path` is the resolved path of the municipality's logo, if it has one;
    `differences` are its local differences from the shared part, listed in the
    appendix; `review` also marks each of them where it shows in the document.
    """

    logo_path: str | None = None
    differences: tuple[Difference, ...] = ()
    review: bool = False


def lay_out(ivb: Ivb, options: LayoutOptions | None = None) -> Document:
    """The whole document for one municipality."""
    options = options or LayoutOptions()
    meta, municipality = ivb.document, ivb.municipality
    blocks: list[Block] = [TableOfContents(), PageBreak()]
    for chapter in _chapters(ivb):
        blocks.extend(chapter)
    blocks.extend(account_blocks(municipality, options.differences))
    if options.review:
        blocks = mark_for_review(blocks, municipality, options.differences)
    return Document(
        metadata=_metadata(meta, municipality),
        title_page=_title_page(meta, municipality, options),
        blocks=tuple(blocks),
        banner=meta.status.upper() if meta.status != "vastgesteld" else None,
        footer=f"{meta.full_title} · Gemeente {municipality.name}",
    )


def _metadata(meta: DocumentMeta, municipality: Municipality) -> Metadata:
    return Metadata(
        title=f"{meta.full_title} gemeente {municipality.name}",
        subject=f"{meta.kind} van de gemeente {municipality.name}, periode {_period(meta)}",
        author=f"Gemeente {municipality.name}",
        keywords=("integrale veiligheid", "openbare orde en veiligheid", municipality.name,
                  "basisteam Dronten, Noordoostpolder en Urk"),
        status=nl.STATUS_LABEL[meta.status],
        version=meta.version,
    )


def _period(meta: DocumentMeta) -> str:
    return str(meta.period)


def _title_page(meta: DocumentMeta, municipality: Municipality,
                options: LayoutOptions) -> TitlePage:
    adoption = None
    if meta.adopted_on is not None:
        adoption = (f"Vastgesteld door {nl.ADOPTING_BODY[meta.adopted_by]} op "
                    f"{nl.format_date(meta.adopted_on)}")
    logo = None
    if options.logo_path is not None:
        alt = municipality.logo_alt or f"Logo van de gemeente {municipality.name}"
        logo = Image(options.logo_path, alt)
    return TitlePage(
        organisation=f"Gemeente {municipality.name}",
        title=meta.title or meta.kind,
        subtitle=meta.subtitle,
        period=_period(meta),
        status=nl.STATUS_LABEL[meta.status],
        version=meta.version,
        date=nl.format_date(meta.date),
        adoption=adoption,
        logo=logo,
        prepared_by=_team(meta.department),
    )


def _team(department: str | None) -> str | None:
    if not department:
        return None
    return department if department.lower().startswith("team ") else f"Team {department}"


def _chapters(ivb: Ivb) -> Iterator[list[Block]]:
    yield _introduction(ivb)
    yield _process(ivb)
    yield _partners(ivb)
    yield _frame(ivb)
    yield _themes(ivb)
    yield _focus(ivb)
    yield _couleur_locale(ivb)
    yield _related(ivb)
    yield [Heading(1, ivb.collaboration.title, ivb.collaboration.id),
           *markdown_blocks(ivb.collaboration.body)]
    yield [Heading(1, ivb.finances.title, ivb.finances.id), *markdown_blocks(ivb.finances.body)]


def _introduction(ivb: Ivb) -> list[Block]:
    intro, purpose = ivb.introduction, ivb.purpose
    return [Heading(1, intro.title, intro.id), *markdown_blocks(intro.body),
            Heading(2, purpose.title, purpose.id), *markdown_blocks(purpose.body)]


def _process(ivb: Ivb) -> list[Block]:
    process = ivb.process
    blocks: list[Block] = [Heading(1, process.title, process.id),
                           *markdown_blocks(process.intro)]
    for step in process.steps:
        blocks += [Heading(2, step.title, step.id), *markdown_blocks(step.body)]
    planning = process.planning
    blocks += [Heading(2, planning.title, planning.id), *markdown_blocks(planning.intro)]
    blocks.append(Table(
        caption=planning.caption,
        columns=(Column("Kwartaal"), Column("Actie"), Column("Verantwoordelijk")),
        rows=tuple(Row((format_quarters(row.quarters), row.action, " / ".join(row.responsible)))
                   for row in planning.rows),
        anchor=f"{planning.id}-tabel",
    ))
    return blocks


def _partners(ivb: Ivb) -> list[Block]:
    partners = ivb.partners
    items = tuple(ListItem((Paragraph(_partner_spans(p.name, p.note)),)) for p in partners.items)
    return [Heading(1, partners.title, partners.id), *markdown_blocks(partners.intro),
            ListBlock(items), *markdown_blocks(partners.closing)]


def _partner_spans(name: str, note: str | None) -> tuple[Span, ...]:
    return (Span(name),) if not note else (Span(name), Span(f" ({note})", italic=True))


def _frame(ivb: Ivb) -> list[Block]:
    frame, stats, start = ivb.frame, ivb.crime_statistics, ivb.starting_point
    blocks: list[Block] = [Heading(1, frame.title, frame.id), *markdown_blocks(frame.body),
                           Heading(2, stats.title, stats.id), *markdown_blocks(stats.intro)]
    if stats.tables:
        for table in stats.tables:
            blocks.append(_crime_table(table))
    else:
        blocks.extend(markdown_blocks(stats.figures_follow))
    blocks += [*markdown_blocks(stats.conclusion),
               Heading(2, start.title, start.id), *markdown_blocks(start.body)]
    return blocks


def _crime_table(table: CrimeTable) -> Table:
    # A pending year has no figures yet (the model sees to that): no column, but a note.
    years = [y for y in table.years if y not in table.pending]
    columns = (Column("Soort misdrijf"), *(Column(str(year), "right") for year in years))
    rows = []
    for row in _wholes_before_parts(table.rows):
        label = row.label if row.unit == "count" else f"{row.label} (per 10.000 inwoners)"
        cells = tuple(_figure(row.values.get(year), row.unit) for year in years)
        is_total = row.part_of is None and any(r.part_of == row.id for r in table.rows)
        rows.append(Row((label, *cells), indent=1 if row.part_of else 0, strong=is_total))
    notes = [f"Bron: {table.source}."]
    notes += [f"De cijfers over {year} volgen {when}." for year, when in table.pending.items()]
    if any(row.part_of for row in table.rows):
        notes.append("Een ingesprongen rij is een onderdeel van de vetgedrukte rij erboven. Niet "
                     "alle onderdelen staan in de tabel; ze tellen daarom niet altijd op tot het "
                     "totaal.")
    return Table(table.caption, columns, tuple(rows), tuple(notes), anchor=table.id)


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


def _themes(ivb: Ivb) -> list[Block]:
    themes = ivb.themes
    blocks: list[Block] = [Heading(1, themes.title, themes.id), *markdown_blocks(themes.intro)]
    for theme in themes.items:
        blocks += [Heading(2, theme.title, theme.id), *markdown_blocks(theme.body)]
    return blocks


def _focus(ivb: Ivb) -> list[Block]:
    focus = ivb.focus
    blocks: list[Block] = [Heading(1, focus.title, focus.id), *markdown_blocks(focus.intro)]
    for area in focus.items:
        blocks += [Heading(2, area.title, area.id), *markdown_blocks(area.body)]
        blocks += _attention(area.attention)
    return blocks


def _attention(items: list[str]) -> list[Block]:
    if not items:
        return []
    return [Paragraph((Span("Aandacht voor:", bold=True),)),
            ListBlock(tuple(ListItem(markdown_blocks(item) or (Paragraph((Span(item),)),))
                            for item in items))]


def _couleur_locale(ivb: Ivb) -> list[Block]:
    local = ivb.couleur_locale
    blocks: list[Block] = [Heading(1, local.title, local.id), *markdown_blocks(local.intro)]
    if not local.items:
        blocks.extend(markdown_blocks(local.none_yet))
    for topic in local.items:
        blocks += [Heading(2, topic.title, topic.id), *markdown_blocks(topic.body),
                   *_attention(topic.attention)]
    return blocks


def _related(ivb: Ivb) -> list[Block]:
    related = ivb.related_subjects
    blocks: list[Block] = [Heading(1, related.title, related.id),
                           *markdown_blocks(related.body)]
    if related.items:
        blocks.append(Table(
            caption="Onderwerpen buiten dit beleid en het verantwoordelijke team",
            columns=(Column("Onderwerp"), Column("Verantwoordelijk team")),
            rows=tuple(Row((item.name, item.owner)) for item in related.items),
            anchor=f"{related.id}-tabel",
        ))
    return blocks
