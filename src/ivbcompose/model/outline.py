"""The outline of a document: chapters and sections, in order, holding text and blocks.

Nothing here knows a chapter by name: the shared part writes the chapters,
their titles and their order. A chapter is a level-1 heading; its sections
are level 2 and theirs level 3, the deepest a document has.

`Section.blocks` holds typed content blocks. Which types exist is not known
here: `layout/registry.py` names them and completes these models with
`complete_models`, so a new block type never touches this module.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from pydantic import Field, model_validator

from ..i18n import tr
from .base import Base, Id, Item, Label, LocatedError, Markdown, Plain
from .blocks import BlockModel, FocusArea, FocusAreas
from .figures import FigureFile
from .kinds import Kind, Progress
from .meta import Basisteam, DocumentMeta, Municipality

__all__ = ["MAX_LEVEL", "Chapter", "Ivb", "Section", "complete_models"]

MAX_LEVEL = 3


class Section(Item):
    """A titled part of a chapter: text, blocks, then its own sections."""

    id: Id
    title: Annotated[Plain, Label("titel", names_item=True)]
    intro: Annotated[Markdown, Label("inleiding")] = ""
    body: Annotated[Markdown, Label("tekst")] = ""
    blocks: Annotated[list[Block], Label("inhoud")] = Field(default_factory=list)  # type: ignore[name-defined]  # noqa: F821
    sections: Annotated[list[Section], Label("paragrafen")] = Field(default_factory=list)


class Chapter(Section):
    """A chapter. `required: true` (set in the shared part) means no municipality removes it."""

    required: bool = False


class Ivb(Base):
    """A whole composed document: shared part with one municipality's changes applied."""

    # The municipality comes before the basisteam: a mistake in its own file is
    # then named as the municipality's, not as a member's.
    municipality: Municipality
    document: DocumentMeta
    basisteam: Basisteam
    chapters: Annotated[list[Chapter], Label("hoofdstukken")] = Field(min_length=1)
    kinds: Annotated[list[Kind], Label("soorten documenten")] = Field(default_factory=list)
    progress: Annotated[list[Progress], Label("voortgang")] = Field(default_factory=list)
    # Imported figures of every member and of Nederland (figures/store.py), by composing.
    figures: list[FigureFile] = Field(default_factory=list)

    # Which kind this document is, and the policy's own chapters when the kind shows other
    # ones (an uitvoeringsprogramma lists the policy's measures): set by composing (see
    # kinds.py), never in the YAML.
    kind_id: Id | None = None
    policy_chapters: list[Chapter] = Field(default_factory=list)

    @property
    def kind(self) -> Kind | None:
        """The kind this document is (None when the project defines no kinds)."""
        found = [k for k in self.kinds if k.id == self.kind_id]
        return found[0] if found else (self.kinds[0] if self.kinds else None)

    def progress_of(self, year: int) -> Progress | None:
        return next((p for p in self.progress if p.year == year), None)

    @model_validator(mode="after")
    def _depth(self) -> Ivb:
        for chapter in self.chapters:
            _check_depth(chapter, 1)
        return self

    @model_validator(mode="after")
    def _years_in_period(self) -> Ivb:
        years = self.document.years
        period = self.document.period
        for index, report in enumerate(self.progress):
            if report.year not in years:
                raise LocatedError(tr("progress for {year} is outside the period {period}",
                                      year=report.year, period=str(period)),
                                   ("progress", index, "year"),
                                   tr("a progress file is named after a year of the period "
                                      "({start} to {end}): rename the file, or remove it",
                                      start=period.start, end=period.end))
        for path, area in self.priorities():
            for index, measure in enumerate(area.measures):
                at = (*path, "measures", index)
                found = [(("years", i), y) for i, y in enumerate(measure.years)]
                found += [(("when",), q.year) for q in measure.quarters]
                found += [(("costs", i, "year"), c.year) for i, c in enumerate(measure.costs)
                          if c.year is not None]
                for where, year in found:
                    if year not in years:
                        raise LocatedError(tr("measure '{id}' names {year}, outside the "
                                              "period {period}", id=measure.id, year=year,
                                              period=str(period)), (*at, *where),
                                           tr("use only years from {start} to {end}, or "
                                              "change the document's period",
                                              start=period.start, end=period.end))
            for g, goal in enumerate(area.goals):
                for i, indicator in enumerate(goal.indicators):
                    for year in indicator.targets:
                        if year not in years:
                            raise LocatedError(
                                tr("indicator '{id}' has a streefwaarde for {year}, "
                                   "outside the period {period}", id=indicator.id, year=year,
                                   period=str(period)),
                                (*path, "goals", g, "indicators", i, "targets", year),
                                tr("give streefwaarden only for the years {start} to {end}: "
                                   "remove {year}, or change the document's period",
                                   start=period.start, end=period.end, year=year))
        return self

    def blocks(self, policy: bool = False) -> Iterator[tuple[tuple[str | int, ...], BlockModel]]:
        """Every block of the document with its path, in document order; with `policy`,
        of the policy's chapters (the same, unless the kind shows other chapters)."""
        def walk(section: Section, path: tuple[str | int, ...]) -> Iterator[Any]:
            for index, block in enumerate(section.blocks):
                yield (*path, "blocks", index), block
            for index, child in enumerate(section.sections):
                yield from walk(child, (*path, "sections", index))

        key = "policy_chapters" if policy and self.policy_chapters else "chapters"
        for index, chapter in enumerate(getattr(self, key)):
            yield from walk(chapter, (key, index))

    def priorities(self) -> Iterator[tuple[tuple[str | int, ...], FocusArea]]:
        """Every priority (an item of a focus-areas block) of the policy with its path."""
        for path, block in self.blocks(policy=True):
            if isinstance(block, FocusAreas):
                for index, area in enumerate(block.items):
                    yield (*path, "items", index), area


def _check_depth(section: Section, level: int) -> None:
    if level > MAX_LEVEL:
        raise LocatedError(tr("section '{id}' would be heading level {level}; a document "
                              "has {levels} heading levels", id=section.id, level=level,
                              levels=MAX_LEVEL), (),
                           tr("move '{id}' one level higher in the outline, or write its "
                              "text into the section above it", id=section.id))
    for block in section.blocks:
        if isinstance(block, BlockModel) and block.headings and level >= MAX_LEVEL:
            raise LocatedError(tr("block '{id}' writes headings, which a "
                                  "section at level {level} cannot hold",
                                  id=block.id or block.type, level=level), (),
                               tr("move the block to a chapter or to a section one level "
                                  "higher"))
    for child in section.sections:
        _check_depth(child, level + 1)


def complete_models(block: Any) -> None:
    """Give the outline its union of block types (see `layout/registry.py`)."""
    namespace = {"Block": block, "Chapter": Chapter}
    for model in (Section, Chapter, Kind, Ivb):
        model.model_rebuild(force=True, _types_namespace=namespace)
