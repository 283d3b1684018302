"""Where a value came from: a position in a YAML file and, optionally, the change that put it there.

Every node that the loader produces carries an `Origin`; the overlay stage adds a
`ChangeRef` to the nodes a municipality's change wrote. Errors, `explain` and the
document's account of local differences all read these.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["ChangeRef", "Op", "Origin"]


class Op(StrEnum):
    """The six change operations a municipality's `changes:` can use."""

    ADD = "add"
    APPEND = "append"
    REPLACE = "replace"
    UPDATE = "update"
    REMOVE = "remove"
    MOVE = "move"


@dataclass(frozen=True)
class ChangeRef:
    """A change operation in a municipality file, by position and what it did."""

    file: str
    line: int
    column: int
    operation: Op
    target: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column} ({self.operation} {self.target})"


@dataclass(frozen=True)
class Origin:
    """A 1-based position in a project file; line 0 means the position is unknown.

    `via` names the change that placed the value in the composed document; it is
    None for values that come straight from the file they were written in.
    """

    file: str
    line: int = 0
    column: int = 0
    via: ChangeRef | None = None

    @property
    def known(self) -> bool:
        return self.line > 0

    def location(self) -> str:
        """`file:line:column`, or `file:?` when the position is unknown."""
        if not self.known:
            return f"{self.file}:?"
        return f"{self.file}:{self.line}:{self.column}"

    def with_change(self, change: ChangeRef) -> Origin:
        return Origin(self.file, self.line, self.column, change)

    def __str__(self) -> str:
        return self.location()
