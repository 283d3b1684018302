"""The kind of document a build writes: its view of the composed tree.

The shared part may define `kinds:`, the documents the basisteam writes from
one source. A kind names its chapters (by id, in order, or as chapters of its
own), so the view of the composed tree (after the municipality's changes) has
those chapters only, and its document metadata: the kind's name, title and
adopting body, the year of a per-year kind, and the municipality's own
metadata for that document (`documents:` in its file).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .errors import IvbError, Problem, did_you_mean
from .i18n import tr
from .provenance import Origin
from .sources import MapNode, Node, ScalarNode, SeqNode, item_id

__all__ = ["KindInfo", "kind_infos", "kind_problems", "select_kind"]

# What a kind sets in the document metadata, by the kind's field and the metadata's.
_META = {"name": "kind", "short": "short", "title": "title", "adopted_by": "adopted_by"}


@dataclass(frozen=True)
class KindInfo:
    """What the command line needs to know of a kind."""

    id: str
    per_year: bool
    default: bool


def _kinds(tree: MapNode) -> list[MapNode]:
    kinds = tree.get("kinds")
    return [k for k in kinds.items if isinstance(k, MapNode)] if isinstance(kinds, SeqNode) \
        else []


def kind_infos(tree: MapNode) -> list[KindInfo]:
    """The kinds the project defines, the default first; without `kinds:` one default."""
    found = [KindInfo(item_id(k) or "", _flag(k, "per_year"), index == 0)
             for index, k in enumerate(_kinds(tree))]
    return found or [KindInfo("", False, True)]


def _flag(kind: MapNode, key: str) -> bool:
    value = kind.get(key)
    return isinstance(value, ScalarNode) and value.value is True


def kind_problems(tree: MapNode, documents: Node | None = None) -> list[Problem]:
    """Chapters a kind names that the document does not have, and
    metadata in a municipality's `documents:` for a kind (or year) there is not."""
    problems = []
    kinds = {item_id(k): k for k in _kinds(tree)}
    if isinstance(documents, MapNode):
        for key, value in documents.values.items():
            kind = kinds.get(str(key))
            if kind is None or kind is _kinds(tree)[0]:
                problems.append(Problem("documents-kind", tr("'{key}' is not a kind of "
                                                             "document with metadata of its "
                                                             "own", key=key),
                                        documents.keys[key],
                                        did_you_mean(str(key), [k for k in kinds if k][1:])
                                        or tr("the default document's metadata is under "
                                              "'document:'")))
            elif _flag(kind, "per_year") and isinstance(value, MapNode):
                for year in value.values:
                    if not isinstance(year, int):
                        problems.append(Problem("documents-year", tr(
                            "'{key}' is written per year: its metadata is given per year, not "
                            "'{year}'", key=key, year=year), value.keys[year],
                            tr("write e.g. '{key}: {{2021: {{date: 2021-01-12}}}}'", key=key)))
    chapters = tree.get("chapters")
    known = [i for c in chapters.items if (i := item_id(c))] if isinstance(chapters, SeqNode) \
        else []
    # Two kinds with one id are two items with one id: the overlay reports that.
    for kind in _kinds(tree):
        kind_id = item_id(kind)
        listed = kind.get("chapters")
        for entry in listed.items if isinstance(listed, SeqNode) else ():
            if isinstance(entry, ScalarNode) and isinstance(entry.value, str) \
                    and entry.value not in known:
                problems.append(Problem("kind-chapter", tr("kind '{kind}' names chapter "
                                                           "'{chapter}', which the document "
                                                           "does not have", kind=kind_id,
                                                           chapter=entry.value),
                                        entry.origin, did_you_mean(entry.value, known)
                                        or tr("chapters: {names}", names=", ".join(known))))
    return problems


def select_kind(tree: MapNode, kind_id: str | None, year: int | None,
                documents: Node | None) -> MapNode:
    """The tree as the document of `kind_id` (None: the default kind) for `year` shows it.

    `documents` is the municipality's `documents:` map: metadata per kind (for a
    per-year kind, per year).
    """
    kinds = _kinds(tree)
    if not kinds:
        if kind_id is not None:
            raise IvbError([Problem("unknown-kind", tr("the project has no kind of document "
                                                       "'{kind}'", kind=kind_id), tree.origin,
                                    tr("define kinds under 'kinds:' in the shared part"))])
        return tree
    found = [k for k in kinds if kind_id is None or item_id(k) == kind_id]
    if not found:
        known = [i for k in kinds if (i := item_id(k))]
        raise IvbError([Problem("unknown-kind", tr("the project has no kind of document "
                                                   "'{kind}'", kind=kind_id), kinds[0].origin,
                                did_you_mean(str(kind_id), known)
                                or tr("kinds: {names}", names=", ".join(known)))])
    kind = found[0]
    values, keys = dict(tree.values), dict(tree.keys)
    values["kind_id"] = ScalarNode(item_id(kind), kind.origin)
    keys["kind_id"] = kind.origin
    listed = kind.get("chapters")
    if isinstance(listed, SeqNode):
        chapters = tree.get("chapters")
        by_id = {item_id(c): c for c in chapters.items} if isinstance(chapters, SeqNode) else {}
        picked = tuple(by_id[e.value] if isinstance(e, ScalarNode) else e
                       for e in listed.items
                       if not isinstance(e, ScalarNode) or e.value in by_id)
        values["chapters"] = SeqNode(picked, listed.origin)
        if chapters is not None:
            values["policy_chapters"], keys["policy_chapters"] = chapters, chapters.origin
    document = tree.get("document")
    if kind is not kinds[0] and isinstance(document, MapNode):
        values["document"] = _metadata(document, kind, year, documents)
    elif isinstance(document, MapNode) and year is not None:
        values["document"] = _with(document, {"year": ScalarNode(year, document.origin)})
    return MapNode(values, keys, tree.origin)


def _metadata(document: MapNode, kind: MapNode, year: int | None,
              documents: Node | None) -> MapNode:
    """The document metadata of a kind that is not the default one."""
    new: dict[Any, Node] = {}
    for field, meta in _META.items():
        if field in kind.values:
            new[meta] = kind.values[field]
    # Its own state: a concept until the municipality's file says otherwise.
    new["status"] = ScalarNode("concept", kind.origin)
    new["version"] = ScalarNode("0.1", kind.origin)
    result = _with(document, new, drop=("adopted_on", "title") if "title" not in new
                   else ("adopted_on",))
    if year is not None:
        result = _with(result, {"year": ScalarNode(year, kind.origin)})
    own = documents.get(item_id(kind) or "") if isinstance(documents, MapNode) else None
    if isinstance(own, MapNode) and year is not None and _flag(kind, "per_year"):
        own = own.get(year)
    if isinstance(own, MapNode):
        result = _with(result, own.values, own.keys)
    return result


def _with(node: MapNode, values: dict[Any, Node], keys: dict[Any, Origin] | None = None,
          drop: tuple[str, ...] = ()) -> MapNode:
    merged = {k: v for k, v in node.values.items() if k not in drop}
    merged_keys = {k: o for k, o in node.keys.items() if k not in drop}
    for key, value in values.items():
        merged[key] = value
        merged_keys[key] = (keys or {}).get(key, value.origin)
    return MapNode(merged, merged_keys, node.origin)
