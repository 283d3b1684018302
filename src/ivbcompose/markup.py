"""Markdown text fields → IR paragraphs and lists, with markdown-it-py (CommonMark).

Text fields allow paragraphs, **bold**, *italic*, bullet and numbered lists and
links. A heading inside a text field would break the document's own heading
structure (and its accessibility), so it is written as a bold paragraph.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .document import TYPED_LIST_MARKER, ListBlock, ListItem, Paragraph, Span

__all__ = ["TYPED_LIST_PROBLEM", "markdown_blocks", "markup_problems", "plain_text_problems"]

TYPED_LIST_PROBLEM = ("a list is typed with bullet or number characters",
                      "in a text with paragraphs, start each list item on its own line with "
                      "'- '; a title, name or table cell cannot hold a list")




@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"typographer": False})


def markdown_blocks(text: str) -> tuple[Paragraph | ListBlock, ...]:
    """The paragraphs and lists of one Markdown text."""
    if not text.strip():
        return ()
    tokens = _parser().parse(text)
    blocks, _ = _blocks(tokens, 0, closing=None)
    return tuple(blocks)


def markup_problems(text: str) -> list[tuple[str, str]]:
    """What a text field uses that the documents cannot show, as (message, hint) pairs.

    Images and HTML would silently disappear from the document; bullets typed
    as characters (pasted from Word) would be paragraphs, not a list.
    """
    if not text.strip():
        return []
    found: list[tuple[str, str]] = []
    for token in _parser().parse(text):
        children = token.children or []
        if token.type == "html_block" or any(c.type == "html_inline" for c in children):
            found.append(("HTML is not supported in a text",
                          "write Markdown: **vet**, *cursief*, '- ' for a list item"))
        if any(c.type == "image" for c in children):
            found.append(("images are not supported in a text",
                          "a logo belongs under 'municipality: logo:'; other images are not "
                          "supported yet"))
        if token.type == "inline" and any(TYPED_LIST_MARKER.match(line)
                                          for line in token.content.splitlines()):
            found.append(TYPED_LIST_PROBLEM)
    return list(dict.fromkeys(found))


def plain_text_problems(text: str) -> list[tuple[str, str]]:
    """What a plain (non-Markdown) text uses that the documents cannot show."""
    return [TYPED_LIST_PROBLEM] if TYPED_LIST_MARKER.match(text) else []


def _blocks(tokens: Sequence[Token], start: int,
            closing: str | None) -> tuple[list[Paragraph | ListBlock], int]:
    """Blocks from `start` until the token of type `closing`; returns them and the next index."""
    blocks: list[Paragraph | ListBlock] = []
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
        elif token.type in ("fence", "code_block"):
            blocks.append(Paragraph((Span(token.content.rstrip("\n")),)))
            index += 1
        else:
            # blockquote, hr, html: keep their inner text, drop the decoration
            if token.type == "inline":
                blocks.append(Paragraph(_spans(token.children or [])))
            index += 1
    return blocks, index


def _items(tokens: Sequence[Token], start: int, closing: str) -> tuple[list[ListItem], int]:
    items: list[ListItem] = []
    index = start
    while tokens[index].type != closing:
        assert tokens[index].type == "list_item_open"
        blocks, index = _blocks(tokens, index + 1, closing="list_item_close")
        items.append(ListItem(tuple(blocks)))
    return items, index + 1


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
