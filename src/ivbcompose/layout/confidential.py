"""How an internal document shows what is confidential: marked where it is, and on every page.

A public composition holds no confidential item (see `confidential.py`), so
nothing here changes a public document. In an internal one every confidential
item is marked where a reader meets it: an item with a name (a chapter's or
section's heading, a priority, a measure, a partner, a planning row, a crime
row or table) gets "(vertrouwelijk)" after its name, wherever the name is
shown (the heading, the table of contents, a table); a block, which has no
name of its own, is preceded by a "Vertrouwelijk" line. The page header of
every page says "VERTROUWELIJK" (the banner, beside "CONCEPT"), so no page
printed or copied from the document reads as public.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Protocol

from pydantic import BaseModel

from ..confidential import FIELD, holds_confidential, rebuilt
from ..differences import Difference
from ..document import Block, Paragraph, Span
from ..model import BlockModel, Ivb, items_by_id, naming_fields

__all__ = ["BANNER", "NAME_MARK", "MarkedBlocks", "banner", "marked", "marked_differences",
           "note"]

BANNER = "VERTROUWELIJK"
NAME_MARK = " (vertrouwelijk)"


class _Blocks(Protocol):
    def lay_out(self, block: BlockModel, ctx: Any) -> list[Block]: ...


def banner(status: str | None, ivb: Ivb, internal: bool) -> str | None:
    """The page header of the document: "VERTROUWELIJK" when it is an internal document or
    holds a confidential item (whichever way it was laid out), before its status."""
    if not (internal or holds_confidential(ivb)):
        return status
    return f"{BANNER} – {status}" if status else BANNER


def note() -> Paragraph:
    """The line above a confidential block."""
    return Paragraph((Span("Vertrouwelijk", bold=True),
                      Span(" – alleen voor intern gebruik, niet openbaar.")), style="note")


class MarkedBlocks:
    """A block layout that puts the "Vertrouwelijk" line above every confidential block."""

    def __init__(self, blocks: _Blocks) -> None:
        self._blocks = blocks

    def lay_out(self, block: BlockModel, ctx: Any) -> list[Block]:
        laid_out = self._blocks.lay_out(block, ctx)
        return [note(), *laid_out] if getattr(block, FIELD, False) is True else laid_out


def marked(ivb: Ivb) -> Ivb:
    """The document with "(vertrouwelijk)" after the name of every confidential item."""
    if not holds_confidential(ivb):
        return ivb
    return rebuilt(ivb, keep=lambda value: True, finish=_name_marked)


def marked_differences(found: tuple[Difference, ...], ivb: Ivb) -> tuple[Difference, ...]:
    """The differences with "(vertrouwelijk)" after the label of each one about a
    confidential item or about something inside one, as the appendix lists them."""
    if not holds_confidential(ivb):
        return found
    secret: set[str] = set()
    for item in items_by_id(ivb).values():
        if getattr(item, FIELD, False) is True:
            secret.update(items_by_id(item))
    return tuple(replace(d, label=d.label + NAME_MARK)
                 if d.concerns & secret else d for d in found)


def _name_marked(model: BaseModel, updates: dict[str, Any]) -> dict[str, Any]:
    if getattr(model, FIELD, False) is True and not isinstance(model, BlockModel):
        for name in naming_fields((type(model),))[:1]:
            shown = getattr(model, name)
            if isinstance(shown, str):
                updates[name] = shown + NAME_MARK
    return updates
