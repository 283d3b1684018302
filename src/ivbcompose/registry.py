"""The content block types: the YAML `type` of each, its model and its layout function.

This is the one place a block type is registered. Adding a type is its model
(in `model/blocks.py`), its layout function (in `layout/blocks.py`) and one
line in `BLOCK_TYPES`; the overlay, explain, drift, compare and the appendix
work on any item with an id, whatever its type.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Union

from pydantic import Field

from .document import Block
from .layout import blocks as lay
from .layout import cycle, figures, policy
from .model import blocks as content
from .model import complete_models

__all__ = ["BLOCK_TYPES", "BlockType", "BlockTypes"]


@dataclass(frozen=True)
class BlockType:
    """One block type: its model (whose `type` literal is its YAML name) and layout function."""

    model: type[content.BlockModel]
    lay_out: Callable[[Any, lay.BlockContext], list[Block]]

    @property
    def name(self) -> str:
        annotation = self.model.model_fields["type"].annotation
        return str(annotation.__args__[0])  # type: ignore[union-attr]


@dataclass(frozen=True)
class BlockTypes:
    """The registered block types, by name and by model."""

    types: tuple[BlockType, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.types)

    def union(self) -> Any:
        """The annotation a list of blocks is validated with: one model per `type`."""
        return Annotated[Union[tuple(t.model for t in self.types)],  # noqa: UP007
                         Field(discriminator="type")]

    def lay_out(self, block: content.BlockModel, ctx: lay.BlockContext) -> list[Block]:
        for block_type in self.types:
            if isinstance(block, block_type.model):
                return block_type.lay_out(block, ctx)
        raise KeyError(f"block type {block.type!r} is not registered")


BLOCK_TYPES = BlockTypes((
    BlockType(content.TextBlock, lay.text),
    BlockType(content.ListBlock, lay.list_block),
    BlockType(content.TableBlock, lay.table),
    BlockType(content.Planning, lay.planning),
    BlockType(content.Partners, lay.partners),
    BlockType(content.CrimeFigures, lay.crime_figures),
    BlockType(content.FocusAreas, lay.focus_areas),
    BlockType(content.RelatedSubjects, lay.related_subjects),
    BlockType(content.Velden, policy.velden),
    BlockType(content.Finances, policy.finances),
    BlockType(content.YearProgramme, cycle.year_programme),
    BlockType(content.ProgressReport, cycle.progress_report),
    BlockType(content.Figures, figures.figures),
    BlockType(content.Bbv, figures.bbv),
))

complete_models(BLOCK_TYPES.union())
