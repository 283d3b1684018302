"""Checks for a policy that can be carried out and evaluated.

Errors, always: progress for a measure or indicator the document does not
have; a measure that names a partner or goal the document does not have (at
the change that removed it, when a municipality removed it); a split that
names a municipality outside the basisteam; a split on a measure only one
municipality has. Warnings (errors under `--strict`): a priority without a
goal, a goal without an indicator, an indicator without nulmeting or
streefwaarde, a measure without a trekker or without costs, and costs above
the municipality's budget ceiling.
"""

from __future__ import annotations

from collections.abc import Iterator

from . import nl
from .errors import Problem, did_you_mean
from .i18n import tr
from .model import ID_PATTERN, Ivb, Partners
from .money import costs_for
from .overlay import AppliedChange, Op
from .provenance import Origin
from .sources import Path_, SourceMap

__all__ = ["policy_problems"]


def policy_problems(ivb: Ivb, municipality_id: str, sources: SourceMap,
                    applied: tuple[AppliedChange, ...], shared_ids: set[str]) -> list[Problem]:
    """Errors and warnings about the goals, measures and money of one document.

    `shared_ids` are the ids of the shared part: a measure among them is one
    every member has, so it may be split.
    """
    return [*_references(ivb, sources, applied), *_progress(ivb, sources),
            *_splits(ivb, sources, shared_ids),
            *_evaluable(ivb, sources), *_ceiling(ivb, municipality_id, sources)]


def _references(ivb: Ivb, sources: SourceMap,
                applied: tuple[AppliedChange, ...]) -> Iterator[Problem]:
    partners = {p.id for _, block in ivb.blocks(policy=True) if isinstance(block, Partners)
                for p in block.items}
    goals = {goal.id for _, area in ivb.priorities() for goal in area.goals}
    removed = {r.item_id: r for r in applied if r.change.operation is Op.REMOVE}
    for path, area in ivb.priorities():
        for m_index, measure in enumerate(area.measures):
            at = (*path, "measures", m_index)
            named = [(("partners", i), p) for i, p in enumerate(measure.partners)]
            if measure.lead is not None and ID_PATTERN.match(measure.lead):
                named.append((("lead",), measure.lead))
            for where, partner in named:
                if partner in partners:
                    continue
                if partner in removed:
                    change = removed[partner].change.ref
                    yield Problem("partner-removed", tr("'{partner}' is removed here, but "
                                                        "measure '{measure}' still names it as "
                                                        "a partner", partner=partner,
                                                        measure=measure.id),
                                  Origin(change.file, change.line, change.column),
                                  tr("take '{partner}' out of the measure first (e.g. "
                                     "'replace: {measure}.partners'), or keep the partner",
                                     partner=partner, measure=measure.id))
                else:
                    yield Problem("unknown-partner", tr("measure '{measure}' names partner "
                                                        "'{partner}', which the document does "
                                                        "not have", measure=measure.id,
                                                        partner=partner),
                                  sources.origin((*at, *where)),
                                  did_you_mean(partner, partners) or
                                  tr("a trekker is a partner's id or a team's name ('Team OOV')"))
            for index, goal in enumerate(measure.goals):
                if goal not in goals:
                    yield Problem("unknown-goal", tr("measure '{measure}' serves goal '{goal}', "
                                                     "which the document does not have",
                                                     measure=measure.id, goal=goal),
                                  sources.origin((*at, "goals", index)),
                                  did_you_mean(goal, goals) or tr("name a goal by its id"))


def _progress(ivb: Ivb, sources: SourceMap) -> Iterator[Problem]:
    """Progress reported for a measure or indicator the document does not have."""
    measures = {m.id for _, area in ivb.priorities() for m in area.measures}
    indicators = {i.id for _, area in ivb.priorities() for g in area.goals for i in g.indicators}
    for index, report in enumerate(ivb.progress):
        for field, key, known, what in (("measures", "measure", measures, "measure"),
                                        ("indicators", "indicator", indicators, "indicator")):
            for position, entry in enumerate(getattr(report, field)):
                name = getattr(entry, key)
                if name not in known:
                    if what == "measure":
                        message = tr("progress for {year} names measure '{name}', which the "
                                     "document does not have", year=report.year, name=name)
                        hint = tr("name a measure by its id")
                    else:
                        message = tr("progress for {year} names indicator '{name}', which the "
                                     "document does not have", year=report.year, name=name)
                        hint = tr("name an indicator by its id")
                    yield Problem(f"progress-unknown-{what}", message,
                                  sources.origin(("progress", index, field, position, key)),
                                  did_you_mean(name, known) or hint)


def _splits(ivb: Ivb, sources: SourceMap, shared_ids: set[str]) -> Iterator[Problem]:
    members = [m.id for m in ivb.basisteam.municipalities]
    for path, area in ivb.priorities():
        for index, measure in enumerate(area.measures):
            if measure.split is None:
                continue
            at = (*path, "measures", index)
            origin = sources.origin(at)
            if not origin.file.startswith("shared/") or (origin.via is not None \
                    and origin.via.operation is Op.ADD):
                yield Problem("split-own-measure", tr("measure '{measure}' has a split, but "
                                                      "only this municipality has it",
                                                      measure=measure.id),
                              sources.origin((*at, "split")),
                              tr("a split divides a measure of the shared part; leave it out "
                                 "for a measure of your own"))
            if isinstance(measure.split, dict):
                for key in measure.split:
                    if key not in members:
                        yield Problem("split-member", tr("the split of '{measure}' names "
                                                         "'{name}', which is not a "
                                                         "municipality of the basisteam",
                                                         measure=measure.id, name=key),
                                      sources.origin((*at, "split", key)),
                                      did_you_mean(key, members)
                                      or tr("the members are: {names}",
                                            names=", ".join(members)))


def _warning(code: str, message: str, origin: Origin, hint: str) -> Problem:
    return Problem(code, message, origin, hint, severity="warning")


def _evaluable(ivb: Ivb, sources: SourceMap) -> Iterator[Problem]:
    for path, area in ivb.priorities():
        if not area.goals:
            yield _warning("no-goal", tr("priority '{id}' has no goal", id=area.id),
                           sources.origin(path),
                           tr("add 'goals:' with what the municipality wants to achieve"))
        for g_index, goal in enumerate(area.goals):
            at: Path_ = (*path, "goals", g_index)
            if not goal.indicators:
                yield _warning("no-indicator", tr("goal '{id}' has no indicator", id=goal.id),
                               sources.origin(at), tr("add 'indicators:' that show whether the "
                                                      "goal is reached"))
            for i_index, indicator in enumerate(goal.indicators):
                where = sources.origin((*at, "indicators", i_index))
                if indicator.baseline is None:
                    yield _warning("no-baseline", tr("indicator '{id}' has no nulmeting",
                                                     id=indicator.id),
                                   # With a value, so the doubled braces are formatted.
                                   where, tr("add 'baseline: {{value: …, year: …, source: …}}', "
                                             "or 'baseline: {{pending: <{when}>}}'",
                                             when=tr("when it follows")))
                if indicator.target is None and not indicator.targets:
                    yield _warning("no-target", tr("indicator '{id}' has no streefwaarde",
                                                   id=indicator.id),
                                   where, tr("add 'target: …' (at the end of the period) or "
                                             "'targets: {{<{year}>: …}}'", year=tr("year")))
        for m_index, measure in enumerate(area.measures):
            where = sources.origin((*path, "measures", m_index))
            if measure.lead is None:
                yield _warning("no-lead", tr("measure '{id}' has no trekker", id=measure.id),
                               where, tr("add 'lead:' with a partner's id or a team's name"))
            if not measure.costs:
                yield _warning("no-costs", tr("measure '{id}' has no costs", id=measure.id),
                               where, tr("add 'costs:'; a measure within existing work costs "
                                         "'costs: [{{kind: structureel, amount: 0, funding: "
                                         "{funding}}}]'",
                                         funding="bestaand budget"))


def _ceiling(ivb: Ivb, municipality_id: str, sources: SourceMap) -> Iterator[Problem]:
    ceiling = ivb.document.budget_ceiling
    costs = costs_for(ivb, municipality_id)
    for year, limit in ceiling.items():
        total = sum(cost.by_year[year] for cost in costs)
        if total > limit:
            measures = [c.measure.id for c in costs if c.by_year[year]]
            yield _warning("over-budget", tr("the costs in {year} ({amount}) are above the "
                                             "budget ceiling of {ceiling}", year=year,
                                             amount=nl.format_money(total),
                                             ceiling=nl.format_money(limit)),
                           sources.origin(("document", "budget_ceiling", year)),
                           tr("measures with costs in {year}: {names}", year=year,
                              names=", ".join(measures)))
