"""Load → apply changes → validate → render text: one municipality's composed content.

`compose()` reads as the pipeline it is. Each step stops at its boundary with
every problem it found, so a user fixes all mistakes of a stage in one round.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from .confidential import (
    confidential_marks,
    hidden_ids,
    id_reference_problems,
    public_differences,
    public_model,
    reference_problems,
)
from .differences import Difference, differences
from .errors import IvbError, Problem, did_you_mean
from .figures.refs import resolve_figures
from .figures.store import ImportedFigures, load_figures
from .i18n import tr
from .kinds import kind_problems, select_kind
from .markup import has_table, markup_problems, plain_text_problems
from .memory import kept_out_of_collection
from .model import (
    DocumentMeta,
    FigureFile,
    Ivb,
    Municipality,
    Role,
    field_label,
    items_by_id,
    text_fields,
)
from .overlay import (
    Change,
    Overlay,
    apply_changes,
    merge_documents,
    parse_changes,
    read_changes,
)
from .policy_checks import policy_problems
from .progress import load_progress
from .project import Project
from .provenance import ChangeRef, Origin
from .registry import BLOCK_TYPES  # noqa: F401  (completes the model with the block types)
from .sources import (
    MapNode,
    Node,
    ScalarNode,
    SeqNode,
    SourceMap,
    find_ids,
    ids_inside,
    item_id,
    load_mapping,
    load_yaml,
    node_at,
    to_plain,
)
from .templating import TemplateProblem, TextRenderer, template_context
from .validation import validation_problems

__all__ = ["Composition", "compose", "load_members", "load_shared", "shared_document_problems"]

_MUNICIPALITY_KEYS = ("municipality", "document", "documents", "changes")
# Every shared file may add chapters; they follow each other in the files' name order.
_LISTED_KEY = "chapters"


class Texts:
    """What the texts of one command share: one renderer (each text compiled once), and
    the check of each rendered text for what the documents cannot show, which is the same
    wherever, and for whichever municipality or kind, the text is shown."""

    def __init__(self) -> None:
        self.renderer = TextRenderer()
        self._checked: dict[tuple[bool, str], tuple[tuple[str, str], ...]] = {}

    def problems(self, plain: bool, text: str) -> list[tuple[str, str]]:
        """`plain_text_problems` or `markup_problems` of a text, as a new list."""
        found = self._checked.get((plain, text))
        if found is None:
            found = tuple(plain_text_problems(text) if plain else markup_problems(text))
            self._checked[plain, text] = found
        return list(found)


@dataclass(frozen=True)
class Composition:
    """A municipality's validated content, with everything needed to explain it.

    `shared` is the shared part as written, `base` the shared part with the
    municipality's identity and document metadata merged in (what its changes
    apply to), `overlay` the result of the changes and the record of each.
    `ivb` and `differences` are what a reader gets: without the confidential
    items and the differences about them, unless `internal` (see confidential.py).
    `figures` are the imported figures: beside the trees, validated once per command,
    and in `ivb.figures`.
    """

    municipality_id: str
    ivb: Ivb
    shared: MapNode
    base: MapNode
    overlay: Overlay
    sources: SourceMap
    differences: tuple[Difference, ...]
    warnings: tuple[Problem, ...] = ()
    local: MapNode | None = None
    texts: Texts = field(default_factory=Texts, compare=False, repr=False)
    internal: bool = False
    figures: ImportedFigures | None = field(default=None, compare=False, repr=False)


def load_shared(project: Project) -> MapNode:
    """All shared/*.yaml files as one map; a top-level key may live in one file only."""
    files = project.shared_files()
    if not files:
        raise IvbError([Problem("no-shared", tr("the shared part has no YAML files"),
                                Origin(project.display(project.shared_dir)),
                                tr("add the basisteam part as shared/*.yaml"))])
    values: dict[Any, Node] = {}
    keys: dict[Any, Origin] = {}
    problems: list[Problem] = []
    for path in files:
        node = load_mapping(path, project.display(path), problems, "shared-type",
                            tr("a shared file must be a mapping of sections"),
                            tr("start the file with a key and ':' at the beginning of the "
                               "line, e.g. 'chapters:', and write its content indented below "
                               "it"))
        if node is None:
            continue
        for key, value in node.values.items():
            if key == _LISTED_KEY and isinstance(value, SeqNode):
                earlier = values.get(key)
                items = earlier.items if isinstance(earlier, SeqNode) else ()
                values[key] = SeqNode(items + value.items,
                                      earlier.origin if earlier is not None else value.origin)
                keys.setdefault(key, node.keys[key])
            elif key in keys:
                problems.append(Problem("shared-key-twice",
                                        tr("'{key}' is also defined at {place}", key=key,
                                           place=keys[key].location()), node.keys[key],
                                        tr("each top-level key belongs in one shared file")))
            elif key == "municipality":
                problems.append(Problem("shared-municipality", tr("'municipality' belongs in a "
                                                                  "municipality's own file"),
                                        node.keys[key],
                                        tr("move it to municipalities/<id>/municipality.yaml "
                                           "of the municipality it describes; every member "
                                           "has its own")))
            elif key == "basisteam" and isinstance(value, MapNode) \
                    and "municipalities" in value.values:
                problems.append(Problem("shared-members", tr("the members of the basisteam are "
                                                             "the folders under "
                                                             "municipalities/"),
                                        value.keys["municipalities"],
                                        tr("remove 'municipalities:' here; run 'ivbcompose new' "
                                           "to add a municipality")))
            else:
                values[key], keys[key] = value, node.keys[key]
    if problems:
        raise IvbError(problems)
    return MapNode(values, keys, Origin(project.display(project.shared_dir)))


class _SharedDocument(BaseModel):
    """The shared document metadata on its own (the rest of the shared part is ignored)."""

    model_config = ConfigDict(extra="ignore")
    document: DocumentMeta


def shared_document_problems(shared: MapNode) -> list[Problem]:
    """Mistakes in the shared `document:` that every municipality happens to override.

    They would otherwise go unnoticed until a municipality stops overriding
    the value. Fields the shared part leaves to the municipalities are fine.
    """
    plain, sources = to_plain(shared)
    try:
        _SharedDocument.model_validate(plain)
    except ValidationError as error:
        return [p for p in validation_problems(error, _SharedDocument, sources, plain)
                if p.code != "missing-field"]
    return []


def load_members(project: Project, files: dict[str, MapNode] | None = None) -> SeqNode:
    """The basisteam's members, one per folder under municipalities/, as the texts see them.

    Only `name` and `inhabitants` are taken from each municipality's file (with
    their positions); the rest of that file is checked when it is composed. The
    files read are put in `files` (by municipality id), for `compose` to take.
    """
    members = []
    for municipality_id in project.municipality_ids():
        local = _load_municipality(project, municipality_id)
        if files is not None:
            files[municipality_id] = local
        identity = local.values["municipality"]
        origin = identity.origin
        values: dict[Any, Node] = {"id": ScalarNode(municipality_id, origin)}
        keys: dict[Any, Origin] = {"id": origin}
        if isinstance(identity, MapNode):
            for key in ("name", "inhabitants"):
                if key in identity.values:
                    values[key], keys[key] = identity.values[key], identity.keys[key]
        members.append(MapNode(values, keys, origin))
    return SeqNode(tuple(members), Origin(project.display(project.municipalities_dir)))


@kept_out_of_collection()
def compose(project: Project, municipality_id: str, shared: MapNode | None = None,
            members: SeqNode | None = None, kind: str | None = None,
            year: int | None = None, figures: ImportedFigures | None = None,
            texts: Texts | None = None, internal: bool = False,
            local: MapNode | None = None) -> Composition:
    """The composed, validated and rendered content of one municipality's document.

    `shared` and `members` may be given when several municipalities are
    composed, so they are loaded once, and `texts` so each text is compiled and
    checked once; `local` is the municipality's file when it was read already.
    `kind` and `year` choose the document (see kinds.py; default: the project's
    default kind); the whole policy is checked whatever the kind, so every kind
    sees the same mistakes. With `internal`, the confidential items stay in (for
    the internal build); else they are left out, after the whole document was
    checked.
    """
    texts = texts if texts is not None else Texts()
    shared = shared if shared is not None else load_shared(project)
    members = members if members is not None else load_members(project)
    local = local if local is not None else _load_municipality(project, municipality_id)
    base = _base_tree(shared, local, members)
    base = _with_list(base, "progress", load_progress(project, municipality_id, _period(base)))
    # The imported figures stay out of the tree: no change reaches them, and they are
    # validated once per command (ImportedFigures.files), then given to each document.
    figures = figures if figures is not None else load_figures(project)
    _require_sections(base, project)
    read = read_changes(local.get("changes"))
    changes = read.changes
    try:
        # Beside a malformed change the well-formed ones are tried too, and what does not
        # depend on the changes is checked all the same: every independent mistake in one
        # round, not the next one after this one is fixed.
        overlay = apply_changes(base, changes, read.unmade)
        if read.problems:
            raise IvbError([])
    except IvbError as error:
        found = [*read.problems, *error.problems, *_independent_problems(base)]
        raise IvbError(sorted(found, key=lambda p: (p.origin.file, p.origin.line,
                                                    p.origin.column))) from None
    # Pointers into the imported figures are resolved only in files that are well formed.
    figure_files = figures.files
    overlay = replace(overlay, tree=resolve_figures(overlay.tree, municipality_id,
                                                    figures.nodes))
    # Kinds name the shared part's chapters; one a municipality removed is not in its view.
    problems = kind_problems(base, local.get("documents"))
    if problems:
        raise IvbError(problems)
    ivb, sources, reasons, context = _checked(overlay.tree, changes, texts, figure_files)
    found = policy_problems(ivb, municipality_id, sources, overlay.applied,
                            set(find_ids(shared)))
    found += reference_problems(overlay.applied, overlay.tree, base)
    found += id_reference_problems(ivb, sources, confidential_marks(overlay.tree))
    if any(p.severity == "error" for p in found):
        raise IvbError([p for p in found if p.severity == "error"])
    composition = Composition(municipality_id, ivb, shared, base, overlay, sources, (),
                              tuple(found), local, texts, internal, figures)
    if kind is not None or year is not None:
        return compose_kind(composition, kind, year)
    account = differences(overlay.applied, overlay.tree, base, _label_renderer(context, texts),
                          reasons,
                          _field_labels(ivb))
    return _for_readers(replace(composition, differences=account))


def _for_readers(composition: Composition) -> Composition:
    """What a public document shows: no confidential item, and no difference about one
    (of an internal composition: everything). Left out after every check and after the
    differences were worked out on the whole document, so nothing is checked less."""
    if composition.internal:
        return composition
    overlay = composition.overlay
    hidden = hidden_ids(overlay.tree, composition.base, overlay.applied)
    if not hidden:
        return composition
    return replace(composition, ivb=public_model(composition.ivb),
                   differences=public_differences(composition.differences, hidden))


def compose_kind(composition: Composition, kind: str | None, year: int | None,
                 account: bool = True) -> Composition:
    """Another kind of document (or year) of a composed municipality, without composing it
    again: the changes are applied and the policy is checked once, whatever the kind.

    Without `account`, the appendix of differences and the public view are not made (they
    find no mistakes): for `check`, which only asks what a build of the kind refuses. Such
    a composition is for checking only: it still holds the confidential items.
    """
    local = composition.local
    assert local is not None
    overlay = composition.overlay
    changes = parse_changes(local.get("changes"))
    view = select_kind(overlay.tree, kind, year, local.get("documents"))
    figures = composition.figures.files if composition.figures is not None else ()
    ivb, sources, reasons, context = _checked(view, changes, composition.texts, figures)
    if not account:
        return replace(composition, ivb=ivb, sources=sources, differences=())
    shown_account = differences(overlay.applied, overlay.tree, composition.base,
                                _label_renderer(context, composition.texts), reasons,
                                _field_labels(ivb))
    # Another kind of document shows only its chapters: account for the differences there.
    shown, hidden = _shown_ids(view, ivb, composition.base)
    kept = tuple(d for d in shown_account if d.concerns & shown and not d.concerns & hidden)
    return _for_readers(replace(composition, ivb=ivb, sources=sources, differences=kept))


def _shown_ids(view: MapNode, ivb: Ivb, base: MapNode) -> tuple[set[str], set[str]]:
    """The ids of the items a kind's document shows, and of those it leaves out inside
    them. Shown: what is in its chapters, and the policy's priorities (their goals,
    indicators and measures) when one of its blocks reads them; the view also holds the
    policy's own chapters (`policy_chapters`), which the document does not show. Left
    out: the goals and measures of a kind without the policy (a startnotitie), also those
    of the shared part (`base`) that the municipality removed."""
    chapters = view.get("chapters")
    shown = set(ids_inside(chapters)) if chapters is not None else set()
    hidden: set[str] = set()
    reads_policy = any(block.reads_policy for _, block in ivb.blocks())
    without_policy = ivb.kind is not None and not ivb.kind.policy and not reads_policy
    for path, _ in ivb.priorities():
        area = node_at(view, path)
        if not isinstance(area, MapNode):
            continue
        if reads_policy:
            shown.update(ids_inside(area))
        if without_policy:
            shared = [node for _, node in base.id_places.get(item_id(area) or "", [])]
            for node in (area, *shared):
                for key in ("goals", "measures"):
                    if (part := node.get(key)) is not None:
                        hidden.update(ids_inside(part))
    return shown, hidden


class _Identity(BaseModel):
    """The part of a document that no change can touch: who it is for and what it is."""

    model_config = ConfigDict(extra="ignore")
    municipality: Municipality
    document: DocumentMeta


def _independent_problems(base: MapNode) -> list[Problem]:
    """The mistakes in a municipality's identity and document metadata, found without its
    changes (which failed). Kinds are left out: a failed change can be their cause."""
    plain, sources = to_plain(base)
    try:
        _Identity.model_validate(plain)
        problems: list[Problem] = []
    except ValidationError as error:
        problems = validation_problems(error, _Identity, sources, plain)
    return problems


def _checked(tree: MapNode, changes: tuple[Change, ...], texts: Texts,
             figures: tuple[FigureFile, ...]
             ) -> tuple[Ivb, SourceMap, dict[ChangeRef, str], dict[str, Any]]:
    """Validate, render the texts, and validate again: the document a tree shows, with the
    imported figures."""
    plain, sources = to_plain(tree)
    draft = _validate(plain, sources)
    context = template_context(draft.municipality, draft.document, draft.basisteam)
    rendered, reasons = _render(tree, plain, draft, changes, context, texts)
    problems = _unwritable(rendered, sources)
    if problems:
        raise IvbError(problems)
    ivb = _validate(rendered, sources)
    if figures:
        ivb = ivb.model_copy(update={"figures": list(figures)})
    return ivb, sources, reasons, context


# What no document (XML) can hold: control characters other than tab and line breaks, lone
# surrogates, and the two non-characters. YAML lets them in as escapes ("\x01"), and a
# template can make them.
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _unwritable(data: Any, sources: SourceMap) -> list[Problem]:
    """Every text (after rendering) with a character a document cannot hold, at its place."""
    places: list[tuple[tuple[Any, ...], str]] = []
    _find_unwritable(data, (), places)
    problems = []
    for path, found in places:
        character = f"U+{ord(found):04X}"
        problems.append(Problem(
            "control-character", tr("the text contains an invisible character ({character}) "
                                    "that no document can hold", character=character),
            sources.origin(path), tr("delete it: it often comes with text pasted from another "
                                     "program, or from an escape such as \\x01 in quotes")))
    return problems


def _find_unwritable(data: Any, path: tuple[Any, ...],
                     places: list[tuple[tuple[Any, ...], str]]) -> None:
    # Every value of every document passes here: a plain recursion, not nested generators.
    if isinstance(data, str):
        found = _UNWRITABLE.search(data)
        if found:
            places.append((path, found.group()))
    elif isinstance(data, dict):
        for key, value in data.items():
            if not isinstance(value, int | float | bool | None):
                _find_unwritable(value, (*path, key), places)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            if not isinstance(value, int | float | bool | None):
                _find_unwritable(value, (*path, index), places)


def _field_labels(ivb: Ivb) -> Callable[[str, str], str]:
    """The Dutch name of a field of an item, as its model declares it."""
    models: dict[str, BaseModel] = {}

    def label(item_id: str, field: str) -> str:
        if not models:  # the items are found on the first question: most documents ask none
            models.update(items_by_id(ivb))
        model = models.get(item_id)
        return field_label(type(model), field) if model is not None else field

    return label


def _load_municipality(project: Project, municipality_id: str) -> MapNode:
    path = project.municipality_file(municipality_id)
    node = load_yaml(path, project.display(path))
    if not isinstance(node, MapNode):
        raise IvbError([Problem("municipality-type", tr("a municipality file must be a mapping "
                                                        "with 'municipality', 'document' and "
                                                        "'changes'"), node.origin,
                                tr("start the file with 'municipality:' at the beginning of a "
                                   "line and its name, cbs_code and inhabitants indented below "
                                   "it; 'ivbcompose new' writes a file to start from"))])
    problems = [
        Problem("unknown-key", tr("unknown key '{key}'", key=key), node.keys[key],
                did_you_mean(str(key), _MUNICIPALITY_KEYS)
                or tr("a municipality file has: {names}", names=", ".join(_MUNICIPALITY_KEYS)))
        for key in node.values if key not in _MUNICIPALITY_KEYS
    ]
    if "municipality" not in node.values:
        problems.append(Problem("missing-field", tr("required key 'municipality' is missing"),
                                node.origin, tr("add the municipality's name, cbs_code and "
                                                "inhabitants under 'municipality:'")))
    if problems:
        raise IvbError(problems)
    return node


def _period(base: MapNode) -> tuple[int, int] | None:
    """The document's period as written, if it is two years (validation checks it later)."""
    document = base.get("document")
    period = document.get("period") if isinstance(document, MapNode) else None
    ends = [period.get(k) for k in ("start", "end")] if isinstance(period, MapNode) else []
    years = [e.value for e in ends if isinstance(e, ScalarNode) and isinstance(e.value, int)]
    return (years[0], years[1]) if len(years) == 2 else None


def _with_list(base: MapNode, key: str, items: SeqNode) -> MapNode:
    """The tree with a list that composing adds (progress, imported figures), if any."""
    if not items.items:
        return base
    return MapNode({**base.values, key: items}, {**base.keys, key: items.origin}, base.origin)


def _base_tree(shared: MapNode, local: MapNode, members: SeqNode) -> MapNode:
    """The shared part with the basisteam's members, the municipality's identity and its
    document metadata merged in."""
    values, keys = dict(shared.values), dict(shared.keys)
    basisteam = shared.get("basisteam")
    if isinstance(basisteam, MapNode):
        values["basisteam"] = MapNode({**basisteam.values, "municipalities": members},
                                      {**basisteam.keys, "municipalities": members.origin},
                                      basisteam.origin)
    values["municipality"], keys["municipality"] = local.values["municipality"], \
        local.keys["municipality"]
    document = local.get("document")
    if document is not None:
        shared_document = shared.get("document")
        if not isinstance(document, MapNode) or not isinstance(shared_document, MapNode):
            values["document"], keys["document"] = document, local.keys["document"]
        else:
            values["document"] = merge_documents(shared_document, document)
    return MapNode(values, keys, shared.origin)


def _require_sections(base: MapNode, project: Project) -> None:
    """Every part of the document must be in the shared part before changes can apply."""
    missing = [name for name, field in Ivb.model_fields.items()
               if (field.is_required() or name == _LISTED_KEY) and name not in base.values
               and name != "municipality"]
    if missing:
        raise IvbError([Problem("missing-section", tr("the shared part has no '{key}'", key=name),
                                Origin(project.display(project.shared_dir)),
                                tr("add '{key}:' to a file in shared/ (was a shared file "
                                   "deleted or renamed?)", key=name)) for name in missing])


def _validate(plain: Any, sources: SourceMap) -> Ivb:
    try:
        return Ivb.model_validate(plain)
    except ValidationError as error:
        raise IvbError(validation_problems(error, Ivb, sources, plain)) from None


def _render(tree: Node, plain: Any, draft: Ivb, changes: tuple[Change, ...],
            context: dict[str, Any], texts: Texts) -> tuple[Any, dict[ChangeRef, str]]:
    """Plain data with every text's Jinja2 variables filled in, and the changes' reasons.

    Which values are texts, and which of them are Markdown, the model says
    (`model.text_fields`); codes such as ids are never rendered. Reasons are
    printed in the document's appendix, so they are texts like any other.
    Every text is also checked for what the documents cannot show.
    """
    problems: list[Problem] = []

    def text(node: ScalarNode, role: Role, key: str = "body") -> str:
        try:
            rendered = texts.renderer.render(node.value, context, node.origin, node.raw)
        except TemplateProblem as failed:
            problems.append(failed.problem)
            return str(node.value)
        found = texts.problems(role is Role.PLAIN, rendered)
        if role is not Role.PLAIN and node.style is None and "\n" in node.value:
            # A plain YAML text keeps only a blank line as a line break: its paragraphs
            # and list items would run together into one.
            found.append((tr("this text has several paragraphs or list items, but without "
                             "'|' YAML joins them"),
                          tr("write the key with '|' after it ('{key}: |') and the text "
                             "indented on the lines below", key=key)))
        if role is Role.LIST_ITEM and not found and has_table(rendered):
            found = [(tr("a point of a list cannot hold a table"),
                      tr("put the table in a text of its own, e.g. the section's 'body'"))]
        problems.extend(Problem("unsupported-markup", message, node.origin, hint)
                        for message, hint in found)
        return rendered

    for path, role in text_fields(draft):
        node = node_at(tree, path)
        if isinstance(node, ScalarNode) and isinstance(node.value, str):
            key = next((str(p) for p in reversed(path) if isinstance(p, str)), "body")
            _set(plain, path, text(node, role, key))
    reasons = {}
    for change in changes:
        reason = change.node.values.get("reason")
        if isinstance(reason, ScalarNode) and isinstance(reason.value, str):
            reasons[change.ref] = text(reason, Role.PLAIN, "reason").strip()
    if problems:
        raise IvbError(problems)
    return plain, reasons


def _set(data: Any, path: tuple[Any, ...], value: Any) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def _label_renderer(context: dict[str, Any], texts: Texts) -> Callable[[str], str]:
    """Fill in variables in a label; a label that fails to render is shown as written."""

    def render(text: str) -> str:
        try:
            return texts.renderer.render(text, context, Origin("<label>"))
        except TemplateProblem:
            return text

    return render


