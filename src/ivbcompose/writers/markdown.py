"""The Markdown writer: the document IR as CommonMark/GFM, for reviewing changes in git.

It shows what the Word document says, not how it looks: the title block,
headings with the numbers Word will give them, paragraphs with emphasis and
links, nested lists, and tables as GFM pipe tables with their "Tabel N"
caption (a table without a caption gets no caption line and no number).
A renvooi's changes are marked as text in CriticMarkup, which reads in a plain
diff and which editors and pandoc filters know: `{++inserted++}` and
`{--deleted--}`, word by word inside paragraphs, headings and table cells, and
around every line of a block inserted or deleted as a whole. Deleted headings
get no number: the numbers are the new document's.
Output is stable: equal input gives equal text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from ..document import (
    Block,
    Change,
    Chart,
    Column,
    Document,
    Heading,
    ListBlock,
    PageBreak,
    Paragraph,
    Row,
    Span,
    Table,
    TableOfContents,
    TitlePage,
)
from . import heading_numbers, title_page_facts

__all__ = ["render_markdown"]

_REVIEW_LABEL = "Opmerking"
_LIST_SEPARATOR = "<!-- -->"  # keeps two adjacent lists from merging into one
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<~])")
_ENTITY = re.compile(r"&(#?[A-Za-z0-9]+;)")
# Line starts that would open a heading, quote, list or rule; and "2020. " (ordered list).
_LINE_START = re.compile(r"^(\s*)(?=[-+=](\s|$)|[-=]+\s*$|#{1,6}(\s|$)|>)")
_ORDINAL_START = re.compile(r"^(\s*\d{1,9})([.)])(?=\s|$)")
_MARKS: dict[Change, tuple[str, str]] = {"inserted": ("{++", "++}"), "deleted": ("{--", "--}")}


def render_markdown(document: Document) -> str:
    """The whole document as Markdown text, ending in one newline."""
    # A renvooi's deleted headings are shown, unnumbered and out of the contents.
    live = [block for block in document.blocks
            if isinstance(block, Heading) and block.change != "deleted"]
    numbers = dict(zip(map(id, live), heading_numbers(live), strict=True))
    headings = iter([(block, numbers.get(id(block))) for block in document.blocks
                     if isinstance(block, Heading)])
    outline = [(heading, numbers[id(heading)]) for heading in live]
    chunks = list(_title_block(document.title_page, document.banner))
    table_count = 0
    previous: Block | None = None
    for block in document.blocks:
        if isinstance(block, PageBreak):
            continue
        if isinstance(block, ListBlock) and isinstance(previous, ListBlock):
            chunks.append(_LIST_SEPARATOR)
        if isinstance(block, Heading):
            chunks.extend(_heading(*next(headings)))
        elif isinstance(block, Table):
            if block.caption is not None:
                table_count += 1
            chunks.extend(_table(block, table_count))
        elif isinstance(block, TableOfContents):
            chunks.extend(_toc(block, outline))
        elif isinstance(block, Chart):
            # Review in git reads the chart's words; its figures are in the table beside it.
            chunks.append(_marked(f"*Grafiek: {_escape(block.caption)}.* "
                                  f"{_escape(block.alt_text)}", block.change))
        else:
            chunks.extend(_block(block))
        previous = block
    return "\n\n".join(chunk for chunk in chunks if chunk) + "\n"


def _title_block(page: TitlePage, banner: str | None) -> Iterator[str]:
    if banner:
        yield f"**{_escape(banner)}**"
    if page.logo is not None:
        yield f"![{_escape(page.logo.alt_text)}]({_destination(page.logo.path)})"
    yield _escape(page.organisation, line_start=True)
    yield f"# {_escape(page.title)}"
    if page.subtitle:
        yield f"*{_escape(page.subtitle)}*"
    yield _escape(page.period, line_start=True)
    facts = title_page_facts(page)
    if facts:
        yield "\n".join(f"- {label}: {_escape(value)}" for label, value in facts)
    if page.adoption:
        yield f"*{_escape(page.adoption)}*"


def _toc(toc: TableOfContents, outline: Sequence[tuple[Heading, str | None]]) -> Iterator[str]:
    yield f"## {_escape(toc.title)}"
    lines = [
        "  " * (heading.level - 1) + "- " + _numbered(heading, number)
        for heading, number in outline if heading.level <= toc.depth
    ]
    if lines:
        yield "\n".join(lines)


def _heading(heading: Heading, number: str | None) -> Iterator[str]:
    # The document title is the only "#": chapters are "##".
    yield "#" * (heading.level + 1) + " " + _marked(_numbered(heading, number), heading.change)
    if heading.review:
        yield _review(heading.review)


def _numbered(heading: Heading, number: str | None) -> str:
    text = _inline(heading.marked) if heading.marked else _escape(heading.text)
    return f"{number} {text}" if number else text


def _marked(text: str, change: Change | None) -> str:
    """`text` inside the marks of `change`, line by line (a mark never spans lines)."""
    if change is None or not text:
        return text
    opening, closing = _MARKS[change]
    lines = []
    for line in text.split("\n"):
        # A hard line break ("\\" at the end) stays after the mark, or it would escape it.
        hard = "\\" if line.endswith("\\") and not line.endswith("\\\\") else ""
        core = line[:-1] if hard else line
        lines.append(f"{opening}{core}{closing}{hard}" if core.strip() else line)
    return "\n".join(lines)


def _review(text: str) -> str:
    # One quoted line per note, so several notes on one heading stay apart.
    return "\n>\n".join(f"> **{_REVIEW_LABEL}:** {_escape(line)}"
                         for line in text.splitlines())


def _block(block: Block) -> Iterator[str]:
    if isinstance(block, Paragraph):
        text = _marked(_inline(block.spans), block.change)
        if text:
            yield text
        if block.review:
            yield _review(block.review)
    elif isinstance(block, ListBlock):
        yield "\n".join(_list(block, block.change))
        if block.review:
            yield _review(block.review)


def _list(block: ListBlock, change: Change | None = None) -> list[str]:
    """The lines of a list; nested content is indented to its item's text.

    `change` marks the whole list; else its paragraphs carry their own.
    """
    loose = any(sum(isinstance(child, Paragraph) for child in item.blocks) > 1
                for item in block.items)
    lines: list[str] = []
    for index, item in enumerate(block.items, start=1):
        marker = f"{index}. " if block.ordered else "- "
        body = _item_lines(item.blocks, change)
        if loose and index > 1:
            lines.append("")
        if not body:
            lines.append(marker.rstrip())
            continue
        lines.append(marker + body[0])
        indent = " " * len(marker)
        lines.extend(indent + line if line else "" for line in body[1:])
    return lines


def _item_lines(blocks: Iterable[Paragraph | ListBlock],
                change: Change | None = None) -> list[str]:
    lines: list[str] = []
    previous: Paragraph | ListBlock | None = None
    for child in blocks:
        if isinstance(child, Paragraph):
            text = _marked(_inline(child.spans), change or child.change)
            if not text:
                continue
            if lines:
                lines.append("")
            lines.extend(text.split("\n"))
        else:
            if isinstance(previous, ListBlock):
                lines += ["", _LIST_SEPARATOR, ""]
            lines.extend(_list(child, change or child.change))
        previous = child
    return lines


def _table(table: Table, number: int) -> Iterator[str]:
    """Caption (unless the table has none), review note, the pipe table, its notes."""
    if table.caption is not None:
        caption = _inline(table.caption_marked) if table.caption_marked \
            else _escape(table.caption)
        yield _marked(f"**Tabel {number}:** {caption}", table.change)
    if table.review:
        yield _review(table.review)
    yield "\n".join(_pipe_table(table))
    if table.notes_marked:
        yield from filter(None, (_inline(note) for note in table.notes_marked))
        return
    for note in table.notes:
        if note:
            yield _marked(_escape(note, line_start=True), table.change)


def _pipe_table(table: Table) -> list[str]:
    """A GFM table padded into columns, numbers right-aligned."""
    columns = table.columns
    header = [_marked(_cell(column.label, column.marked), table.change) for column in columns]
    rows = [[_marked(_row_cell(row, index), table.change or row.change) for index in
             range(len(columns))] for row in table.rows]
    widths = [max(3, len(header[i]), *(len(row[i]) for row in rows)) for i in range(len(columns))]
    lines = [_pipe_line(header, columns, widths), _rule_line(columns, widths)]
    lines.extend(_pipe_line(row, columns, widths) for row in rows)
    return lines


def _row_cell(row: Row, index: int) -> str:
    marked = row.marked[index] if index < len(row.marked) else ()
    text = _cell(row.cells[index], marked) if index < len(row.cells) else ""
    if row.strong and text:
        text = f"**{text}**"
    if index == 0 and row.indent:
        text = "&emsp;" * row.indent + text
    return text


def _cell(text: str, marked: Sequence[Span] = ()) -> str:
    if marked:
        return " ".join(_inline(marked).split()).replace("|", "\\|")
    return _escape(" ".join(text.split())).replace("|", "\\|")


def _pipe_line(cells: Sequence[str], columns: Sequence[Column], widths: Sequence[int]) -> str:
    padded = [cell.rjust(width) if column.align == "right" else cell.ljust(width)
              for cell, column, width in zip(cells, columns, widths, strict=True)]
    return "| " + " | ".join(padded) + " |"


def _rule_line(columns: Sequence[Column], widths: Sequence[int]) -> str:
    rules = ["-" * (width - 1) + ":" if column.align == "right" else "-" * width
             for column, width in zip(columns, widths, strict=True)]
    return "| " + " | ".join(rules) + " |"


def _inline(spans: Iterable[Span]) -> str:
    """Spans as Markdown: runs with equal formatting merged, markers hugging the text."""
    parts: list[str] = []
    at_line_start = True
    for span in _merged(spans):
        text = span.text
        core = text.strip()
        if not core:
            parts.append(_marked(text, span.change) if span.change else text)
            continue
        lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()):]
        body = _escape(core, line_start=at_line_start and not lead)
        if span.link is not None:
            body = f"[{body}]({_destination(span.link)})"
        marker = "***" if span.bold and span.italic else "**" if span.bold else \
            "*" if span.italic else ""
        if span.change:
            opening, closing = _MARKS[span.change]
            parts.append(f"{opening}{lead}{marker}{body}{marker}{trail}{closing}")
        else:
            parts.append(f"{lead}{marker}{body}{marker}{trail}")
        at_line_start = text.endswith("\n")
    return "".join(parts).replace("\n", "\\\n").strip()


def _merged(spans: Iterable[Span]) -> list[Span]:
    merged: list[Span] = []
    for span in spans:
        if not span.text:
            continue
        last = merged[-1] if merged else None
        if last is not None and (last.bold, last.italic, last.link, last.change) == (
                span.bold, span.italic, span.link, span.change):
            merged[-1] = Span(last.text + span.text, span.bold, span.italic, span.link,
                              span.change)
        else:
            merged.append(span)
    return merged


def _escape(text: str, *, line_start: bool = False) -> str:
    """Backslash-escape what Markdown would otherwise read as markup."""
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    text = _ENTITY.sub(r"\\&\1", text)
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if index or line_start:
            line = _LINE_START.sub(r"\1\\", line)
            lines[index] = _ORDINAL_START.sub(r"\1\\\2", line)
    return "\n".join(lines)


def _destination(url: str) -> str:
    if re.search(r"[\s()<>]", url):
        return "<" + url.replace(">", "%3E").replace("<", "%3C") + ">"
    return url
