"""User-facing problems: what went wrong, where, and what to do about it.

A problem is data (a stable code, a message, an origin, a hint), so a stage can
collect all of them and stop at its boundary with the full list. Rendering them
as `file:line:column: message` with the offending source line and a caret is a
separate step, done by the command line.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .i18n import Language, language_for, tr
from .provenance import Origin

__all__ = [
    "IvbError",
    "Problem",
    "WrongArgument",
    "did_you_mean",
    "format_problem",
]


@dataclass(frozen=True)
class Problem:
    """One mistake in the user's input, or a warning (`severity="warning"`).

    `detail` holds extra lines shown under the quoted source (e.g. a diff).
    """

    code: str
    message: str
    origin: Origin
    hint: str | None = None
    severity: str = "error"
    detail: str | None = None

    def headline(self, language: Language | None = None) -> str:
        shown = language or _ENGLISH
        severity = tr("warning") if self.severity == "warning" else tr("error")
        return f"{self.origin.location()}: {shown.text(severity)}: {shown.text(self.message)}"


class WrongArgument(Exception):
    """A mistake in what the command line names rather than in the YAML (an earlier
    version that is not there): shown as `message` and `hint`, exit status 2."""

    def __init__(self, message: str, hint: str) -> None:
        # Both in `args`, so the error survives the trip back from a build process (pickle).
        super().__init__(message, hint)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return str(self.message)


class IvbError(Exception):
    """Raised by a stage that found problems in the user's input; carries all of them."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(p.headline() for p in self.problems))


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    """A hint naming the closest candidate, or None when nothing is close."""
    matches = difflib.get_close_matches(word, sorted(set(candidates)), n=1, cutoff=0.6)
    return tr("did you mean '{name}'?", name=matches[0]) if matches else None


_ENGLISH = language_for("en")


def format_problem(problem: Problem, root: Path | None = None,
                   language: Language | None = None) -> str:
    """Render a problem as a headline, the quoted source line with a caret, and a hint,
    in `language` (default English)."""
    shown = language or _ENGLISH
    lines = [problem.headline(shown)]
    quoted = _source_line(problem.origin, root)
    if quoted is not None:
        lines.append(f"    {quoted}")
        lines.append("    " + _caret_indent(quoted, problem.origin.column) + "^")
    if problem.origin.via is not None:
        lines.append("  " + shown.text(tr("note: this value was written by the change at "
                                          "{place}", place=str(problem.origin.via))))
    if problem.detail:
        lines.extend(f"  {line}" for line in shown.text(problem.detail).splitlines())
    if problem.hint:
        lines.append("  " + shown.text(tr("hint: {hint}", hint=problem.hint)))
    return "\n".join(lines)


def _source_line(origin: Origin, root: Path | None) -> str | None:
    if not origin.known:
        return None
    path = Path(origin.file)
    if root is not None and not path.is_absolute():
        path = root / path
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    source_lines = text.splitlines()
    if origin.line > len(source_lines):
        return None
    return source_lines[origin.line - 1].rstrip()


def _caret_indent(line: str, column: int) -> str:
    # Copy the line's own tabs, so the caret lines up however wide a terminal shows a tab.
    before = line[: max(0, min(column - 1, len(line)))]
    return "".join(char if char == "\t" else " " for char in before)
