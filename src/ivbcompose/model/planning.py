"""Quarters and spans of quarters, as a planning table writes them ('Q1/Q2 2020')."""

from __future__ import annotations

import itertools
import re

from pydantic import Field

from ..i18n import tr
from .base import Base, LocatedError

__all__ = ["Quarter", "format_quarters", "parse_quarters"]

_QUARTER = re.compile(r"^Q([1-4])(?:\s+(\d{4}))?$")


class Quarter(Base):
    quarter: int = Field(ge=1, le=4)
    year: int


def parse_quarters(text: str) -> list[Quarter]:
    """'Q1/Q2 2020', 'Q1–Q2 2020' or 'Q4 2019 / Q1 2020' → consecutive quarters.

    A quarter without a year takes the year written after it.
    """
    parts = [part.strip() for part in re.split(r"[/–-]", text)]
    parsed: list[tuple[int, int | None]] = []
    for part in parts:
        match = _QUARTER.match(part)
        if match is None:
            raise LocatedError(tr("'{value}' is not a quarter; write e.g. 'Q1 2020' or "
                                  "'Q1/Q2 2020'", value=part), (),
                               tr("a quarter is Q1, Q2, Q3 or Q4 with its year; several "
                                  "quarters are separated by '/'"))
        parsed.append((int(match.group(1)), int(match.group(2)) if match.group(2) else None))
    if parsed[-1][1] is None:
        raise LocatedError(tr("'{value}' has no year; write e.g. 'Q1/Q2 2020'", value=text),
                           (),
                           tr("write the year after the last quarter, e.g. '{value} {year}'",
                              value=text.strip(), year=(re.findall(r"\d{4}", text) or
                                                        ["2021"])[-1]))
    quarters: list[Quarter] = []
    year: int | None = None
    for number, own_year in reversed(parsed):
        year = own_year if own_year is not None else year
        assert year is not None
        quarters.insert(0, Quarter(quarter=number, year=year))
    for first, second in itertools.pairwise(quarters):
        if second.year * 4 + second.quarter != first.year * 4 + first.quarter + 1:
            raise LocatedError(tr("'{value}': quarters must follow each other", value=text),
                               (), tr("write quarters that follow each other, in order, e.g. "
                                      "'Q4 2020 / Q1 2021'"))
    return quarters


def format_quarters(quarters: list[Quarter]) -> str:
    """Consecutive quarters as a span: 'Q1 2020', 'Q1–Q2 2020', 'Q4 2019 – Q1 2020'."""
    first, last = quarters[0], quarters[-1]
    if first == last:
        return f"Q{first.quarter} {first.year}"
    if first.year == last.year:
        return f"Q{first.quarter}–Q{last.quarter} {last.year}"
    return f"Q{first.quarter} {first.year} – Q{last.quarter} {last.year}"
