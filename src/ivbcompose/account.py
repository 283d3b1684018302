"""The account of a municipality's local differences, as document blocks.

Every document ends with an appendix that lists how it differs from the
shared basisteam part, and a review build marks each difference where it
shows. Both are laid out here from the `Difference`s that composing derived
from provenance, so the account is never typed by hand and always complete.
"""

from __future__ import annotations

from dataclasses import replace

from . import nl
from .differences import Difference
from .document import Block, Column, Heading, Paragraph, Row, Span, Table
from .model import Basisteam, Municipality

__all__ = ["APPENDIX_TITLE", "account_blocks", "describe", "in_document_order",
           "mark_for_review"]

APPENDIX_TITLE = "Bijlage: Verantwoording couleur locale"
_SUMMARY_WORDS = {"added": "toegevoegd", "extended": "aangevuld", "changed": "gewijzigd",
                  "moved": "verplaatst", "removed": "verwijderd"}


def account_blocks(municipality: Municipality, basisteam: Basisteam,
                   found: tuple[Difference, ...]) -> list[Block]:
    """The appendix: an introduction and a table with one row per difference."""
    blocks: list[Block] = [Heading(1, APPENDIX_TITLE, "verantwoording-couleur-locale",
                                   numbered=False)]
    if not found:
        blocks.append(Paragraph((Span(f"De gemeente {municipality.name} volgt het gezamenlijke "
                                      "deel van het basisteam zonder afwijkingen."),)))
        return blocks
    blocks.append(Paragraph((Span(
        f"Het gezamenlijke deel van dit document hebben de gemeenten "
        f"{nl.join_words(basisteam.names)} samen opgesteld. In deze bijlage staat waar de "
        f"gemeente {municipality.name} "
        f"daarvan afwijkt: {_summary(found)}. De bijlage wordt automatisch samengesteld uit de "
        "bronbestanden van het beleid en bevat daardoor alle afwijkingen."),)))
    rows = tuple(Row((d.label, describe(d), d.reason or "Geen toelichting gegeven"))
                 for d in found)
    blocks.append(Table(f"Afwijkingen van het gezamenlijke deel, gemeente {municipality.name}",
                        (Column("Onderdeel"), Column("Wijziging"), Column("Toelichting")), rows,
                        anchor="verantwoording-tabel"))
    return blocks


def _summary(found: tuple[Difference, ...]) -> str:
    """'vijf onderdelen toegevoegd, één aangevuld, twee gewijzigd en één verwijderd'."""
    parts = []
    for kind, word in _SUMMARY_WORDS.items():
        count = sum(d.kind == kind for d in found)
        if count:
            noun = "" if parts else (" onderdeel" if count == 1 else " onderdelen")
            parts.append(f"{nl.count_word(count)}{noun} {word}")
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " en " + parts[-1]


def describe(difference: Difference) -> str:
    """The 'Wijziging' cell: what happened to the item, in a reader's words."""
    parent = difference.parent
    # Only a chapter has no item around it: the outline's list holds it.
    match difference.kind:
        case "added":
            return f"Toegevoegd aan: {parent}" if parent else "Hoofdstuk toegevoegd"
        case "removed":
            return f"Verwijderd uit: {parent}" if parent else "Hoofdstuk verwijderd"
        case "moved":
            previous, anchor = difference.previous_parent, difference.anchor
            if previous != parent:
                where = (f"Verplaatst van {previous or 'de hoofdstukken'} naar "
                         f"{parent or 'de hoofdstukken'}")
            else:
                where = f"Verplaatst binnen {parent}" if parent else "Hoofdstuk verplaatst"
            return f"{where}, {anchor}" if anchor else where
        case "extended":
            labels = difference.field_labels
            field = labels[0] if labels else "onderdelen"
            return f"{field.capitalize()} toegevoegd: " + "; ".join(difference.values)
    if not difference.fields:
        return "Geheel vervangen"
    texts = []
    for field, label in zip(difference.fields, difference.field_labels, strict=True):
        if field in difference.added_fields:
            texts.append(f"{label.capitalize()} toegevoegd")
        elif field == "title" and difference.previous_label:
            texts.append(f"Titel gewijzigd (eerst: ‘{difference.previous_label}’)")
        else:
            texts.append(f"{label.capitalize()} aangepast")
    return "; ".join(texts)


def _review_note(municipality: Municipality, difference: Difference) -> str:
    change = difference.change
    who = f"De gemeente {municipality.name}"
    match difference.kind:
        case "added":
            note = f"{who} heeft dit onderdeel toegevoegd" + (
                f" aan {difference.parent}." if difference.parent else ".")
        case "removed":
            note = f"{who} heeft ‘{difference.label}’ verwijderd" + (
                f" uit {difference.parent}." if difference.parent else ".")
        case _:
            note = f"{who}: {describe(difference)}."
    if difference.reason:
        note += f" Toelichting: {difference.reason}"
    return f"{note} (Bron: {change.file}, regel {change.line}.)"


def _anchors(blocks: list[Block]) -> dict[str, int]:
    """The index of the first heading or table that carries each anchor (an item id)."""
    anchors: dict[str, int] = {}
    for index, block in enumerate(blocks):
        if isinstance(block, Heading | Table) and block.anchor:
            anchors.setdefault(block.anchor, index)
    return anchors


def _shown_at(difference: Difference, anchors: dict[str, int]) -> int | None:
    """The index of the block where a difference shows: its item's heading or table,
    else the nearest one around it (a removed item shows only in what held it)."""
    for candidate in (difference.item_id, *difference.ancestors):
        if candidate in anchors and not (difference.kind == "removed"
                                         and candidate == difference.item_id):
            return anchors[candidate]
    return None


def in_document_order(found: tuple[Difference, ...],
                      blocks: list[Block]) -> tuple[Difference, ...]:
    """The differences in the order they show in `blocks`, the laid-out chapters.

    `found` comes in the order of the composed tree, which is nearly the
    document's; the blocks settle the rest (a kind that shows other chapters, a
    section's blocks written after its subsections). A difference that shows
    nowhere (a removed chapter) keeps its place after the one before it.
    """
    anchors = _anchors(blocks)
    keys: list[int] = []
    for difference in found:
        shown = _shown_at(difference, anchors)
        keys.append(shown if shown is not None else (keys[-1] if keys else -1))
    return tuple(d for _, d in sorted(zip(keys, found, strict=True), key=lambda pair: pair[0]))


def mark_for_review(blocks: list[Block], municipality: Municipality,
                    found: tuple[Difference, ...]) -> list[Block]:
    """Attach a review note to the heading or table where each difference shows."""
    anchors = _anchors(blocks)
    notes: dict[int, list[str]] = {}
    for difference in found:
        shown = _shown_at(difference, anchors)
        if shown is not None:
            notes.setdefault(shown, []).append(_review_note(municipality, difference))
    marked = list(blocks)
    for index, texts in notes.items():
        block = marked[index]
        assert isinstance(block, Heading | Table)
        marked[index] = replace(block, review="\n".join(texts))
    return marked
