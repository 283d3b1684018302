"""The HTML writer: the document IR as one self-contained, accessible HTML5 page.

The page is meant for a municipality's website and for a preview in the
browser: the title page as a `<header>`, a linked table of contents, headings
`<h2>` to `<h4>` with the numbers Word gives them, tables with a "Tabel N"
caption (numbered as in Word and Markdown: only captioned tables count),
charts and the logo embedded as data: URIs, review notes as asides, and one
embedded style sheet in the house colour. It has no script and loads nothing.

Every id is decided before the first block is written (`_plan`), so the table
of contents and internal links can point forward; rendering then reads that
plan and accumulates nothing. All text goes through `html.escape`. Output is
stable: equal input gives equal text.
"""

from __future__ import annotations

import base64
import re
import struct
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import TypeAlias

from ..document import (
    Block,
    Chart,
    Document,
    Heading,
    Image,
    ListBlock,
    Metadata,
    PageBreak,
    Paragraph,
    Row,
    Span,
    Table,
    TableOfContents,
    TitlePage,
)
from . import heading_numbers, title_page_facts
from .charts import render_chart

__all__ = ["anchor_id", "render_html"]

_REVIEW_LABEL = "Opmerking"
_MAIN_ID = "tekst"
_SKIP_LINK = "Direct naar de tekst"
_MIME_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
               ".gif": "image/gif", ".svg": "image/svg+xml"}
_SAFE_SCHEMES = ("http:", "https:", "mailto:", "tel:")
_PX_PER_CM = 96 / 2.54


@dataclass(frozen=True)
class _Entry:
    """A heading as the table of contents links to it."""

    level: int
    number: str | None
    text: str
    target: str


@dataclass(frozen=True)
class _Plan:
    """What is fixed before writing: ids, heading numbers, table numbers, the outline.

    `ids`, `numbers` and `table_numbers` are keyed by the block's index in the
    document; `anchors` maps IR anchors to the ids they became.
    """

    ids: Mapping[int, str]
    numbers: Mapping[int, str | None]
    table_numbers: Mapping[int, int]
    anchors: Mapping[str, str]
    outline: tuple[_Entry, ...]


def render_html(document: Document) -> str:
    """The whole document as one HTML5 page, ending in one newline."""
    plan = _plan(document.blocks)
    lines = ["<!DOCTYPE html>", f'<html lang="{_language(document.metadata)}">',
             *_head(document.metadata), "<body>",
             f'<a class="skip-link" href="#{_MAIN_ID}">{_SKIP_LINK}</a>']
    if document.banner:
        lines.append(f'<p class="banner" role="note">{escape(document.banner)}</p>')
    lines.extend(_title_page(document.title_page))
    lines.append(f'<main id="{_MAIN_ID}">')
    for index, block in enumerate(document.blocks):
        lines.extend(_block(index, block, plan))
    lines.append("</main>")
    if document.footer.strip():
        lines.append(f'<footer class="page-footer"><p>{escape(document.footer)}</p></footer>')
    lines += ["</body>", "</html>"]
    return "\n".join(lines) + "\n"


# -- The plan ---------------------------------------------------------------------------


def _plan(blocks: Sequence[Block]) -> _Plan:
    """Number headings and captioned tables; give headings, anchored tables and contents ids.

    A heading's id is its anchor made safe (ASCII letters, digits, "-", "_",
    starting with a letter, else "id-" before it; see `anchor_id`), or "kop-N" for
    the N-th heading without one; a
    repeated id gets "-2", "-3". The first block with an anchor owns it.
    """
    taken = {_MAIN_ID}
    ids: dict[int, str] = {}
    numbers: dict[int, str | None] = {}
    table_numbers: dict[int, int] = {}
    anchors: dict[str, str] = {}
    outline: list[_Entry] = []
    heading_number = iter(heading_numbers(blocks))
    for index, block in enumerate(blocks):
        if isinstance(block, Heading):
            numbers[index] = next(heading_number)
            ids[index] = _unique_id(block.anchor, f"kop-{len(outline) + 1}", taken)
            outline.append(_Entry(block.level, numbers[index], block.text, ids[index]))
        elif isinstance(block, Table):
            if block.caption is not None:
                table_numbers[index] = len(table_numbers) + 1
            if block.anchor:
                ids[index] = _unique_id(block.anchor, "tabel", taken)
        elif isinstance(block, TableOfContents):
            ids[index] = _unique_id("inhoudsopgave", "inhoudsopgave", taken)
        anchor = getattr(block, "anchor", None)
        if anchor and index in ids:
            anchors.setdefault(anchor, ids[index])
    return _Plan(ids, numbers, table_numbers, anchors, tuple(outline))


def anchor_id(anchor: str) -> str:
    """The id the page gives the first heading or table with `anchor` (an item id):
    the anchor made safe for HTML, "id-…" when it does not start with a letter."""
    ascii_text = unicodedata.normalize("NFKD", anchor).encode("ascii", "ignore").decode()
    base = re.sub(r"[^A-Za-z0-9_-]+", "-", ascii_text).strip("-")
    return base if not base or base[0].isalpha() else f"id-{base}"


def _unique_id(anchor: str | None, fallback: str, taken: set[str]) -> str:
    base = anchor_id(anchor or "") or fallback
    name, counter = base, 1
    while name in taken:
        counter += 1
        name = f"{base}-{counter}"
    taken.add(name)
    return name


# -- Head and title page ----------------------------------------------------------------


def _language(metadata: Metadata) -> str:
    return re.sub(r"[^A-Za-z0-9-]", "", metadata.language) or "nl"


def _head(metadata: Metadata) -> list[str]:
    lines = ["<head>", '<meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{escape(metadata.title)}</title>"]
    for name, content in (("description", metadata.subject), ("author", metadata.author),
                          ("keywords", ", ".join(metadata.keywords))):
        if content:
            lines.append(f'<meta name="{name}" content="{escape(content)}">')
    return [*lines, f"<style>{_STYLE}</style>", "</head>"]


def _title_page(page: TitlePage) -> Iterator[str]:
    yield '<header class="title-page">'
    if page.logo is not None:
        yield f'<p class="logo">{_logo(page.logo)}</p>'
    yield f'<p class="organisation">{escape(page.organisation)}</p>'
    yield f"<h1>{escape(page.title)}</h1>"
    if page.subtitle:
        yield f'<p class="subtitle">{escape(page.subtitle)}</p>'
    yield f'<p class="period">{escape(page.period)}</p>'
    facts = title_page_facts(page)
    if facts:
        yield '<dl class="facts">'
        for label, value in facts:
            yield f"<div><dt>{escape(label)}</dt><dd>{escape(value)}</dd></div>"
        yield "</dl>"
    if page.adoption:
        yield f'<p class="adoption">{escape(page.adoption)}</p>'
    yield "</header>"


def _logo(image: Image) -> str:
    path = Path(image.path)
    mime = _MIME_TYPES.get(path.suffix.lower())
    if mime is None:
        raise ValueError(f"logo {path.name}: no image type for '{path.suffix}'; "
                         "use a PNG, JPEG, GIF or SVG file")
    width = round(image.width_cm * _PX_PER_CM)
    return (f'<img src="{_data_uri(mime, path.read_bytes())}" alt="{escape(image.alt_text)}" '
            f'width="{width}">')


def _data_uri(mime: str, data: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


# -- Blocks -----------------------------------------------------------------------------


def _block(index: int, block: Block, plan: _Plan) -> Iterable[str]:
    if isinstance(block, Heading):
        return _heading(block, plan.numbers[index], plan.ids[index])
    if isinstance(block, Paragraph):
        return _paragraph(block, plan)
    if isinstance(block, ListBlock):
        return [*_list(block, plan), *_review(block.review)]
    if isinstance(block, Table):
        return _table(block, plan.table_numbers.get(index), plan.ids.get(index))
    if isinstance(block, Chart):
        return _chart(block)
    if isinstance(block, TableOfContents):
        return _toc(block, plan.ids[index], plan.outline)
    if isinstance(block, PageBreak):
        return []  # a web page has no pages; print CSS starts chapters on a new one
    raise TypeError(f"unknown block type {type(block).__name__}")


def _heading(heading: Heading, number: str | None, element_id: str) -> Iterator[str]:
    tag = f"h{heading.level + 1}"  # the document title is the only h1
    yield f'<{tag} id="{element_id}">{_numbered(number, heading.text)}</{tag}>'
    yield from _review(heading.review)


def _numbered(number: str | None, text: str) -> str:
    prefix = f'<span class="num">{escape(number)}</span> ' if number else ""
    return prefix + escape(text)


def _review(text: str | None) -> list[str]:
    """A review note as an aside after its element, one paragraph per line of the note."""
    if not text:
        return []
    paragraphs = [f"<p><strong>{_REVIEW_LABEL}:</strong> {escape(line)}</p>"
                  for line in text.splitlines() if line.strip()]
    return [f'<aside class="review" aria-label="{_REVIEW_LABEL}">', *paragraphs, "</aside>"]


def _paragraph(paragraph: Paragraph, plan: _Plan) -> list[str]:
    text = _inline(paragraph.spans, plan.anchors)
    lines = [f'<p class="{escape(paragraph.style)}">{text}</p>'] if text else []
    return lines + _review(paragraph.review)


def _list(block: ListBlock, plan: _Plan) -> list[str]:
    tag = "ol" if block.ordered else "ul"
    lines = [f"<{tag}>"]
    for item in block.items:
        content: list[str] = []
        for child in item.blocks:
            content += _paragraph(child, plan) if isinstance(child, Paragraph) \
                else _list(child, plan)
        if len(content) == 1 and content[0].startswith("<p"):
            lines.append(f"<li>{content[0]}</li>")
        else:
            lines += ["<li>", *content, "</li>"]
    return [*lines, f"</{tag}>"]


_TocNode: TypeAlias = "tuple[_Entry, list[_TocNode]]"


def _toc(toc: TableOfContents, element_id: str, outline: Sequence[_Entry]) -> list[str]:
    """A nav with a nested list of links to the headings up to `toc.depth` levels.

    A heading goes under the nearest heading before it of a higher level, so a
    skipped level (a 3 right after a 1) still nests once.
    """
    depth = max(1, min(toc.depth, 3))
    root: list[_TocNode] = []
    stack: list[tuple[int, list[_TocNode]]] = [(0, root)]
    for entry in outline:
        if entry.level > depth:
            continue
        while stack[-1][0] >= entry.level:
            stack.pop()
        node: _TocNode = (entry, [])
        stack[-1][1].append(node)
        stack.append((entry.level, node[1]))
    lines = [f'<nav class="toc" aria-labelledby="{element_id}">',
             f'<p class="toc-title" id="{element_id}">{escape(toc.title)}</p>']
    return [*lines, *(_toc_list(root) if root else []), "</nav>"]


def _toc_list(nodes: Sequence[_TocNode]) -> list[str]:
    lines = ["<ol>"]
    for entry, children in nodes:
        item = (f'<li class="level-{entry.level}">'
                f'<a href="#{entry.target}">{_numbered(entry.number, entry.text)}</a>')
        if children:
            lines += [item, *_toc_list(children), "</li>"]
        else:
            lines.append(item + "</li>")
    return [*lines, "</ol>"]


def _inline(spans: Iterable[Span], anchors: Mapping[str, str]) -> str:
    """Spans as HTML: bold in strong, italic in em, links as a; a line break as br."""
    parts = []
    for span in _merged(spans):
        text = escape(span.text).replace("\n", "<br>\n")
        if span.italic:
            text = f"<em>{text}</em>"
        if span.bold:
            text = f"<strong>{text}</strong>"
        href = _href(span.link, anchors) if span.link is not None else None
        if href is not None:
            text = f'<a href="{escape(href)}">{text}</a>'
        parts.append(text)
    return "".join(parts).strip()


def _merged(spans: Iterable[Span]) -> list[Span]:
    merged: list[Span] = []
    for span in spans:
        if not span.text:
            continue
        if merged and (merged[-1].bold, merged[-1].italic, merged[-1].link) == (
                span.bold, span.italic, span.link):
            merged[-1] = Span(merged[-1].text + span.text, span.bold, span.italic, span.link)
        else:
            merged.append(span)
    return merged


def _href(link: str, anchors: Mapping[str, str]) -> str | None:
    """Where a link goes: an internal one to the id its anchor became; None (plain text)
    for an anchor nothing in the document has, or a scheme a browser would run."""
    if link.startswith("#"):
        target = anchors.get(link[1:])
        return f"#{target}" if target else None
    scheme = re.match(r"\s*([A-Za-z][A-Za-z0-9+.-]*:)", link)
    if scheme and scheme.group(1).lower() not in _SAFE_SCHEMES:
        return None
    return link


# -- Tables and charts ------------------------------------------------------------------


def _table(table: Table, number: int | None, element_id: str | None) -> list[str]:
    """The table with its caption and header row, its notes below, then its review note."""
    id_attr = f' id="{element_id}"' if element_id else ""
    lines = ['<div class="table-block">', f"<table{id_attr}>"]
    if number is not None and table.caption is not None:
        lines.append(f"<caption>Tabel {number}: {escape(table.caption)}</caption>")
    aligns = [' class="right"' if column.align == "right" else "" for column in table.columns]
    header = "".join(f'<th scope="col"{align}>{escape(column.label)}</th>'
                     for column, align in zip(table.columns, aligns, strict=True))
    lines += ["<thead>", f"<tr>{header}</tr>", "</thead>", "<tbody>"]
    lines += [_row(row, aligns) for row in table.rows]
    lines += ["</tbody>", "</table>"]
    lines += [f'<p class="note">{escape(note)}</p>' for note in table.notes if note]
    return [*lines, "</div>", *_review(table.review)]


def _row(row: Row, aligns: Sequence[str]) -> str:
    classes = [name for name, on in (("part", row.indent > 0), ("total", row.strong)) if on]
    cells = []
    for index, align in enumerate(aligns):
        text = escape(row.cells[index]) if index < len(row.cells) else ""
        if row.strong and text:
            text = f"<strong>{text}</strong>"
        style = f' style="padding-left: {0.6 + 1.25 * row.indent:g}em"' \
            if index == 0 and row.indent > 0 else ""
        cells.append(f"<td{align}{style}>{text}</td>")
    class_attr = f' class="{" ".join(classes)}"' if classes else ""
    return f"<tr{class_attr}>{''.join(cells)}</tr>"


def _chart(chart: Chart) -> list[str]:
    """The chart as a PNG with its alternative text; captioned "Grafiek: …" as in Word."""
    png = render_chart(chart)
    width, height = struct.unpack(">II", png[16:24])  # the IHDR chunk
    return ['<figure class="chart">',
            f'<img src="{_data_uri("image/png", png)}" alt="{escape(chart.alt_text)}" '
            f'width="{width}" height="{height}">',
            f"<figcaption>Grafiek: {escape(chart.caption)}</figcaption>", "</figure>"]


# -- The style sheet --------------------------------------------------------------------

# The house colours of the Word style (writers/docx/styles.py): deep blue for headings and
# table headers, dark grey text, muted grey for small print, red for the banner.
_STYLE = """
:root { --house: #1f4e79; --text: #262626; --muted: #595959; --rule: #bfbfbf;
  --line: #d9d9d9; --banner: #b22222; color-scheme: light; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: #fff; color: var(--text); font-size: 1.0625rem;
  line-height: 1.6; font-family: "Segoe UI", "Helvetica Neue", Arial, "Liberation Sans",
  "Noto Sans", sans-serif; }
header.title-page, main, footer.page-footer { max-width: 48rem; margin: 0 auto;
  padding: 0 1.5rem; }
a { color: var(--house); text-underline-offset: 0.15em; }
a:hover { text-decoration-thickness: 2px; }
a:focus-visible { outline: 3px solid var(--house); outline-offset: 2px; }
.skip-link { position: absolute; left: 1rem; top: -10rem; background: #fff; padding: 0.5rem 1rem;
  z-index: 2; }
.skip-link:focus { top: 1rem; }
.banner { position: sticky; top: 0; z-index: 1; margin: 0; padding: 0.35rem 1.5rem;
  background: var(--banner); color: #fff; text-align: center; font-size: 0.8125rem;
  font-weight: 700; letter-spacing: 0.16em; text-transform: uppercase; }
header.title-page { padding-top: 4rem; padding-bottom: 2.5rem; }
.title-page .logo { margin: 0 0 2.5rem; }
.title-page .logo img { max-width: 100%; height: auto; }
.organisation { margin: 0 0 2.5rem; padding-top: 0.9rem; border-top: 6px solid var(--house);
  color: var(--house); font-weight: 700; font-variant: small-caps; letter-spacing: 0.06em;
  font-size: 1.125rem; }
h1 { margin: 0 0 0.6rem; color: var(--house); font-size: 2.75rem; line-height: 1.15;
  letter-spacing: -0.01em; }
.subtitle { margin: 0 0 1.25rem; color: var(--muted); font-size: 1.375rem; line-height: 1.35; }
.period { margin: 0 0 2.5rem; color: var(--house); font-size: 1.25rem; }
.facts { margin: 0; border-top: 1px solid var(--rule); font-size: 0.9375rem;
  color: var(--muted); }
.facts div { display: grid; grid-template-columns: 10rem 1fr; gap: 1rem; padding: 0.35rem 0;
  border-bottom: 1px solid var(--rule); }
.facts dt { font-weight: 700; }
.facts dd { margin: 0; }
.adoption { margin: 0.75rem 0 0; color: var(--muted); font-style: italic;
  font-size: 0.9375rem; }
h2, h3, h4 { color: var(--house); line-height: 1.25; margin: 2.5rem 0 0.75rem; }
[id] { scroll-margin-top: 3rem; }  /* a link to a heading is not hidden by the banner */
h2 { font-size: 1.75rem; margin-top: 3.5rem; padding-bottom: 0.4rem;
  border-bottom: 2px solid var(--house); }
h3 { font-size: 1.3125rem; }
h4 { font-size: 1.0625rem; }
h2 .num, h3 .num, h4 .num { margin-right: 0.35em; font-variant-numeric: tabular-nums; }
p { margin: 0 0 1rem; }
p.lead { font-size: 1.1875rem; color: #404040; line-height: 1.55; }
p.note { font-size: 0.8125rem; color: var(--muted); margin: 0.4rem 0 0; }
ul, ol { margin: 0 0 1rem; padding-left: 1.5rem; }
li { margin: 0.2rem 0; }
li > p { margin: 0; }
li > ul, li > ol { margin: 0.2rem 0 0.4rem; }
.toc { margin: 1rem 0 2rem; padding: 1.25rem 1.5rem; background: #f4f7fa;
  border-left: 4px solid var(--house); }
.toc-title { margin: 0 0 0.5rem; color: var(--house); font-weight: 700; font-size: 0.875rem;
  letter-spacing: 0.1em; text-transform: uppercase; }
.toc ol { list-style: none; margin: 0; padding: 0; }
.toc ol ol { padding-left: 2.25rem; margin-bottom: 0.35rem; }
.toc li { margin: 0.15rem 0; }
.toc li.level-1 > a { font-weight: 600; }
.toc a { text-decoration: none; display: inline-flex; gap: 0.5rem; }
.toc a:hover { text-decoration: underline; }
.toc .num { display: inline-block; min-width: 1.75rem; color: var(--muted);
  font-variant-numeric: tabular-nums; }
.toc .level-1 > a .num { color: var(--house); }
.table-block { margin: 1.75rem 0; overflow-x: auto; }
table { width: 100%; border-collapse: collapse; font-size: 0.9375rem; line-height: 1.4;
  border-top: 2px solid var(--house); border-bottom: 2px solid var(--house); }
caption { caption-side: top; text-align: left; color: var(--house); font-weight: 700;
  padding-bottom: 0.5rem; }
th, td { padding: 0.4rem 0.6rem; vertical-align: top; text-align: left;
  overflow-wrap: break-word; }
thead th { background: var(--house); color: #fff; font-weight: 700;
  print-color-adjust: exact; -webkit-print-color-adjust: exact; }
tbody td { border-top: 1px solid var(--line); }
.right { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.total td { border-top: 1.5px solid #7f7f7f; }
figure.chart { margin: 2rem 0; }
figure.chart img { display: block; max-width: 100%; height: auto; }
figcaption { margin-top: 0.5rem; color: var(--house); font-weight: 700;
  font-size: 0.9375rem; }
aside.review { margin: 0.5rem 0 1.25rem; padding: 0.6rem 1rem; background: #fdf3e7;
  border-left: 4px solid #c55a11; font-size: 0.9375rem; }
aside.review p { margin: 0.2rem 0; }
aside.review strong { color: #8a3d0b; }
footer.page-footer { margin-top: 4rem; margin-bottom: 3rem; }
footer.page-footer p { margin: 0; padding-top: 0.6rem; border-top: 1px solid var(--rule);
  color: var(--muted); font-size: 0.8125rem; }
@media (max-width: 40rem) {
  body { font-size: 1rem; }
  h1 { font-size: 2.125rem; }
  .facts div { grid-template-columns: 1fr; gap: 0; }
  table { font-size: 0.8125rem; }
  th, td { padding: 0.35rem 0.4rem; }
}
@media print {
  @page { margin: 2cm 2.2cm; }
  body { font-size: 10.5pt; }
  header.title-page, main, footer.page-footer { max-width: none; padding: 0; }
  .skip-link { display: none; }
  .banner { position: static; background: none; color: var(--banner); text-align: right;
    padding: 0; }
  .title-page { break-after: page; }
  h2 { break-before: page; }
  h2, h3, h4, caption { break-after: avoid; }
  tr, figure, aside.review { break-inside: avoid; }
  .toc { background: none; border: 0; padding: 0; }
  .table-block { overflow: visible; }
  a { color: inherit; text-decoration: none; }
}
"""
