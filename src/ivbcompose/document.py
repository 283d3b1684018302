"""The document IR: what a finished IVB document consists of, independent of format.

The layout stage builds these values from the content model; every writer
(Word, Markdown) reads them. The IR plays the role of pandoc's AST: it imports
nothing from the writers and knows nothing about YAML. All text in it is final,
reader-facing Dutch: numbers and dates are already formatted.

Everything here is a frozen dataclass holding tuples, so an IR value can be
shared, compared and hashed safely.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, TypeAlias

__all__ = [
    "CHART_LINES",
    "TYPED_LIST_MARKER",
    "Block",
    "Change",
    "Chart",
    "Column",
    "Document",
    "Heading",
    "Image",
    "ListBlock",
    "ListItem",
    "Metadata",
    "PageBreak",
    "Paragraph",
    "Row",
    "Span",
    "Table",
    "TableOfContents",
    "TitlePage",
]


# A list item is a ListItem, never a paragraph that starts with a typed bullet
# or number ("• ", "- ", "* ", "1. ", "2) "): screen readers would not announce
# a list. Layout refuses such text at its YAML position and the Word writer's
# audit checks the result, both with this one definition. Letters ("a.") are
# left out on purpose: Dutch text starts with initials ("J. de Vries").
TYPED_LIST_MARKER = re.compile(r"^\s*(?:[•◦▪▫■□●○·‣⁃∙–—*+-]|\(?\d{1,2}[.)])\s+\S")


# A renvooi (a document compared with an earlier version) marks what was inserted
# and what was deleted; `change` is None everywhere else, and on everything that
# stayed. A block's `change` covers all of it; inside a block that both versions
# have, spans and table rows carry their own (see `renvooi`).
Change: TypeAlias = Literal["inserted", "deleted"]


@dataclass(frozen=True)
class Span:
    """A run of inline text with uniform formatting.

    `link` makes it a hyperlink: a URL, or `#anchor` for a link to the heading
    or table with that anchor inside the document. `change` marks words a
    renvooi inserted or deleted.
    """

    text: str
    bold: bool = False
    italic: bool = False
    link: str | None = None
    change: Change | None = None


@dataclass(frozen=True)
class Heading:
    """A chapter (level 1) or section (level 2, 3) heading.

    Levels are 1 to 3. `numbered` headings are numbered by the writer
    ("2.1"); an appendix uses `numbered=False`. `anchor` is the content id,
    usable as a bookmark name. `review` (on headings, paragraphs, lists and
    tables) is a note for the regional team's review of local differences,
    in Dutch; writers show it as a comment, never as body text.

    In a renvooi, `marked` holds the heading's words with their insertions and
    deletions when the wording changed (`text` is the new wording), and
    `change` marks a heading that was inserted or deleted as a whole.
    """

    level: int
    text: str
    anchor: str | None = None
    numbered: bool = True
    review: str | None = None
    marked: tuple[Span, ...] = ()
    change: Change | None = None


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph.

    `style` picks a paragraph role, not a font: "body" for running text, "lead"
    for an introductory paragraph, "note" for small print under a table.
    `review` carries a note for reviewers when the build marks local changes.
    """

    spans: tuple[Span, ...]
    style: Literal["body", "lead", "note"] = "body"
    review: str | None = None
    change: Change | None = None


@dataclass(frozen=True)
class ListItem:
    """One list item: its own paragraphs and, possibly, a nested list."""

    blocks: tuple[Paragraph | ListBlock, ...]


@dataclass(frozen=True)
class ListBlock:
    """A bullet list or a numbered list."""

    items: tuple[ListItem, ...]
    ordered: bool = False
    review: str | None = None
    change: Change | None = None


@dataclass(frozen=True)
class Column:
    """A table column: its header label and how its cells align.

    `marked`: the label's words with a renvooi's changes, when they changed.
    """

    label: str
    align: Literal["left", "right"] = "left"
    marked: tuple[Span, ...] = ()


@dataclass(frozen=True)
class Row:
    """A table row of already formatted cell texts.

    `indent` > 0 marks a row that is a part of the row above it (shown indented);
    `strong` marks a total row. In a renvooi, `change` marks a row inserted or
    deleted as a whole, and `marked` holds, for a row whose cells changed, every
    cell's words with their changes (`cells` are the new texts).
    """

    cells: tuple[str, ...]
    indent: int = 0
    strong: bool = False
    change: Change | None = None
    marked: tuple[tuple[Span, ...], ...] = ()


@dataclass(frozen=True)
class Table:
    """A table with one header row and, usually, a caption.

    The caption is written without its number: the writer adds "Tabel N: ".
    A table without a caption (`None`, e.g. a pipe table in a text without a
    "Tabel: …" line) gets no caption line and no number: only captioned tables
    are counted. `notes` are short texts shown under the table (sources,
    pending figures). In a renvooi, `change` marks a table inserted or deleted
    as a whole; `caption_marked` and `notes_marked` hold the caption's and the
    notes' words with their changes when they changed (every note, deleted
    ones included, in order).
    """

    caption: str | None
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    notes: tuple[str, ...] = ()
    anchor: str | None = None
    review: str | None = None
    change: Change | None = None
    caption_marked: tuple[Span, ...] = ()
    notes_marked: tuple[tuple[Span, ...], ...] = ()


@dataclass(frozen=True)
class Image:
    """An image file (an absolute path) with its (required) alternative text."""

    path: str
    alt_text: str
    width_cm: float = 4.0


# At most this many lines in a chart: more cannot be told apart. The writers' palette has
# a colour and a marker for each (writers/charts.py).
CHART_LINES = 5


@dataclass(frozen=True)
class Chart:
    """A line chart of figures per year, drawn by the writer; the table it belongs to stays
    beside it, so nothing is only in the picture.

    `alt_text` states the main figures in words; `series` are (label, values),
    one value (or None) per entry of `categories`.
    """

    caption: str
    alt_text: str
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[float | None, ...]], ...]
    y_label: str = ""
    width_cm: float = 15.0
    change: Change | None = None


@dataclass(frozen=True)
class TitlePage:
    """The cover: who publishes what, for which period, in which state."""

    organisation: str
    title: str
    subtitle: str | None
    period: str
    status: str
    version: str
    date: str
    adoption: str | None = None
    logo: Image | None = None
    prepared_by: str | None = None
    # In a renvooi: the earlier version's title page, so the cover's changes are tracked too.
    earlier: TitlePage | None = None


@dataclass(frozen=True)
class TableOfContents:
    """Where the table of contents goes; the writer collects the headings."""

    title: str = "Inhoud"
    depth: int = 2


@dataclass(frozen=True)
class PageBreak:
    """Start the next block on a new page.

    `min_fill` (0 to 1) makes the break depend on the page: a writer that lays
    out pages leaves it out when the page it would end is filled less than that
    fraction, so a short chapter never leaves a near-empty page behind. Writers
    without pages ignore every page break.
    """

    min_fill: float = 0.0


Block: TypeAlias = Heading | Paragraph | ListBlock | Table | Chart | TableOfContents | PageBreak


@dataclass(frozen=True)
class Metadata:
    """Document properties: what a file browser, a screen reader and search see."""

    title: str
    subject: str
    author: str
    keywords: tuple[str, ...] = ()
    language: str = "nl-NL"
    status: str = ""
    version: str = ""


@dataclass(frozen=True)
class Document:
    """A whole document: properties, cover, body blocks.

    `banner` is a short label repeated in every page header (e.g. "CONCEPT");
    `footer` is the text beside the page number.
    """

    metadata: Metadata
    title_page: TitlePage
    blocks: tuple[Block, ...]
    banner: str | None = None
    footer: str = ""
