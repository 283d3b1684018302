"""Money: what each measure costs a municipality per year, and how shared costs are split.

A measure the members pay together has a split (verdeelsleutel): by
inhabitants, equally, or by fixed percentages. Shares are whole euros that
add up exactly to the cost, by the largest remainder method: every member
first gets the whole euros of its exact share; the euros left over go, one
each, to the members with the largest fractions. A tie goes to the member
with the larger weight (more inhabitants, a larger percentage), then to the
member that comes first in the list of members (the folder names in order).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from .i18n import tr
from .model import Ivb, Measure

__all__ = ["MeasureCost", "costs_for", "measure_total", "shares", "split_weights"]


def shares(amount: int, weights: Mapping[str, Fraction | int | float]) -> dict[str, int]:
    """`amount` whole euros split by `weights`, summing exactly to `amount` (see above)."""
    if amount < 0:
        raise ValueError(tr("a negative amount cannot be split"))
    # Whole numbers over one denominator, so each exact share is amount * weight / total
    # with integer division: its floor and its remainder (the fraction, in units of
    # 1/total) come exact without a Fraction per member, which a basisteam of hundreds
    # of members would make for every measure, year and document.
    values = list(weights.values())
    if all(type(value) is int for value in values):
        whole = values
    else:
        exact_weights = [Fraction(value) for value in values]
        denominator = math.lcm(*(weight.denominator for weight in exact_weights))
        whole = [int(weight * denominator) for weight in exact_weights]
    total = sum(whole)
    if not whole or total <= 0:
        raise ValueError(tr("a split needs a positive weight"))
    parts = [divmod(amount * weight, total) for weight in whole]
    left = amount - sum(floor for floor, _ in parts)
    ranked = sorted(range(len(whole)), key=lambda index: (-parts[index][1], -whole[index],
                                                          index))
    result = [floor for floor, _ in parts]
    for index in ranked[:left]:
        result[index] += 1
    return dict(zip(weights, result, strict=True))


def split_weights(measure: Measure,
                  members: Sequence[tuple[str, int]]) -> dict[str, Fraction | int]:
    """The weight of each member (id, inhabitants) in a measure's split."""
    split = measure.split
    if split == "inhabitants":
        return dict(members)
    if split == "equal":
        return {member: 1 for member, _ in members}
    assert isinstance(split, dict)
    return {member: Fraction(split.get(member, 0)) for member, _ in members}


def measure_total(measure: Measure, years: Sequence[int]) -> dict[int, int]:
    """What a measure costs in each of `years` (structural lines in every year it runs)."""
    running = measure.runs_in(list(years))
    totals = dict.fromkeys(years, 0)
    for cost in measure.costs:
        for year in years:
            if (cost.kind == "structureel" and year in running) or cost.year == year:
                totals[year] += cost.amount
    return totals


@dataclass(frozen=True)
class MeasureCost:
    """A measure's cost for one municipality: its own measure whole, a shared one its share.

    `by_year` is this municipality's part, `whole` the measure's cost, and
    `shares` each member's part per year (empty for a measure that is not split).
    """

    measure: Measure
    by_year: dict[int, int]
    whole: dict[int, int]
    shares: dict[str, dict[int, int]]
    funding: dict[str, dict[int, int]]

    @property
    def total(self) -> int:
        return sum(self.by_year.values())


def costs_for(ivb: Ivb, municipality_id: str) -> list[MeasureCost]:
    """Every measure of the document with costs, as it weighs on this municipality."""
    years = ivb.document.years
    members = [(m.id, m.inhabitants) for m in ivb.basisteam.municipalities]
    result = []
    for _, area in ivb.priorities():
        for measure in area.measures:
            if not measure.costs:
                continue
            whole = measure_total(measure, years)
            member_shares: dict[str, dict[int, int]] = {}
            if measure.split is not None:
                weights = split_weights(measure, members)
                for year, amount in whole.items():
                    for member, part in shares(amount, weights).items():
                        member_shares.setdefault(member, {})[year] = part
                own = member_shares.get(municipality_id, dict.fromkeys(years, 0))
            else:
                own = whole
            result.append(MeasureCost(measure, own, whole, member_shares,
                                      _funding(measure, years, own, whole)))
    return result


def _funding(measure: Measure, years: Sequence[int], own: dict[int, int],
             whole: dict[int, int]) -> dict[str, dict[int, int]]:
    """This municipality's part of a measure per funding source and year.

    A shared measure's share is divided over its sources in proportion to the
    measure's own lines (with the same largest remainder rule, so it adds up).
    """
    running = measure.runs_in(list(years))
    by_source: dict[str, dict[int, int]] = {}
    for year in years:
        lines: dict[str, int] = {}
        for cost in measure.costs:
            if (cost.kind == "structureel" and year in running) or cost.year == year:
                lines[cost.funding] = lines.get(cost.funding, 0) + cost.amount
        if not lines or own[year] == 0:
            continue
        parts = lines if own[year] == whole[year] else shares(own[year], lines)
        for source, part in parts.items():
            by_source.setdefault(source, dict.fromkeys(years, 0))[year] += part
    return by_source
