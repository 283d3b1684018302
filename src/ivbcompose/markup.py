"""Markdown text fields → IR paragraphs, lists and tables, with markdown-it-py.

Text fields (CommonMark) allow paragraphs, **bold**, *italic*, bullet and
numbered lists, links and GFM pipe tables. A table's caption follows pandoc's convention: a
paragraph directly after the table that starts with "Tabel:" (or "Table:");
without one the table has no caption (and no "Tabel N" number).

What a text cannot hold (a heading would break the document's own heading
structure and its accessibility; block quotes, rules, code, HTML, images,
ragged tables, a table in a list) is reported by `markup_problems` before
layout. `markdown_blocks` still never fails on it: a heading becomes a bold
paragraph, a quote its paragraphs, code a plain paragraph, a rule nothing, and
a table inside a list item one paragraph per row.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .document import (
    TYPED_LIST_MARKER,
    Column,
    ListBlock,
    ListItem,
    Paragraph,
    Row,
    Span,
    Table,
)
from .i18n import Message, ntr, tr

__all__ = ["TYPED_LIST_PROBLEM", "has_table", "markdown_blocks", "markup_problems",
           "plain_text_problems"]

TYPED_LIST_PROBLEM = (tr("a list is typed with bullet or number characters"),
                      tr("in a text with paragraphs, start each list item on its own line with "
                         "'- '; a title, name or table cell cannot hold a list"))

# pandoc's table caption: a paragraph right after the table, "Table: …" (here also "Tabel: …").
_CAPTION = re.compile(r"(?:tabel|table):", re.IGNORECASE)

_HINTS: dict[str, Message] = {
    "heading": tr("a line starting with '#', or underlined with '---' or '===', is a heading; "
                  "a text cannot hold one: use a section with its own title in the outline "
                  "instead, or write the words as a sentence or in **vet**"),
    "blockquote": tr("remove the '>' at the start of the line; quote in the running text "
                     "with quotation marks instead"),
    "hr": tr("remove the line of dashes or stars; sections and paragraphs already separate "
             "the text"),
    "code_block": tr("remove the indentation: a line indented by four spaces or more is shown "
                     "as code; in YAML, indent every line of the text equally"),
    "fence": tr("remove the ``` or ~~~ lines around the text: they make it a code block"),
    "ragged": tr("give every row as many cells as the header, each between '|' characters; "
                 "leave a cell empty as '| |' and write '\\|' for a '|' inside a cell"),
    "caption": tr("put the 'Tabel: …' paragraph directly after its table, after an empty "
                  "line; the document shows it above the table as 'Tabel N: …'"),
    "table_in_list": tr("end the list with an empty line and start the table at the beginning "
                        "of a line, not indented under a list item"),
}


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"typographer": False}).enable("table")


# A shared text is laid out in every member's document; its blocks are immutable, so it is
# parsed once per process (a bound, not a store: a command has a few hundred texts).
@lru_cache(maxsize=4096)
def markdown_blocks(text: str) -> tuple[Paragraph | ListBlock | Table, ...]:
    """The paragraphs, lists and tables of one Markdown text."""
    if not text.strip():
        return ()
    tokens = _parser().parse(text)
    blocks, _ = _blocks(tokens, 0, closing=None)
    return tuple(blocks)


def has_table(text: str) -> bool:
    """Whether a Markdown text holds a (pipe) table."""
    if "|" not in text:  # every table has one; most texts are then not parsed at all
        return False
    return any(token.type == "table_open" for token in _parser().parse(text))


def markup_problems(text: str) -> list[tuple[str, str]]:
    """What a text field uses that the documents cannot show, as (message, hint) pairs.

    Images and HTML would silently disappear from the document; bullets typed
    as characters (pasted from Word) would be paragraphs, not a list; headings,
    block quotes, rules and code have no place in a policy text; a table row
    with more or fewer cells than its header would be cut or padded silently.
    Problems on a line of their own name it: "(line 3 of the text)".
    """
    if not text.strip():
        return []
    found: list[tuple[str, str]] = []
    tokens = _parser().parse(text)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    in_item = 0
    for index, token in enumerate(tokens):
        children = token.children or []
        where = _line_note(token)
        if token.type == "html_block" or any(c.type == "html_inline" for c in children):
            found.append((tr("HTML is not supported in a text"),
                          tr("write Markdown: **vet**, *cursief*, '- ' for a list item")))
        if any(c.type == "image" for c in children):
            found.append((tr("images are not supported in a text"),
                          tr("a logo belongs under 'municipality: logo:'; other images are not "
                             "supported yet")))
        if token.type == "inline" and any(TYPED_LIST_MARKER.match(line)
                                          for line in token.content.splitlines()):
            found.append(TYPED_LIST_PROBLEM)
        match token.type:
            case "list_item_open":
                in_item += 1
            case "list_item_close":
                in_item -= 1
            case "heading_open":
                found.append((tr("a heading is not supported in a text{where}", where=where),
                              _HINTS["heading"]))
            case "blockquote_open":
                found.append((tr("a block quote ('>') is not supported in a text{where}",
                                 where=where),
                              _HINTS["blockquote"]))
            case "hr":
                found.append((tr("a horizontal rule is not supported in a text{where}",
                                 where=where),
                              _HINTS["hr"]))
            case "code_block" | "fence":
                found.append((tr("a code block is not supported in a text{where}", where=where),
                              _HINTS[token.type]))
            case "paragraph_open" if _CAPTION.match(tokens[index + 1].content) and (
                    index == 0 or tokens[index - 1].type != "table_close"
                    or tokens[index - 1].level != token.level):
                found.append((tr("a table caption ('Tabel: …') does not follow a table{where}",
                                 where=where),
                              _HINTS["caption"]))
            case "table_open":
                if in_item:
                    found.append((tr("a table inside a list item is not supported{where}",
                                     where=where),
                                  _HINTS["table_in_list"]))
                found.extend(_ragged_rows(tokens, index, lines))
    return list(dict.fromkeys(found))


_CURLY_QUOTED = re.compile(r"^\s*[“‘„‚].*[”’“‘]\s*$", re.DOTALL)
CURLY_QUOTES_PROBLEM = (tr("the whole text is between curly quotes (“ ”), which would be "
                           "printed"),
                        tr("leave the quotes out, or use straight quotes (\") to quote a text "
                           "in YAML"))


def plain_text_problems(text: str) -> list[tuple[str, str]]:
    """What a plain (non-Markdown) text uses that the documents cannot show, or shows
    otherwise than meant: typed bullets, and a title pasted from Word with its quotes."""
    found = [TYPED_LIST_PROBLEM] if TYPED_LIST_MARKER.match(text) else []
    if _CURLY_QUOTED.match(text):
        found.append(CURLY_QUOTES_PROBLEM)
    return found


def _line_note(token: Token) -> str:
    return tr(" (line {line} of the text)", line=token.map[0] + 1) if token.map else ""


def _ragged_rows(tokens: Sequence[Token], start: int,
                 lines: Sequence[str]) -> Iterator[tuple[str, str]]:
    """A problem per body row whose source line has more or fewer cells than the header.

    markdown-it pads a short row and cuts a long one to the header's width, so
    the cells are counted on the row's own line (found through the token's map).
    """
    header = 0
    row = 0
    in_body = False
    for token in _table_tokens(tokens, start):
        if token.type == "th_open":
            header += 1
        elif token.type == "tbody_open":
            in_body = True
        elif token.type == "tr_open" and in_body and token.map:
            row += 1
            count = _cell_count(lines[token.map[0]] if token.map[0] < len(lines) else "")
            if count != header:
                yield (ntr("row {row} of the table has {n} cell, its header has {header}{where}",
                           "row {row} of the table has {n} cells, its header has "
                           "{header}{where}", count, row=row, header=header,
                           where=_line_note(token)), _HINTS["ragged"])


def _cell_count(line: str) -> int:
    """The cells of one table row, split as markdown-it splits them.

    Pipes split cells unless escaped ('\\|'); an empty cell before a leading or
    after a trailing pipe does not count. Container marks before the row
    (indentation, a block quote's '>') are skipped: a row cannot start with
    '>' itself, that would end the table.
    """
    cells = [""]
    escaped = False
    for char in line.lstrip(" \t>").rstrip():
        if char == "|" and not escaped:
            cells.append("")
        else:
            cells[-1] += char
        escaped = char == "\\"
    if cells[0] == "":
        cells.pop(0)
    if cells and cells[-1] == "":
        cells.pop()
    return len(cells)


def _table_tokens(tokens: Sequence[Token], start: int) -> Iterator[Token]:
    """The tokens of the table that opens at `start`, up to (not including) its close."""
    for token in tokens[start + 1:]:
        if token.type == "table_close":
            return
        yield token


def _blocks(tokens: Sequence[Token], start: int,
            closing: str | None) -> tuple[list[Paragraph | ListBlock | Table], int]:
    """Blocks from `start` until the token of type `closing`; returns them and the next index."""
    blocks: list[Paragraph | ListBlock | Table] = []
    index = start
    while index < len(tokens):
        token = tokens[index]
        if token.type == closing:
            return blocks, index + 1
        if token.type in ("paragraph_open", "heading_open"):
            inline = tokens[index + 1]
            bold = token.type == "heading_open"
            spans = _spans(inline.children or [], bold=bold)
            if "".join(span.text for span in spans).strip():  # &nbsp; alone is no paragraph
                blocks.append(Paragraph(spans))
            index += 3
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            ordered = token.type == "ordered_list_open"
            items, index = _items(tokens, index + 1, token.type.replace("_open", "_close"))
            blocks.append(ListBlock(tuple(items), ordered))
        elif token.type == "table_open":
            table, index = _table(tokens, index)
            blocks.append(table)
        elif token.type in ("fence", "code_block"):
            blocks.append(Paragraph((Span(token.content.rstrip("\n")),)))
            index += 1
        else:
            # blockquote, hr, html: keep their inner text, drop the decoration
            if token.type == "inline":
                blocks.append(Paragraph(_spans(token.children or [])))
            index += 1
    return blocks, index


def _table(tokens: Sequence[Token], start: int) -> tuple[Table, int]:
    """The table opening at `start`, with the caption paragraph after it; and the next index."""
    columns: list[Column] = []
    rows: list[Row] = []
    cells: list[str] = []
    index = start + 1
    while tokens[index].type != "table_close":
        token = tokens[index]
        if token.type in ("th_open", "td_open"):
            text = _plain(tokens[index + 1])
            if token.type == "th_open":
                style = str(token.attrs.get("style", ""))
                columns.append(Column(text, "right" if style.endswith("right") else "left"))
            else:
                cells.append(text)
        elif token.type == "tr_close" and cells:
            rows.append(Row(tuple(cells)))
            cells = []
        index += 1
    index += 1
    caption: str | None = None
    if (index + 2 < len(tokens) and tokens[index].type == "paragraph_open"
            and tokens[index].level == tokens[start].level
            and (found := _CAPTION.match(tokens[index + 1].content))):
        caption = _plain(tokens[index + 1])[found.end():].strip() or None
        index += 3
    return Table(caption, tuple(columns), tuple(rows)), index


def _plain(inline: Token) -> str:
    """The text of an inline token, formatting dropped, whitespace collapsed."""
    return " ".join("".join(span.text for span in _spans(inline.children or [])).split())


def _items(tokens: Sequence[Token], start: int, closing: str) -> tuple[list[ListItem], int]:
    items: list[ListItem] = []
    index = start
    while tokens[index].type != closing:
        assert tokens[index].type == "list_item_open"
        blocks, index = _blocks(tokens, index + 1, closing="list_item_close")
        items.append(ListItem(tuple(_in_item(blocks))))
    return items, index + 1


def _in_item(blocks: Sequence[Paragraph | ListBlock | Table]) -> Iterator[Paragraph | ListBlock]:
    """A list item's blocks; it holds no table (refused by markup_problems), so rows become
    paragraphs."""
    for block in blocks:
        if not isinstance(block, Table):
            yield block
            continue
        for cells in ([column.label for column in block.columns],
                      *(row.cells for row in block.rows)):
            if any(cells):
                yield Paragraph((Span(" | ".join(cells)),))
        if block.caption:
            yield Paragraph((Span(block.caption),))


def _spans(children: Sequence[Token], bold: bool = False) -> tuple[Span, ...]:
    spans: list[Span] = []
    strong = 1 if bold else 0
    emphasis = 0
    link: str | None = None
    for child in children:
        match child.type:
            case "strong_open":
                strong += 1
            case "strong_close":
                strong -= 1
            case "em_open":
                emphasis += 1
            case "em_close":
                emphasis -= 1
            case "link_open":
                link = str(child.attrs.get("href", ""))
            case "link_close":
                link = None
            case "softbreak":
                spans.append(Span(" ", strong > 0, emphasis > 0, link))
            case "hardbreak":
                spans.append(Span("\n", strong > 0, emphasis > 0, link))
            case "text" | "code_inline" | "html_inline":
                spans.append(Span(child.content, strong > 0, emphasis > 0, link))
    return _merge(spans)


def _merge(spans: list[Span]) -> tuple[Span, ...]:
    """Join neighbouring spans with the same formatting, so Word gets fewer runs."""
    merged: list[Span] = []
    for span in spans:
        if merged and (merged[-1].bold, merged[-1].italic, merged[-1].link) == \
                (span.bold, span.italic, span.link):
            merged[-1] = Span(merged[-1].text + span.text, span.bold, span.italic, span.link)
        else:
            merged.append(span)
    return tuple(merged)
