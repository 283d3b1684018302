"""What every writer shares: heading numbers, title-page facts, atomic file writing.

The writers themselves (`writers.docx`, `writers.markdown`) turn the document
IR into bytes or text and never touch the file system; `write_atomically`
puts their result in place so that a failed build never leaves a truncated
file where a good one was.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from ..document import Block, Heading, TitlePage

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


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that readers see the old file or the new one, never half.

    The bytes go to a temporary file in the same directory (same file system,
    so the final rename is atomic), are flushed to disk, and then replace
    `path`. On any failure the temporary file is removed and an existing file
    at `path` is left as it was. Missing parent directories are created.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp",
                                         dir=path.parent)
    except OSError as error:
        if error.errno is None:
            raise
        raise OSError(error.errno, error.strerror, str(path)) from error
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        _keep_mode(path, temp_name)
        os.replace(temp_name, path)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        if isinstance(error, OSError) and error.errno is not None:
            # Name the file the user asked for, not our temporary one.
            raise OSError(error.errno, error.strerror, str(path)) from error
        raise
    _sync_directory(path.parent)


def _keep_mode(path: Path, temp_name: str) -> None:
    """Give the new file the usual permissions: mkstemp creates it private (0600)."""
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = 0o644
    os.chmod(temp_name, mode)


def _sync_directory(directory: Path) -> None:
    """Make the rename itself durable; not possible (nor needed) on every platform."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
