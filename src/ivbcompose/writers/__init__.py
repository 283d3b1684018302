"""What every writer shares: heading numbers and the facts of the title page.

The writers (`writers.docx`, `writers.markdown`) turn the document IR into
bytes or text; the build puts them in place with `files.write_all_atomically`.
The PDF step (`writers.pdf`) is the exception that runs a program, LibreOffice,
on a written .docx. `write_atomically` is re-exported here for it.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..document import Block, Heading, TitlePage
from ..files import write_atomically

__all__ = ["MAX_HEADING_LEVEL", "heading_numbers", "title_page_facts", "write_atomically"]

MAX_HEADING_LEVEL = 3


def heading_numbers(blocks: Iterable[Block]) -> list[str | None]:
    """The number of each heading in `blocks`, in order ("2", "2.1"); None if unnumbered.

    Mirrors how Word numbers headings from a multilevel list: only numbered
    headings count, and a heading resets the counters of the levels below it.
    """
    counters = [0] * MAX_HEADING_LEVEL
    numbers: list[str | None] = []
    for block in blocks:
        if not isinstance(block, Heading):
            continue
        if not 1 <= block.level <= MAX_HEADING_LEVEL:
            raise ValueError(
                f"heading level {block.level} of {block.text!r} is not 1 to {MAX_HEADING_LEVEL}"
            )
        if not block.numbered:
            numbers.append(None)
            continue
        index = block.level - 1
        counters[index] += 1
        counters[index + 1:] = [0] * (MAX_HEADING_LEVEL - index - 1)
        numbers.append(".".join(str(max(count, 1)) for count in counters[: index + 1]))
    return numbers


def title_page_facts(page: TitlePage) -> list[tuple[str, str]]:
    """The labelled lines of the title page ("Versie", "0.3"), leaving out empty ones.

    A value that already starts with its label ("Versie 0.9") is shown once.
    """
    facts = []
    for label, value in (("Status", page.status), ("Versie", page.version),
                         ("Datum", page.date), ("Opgesteld door", page.prepared_by or "")):
        value = value.strip()
        if value.lower().startswith(label.lower() + " "):
            value = value[len(label) + 1:].strip()
        if value:
            facts.append((label, value))
    return facts
