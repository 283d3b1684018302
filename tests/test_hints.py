"""Every problem says what to do: a hint for each mistake, checked two ways.

The static test reads the source: every constructor of a problem (or of an
error that becomes one) is given a hint that cannot be None. The runtime test
makes mistakes in the fixture project, the ones of tests/test_i18n.py and
many more, and checks that every problem `check` reports has a hint, in Dutch
too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import ivbcompose
from ivbcompose import api
from ivbcompose.cli import main
from ivbcompose.errors import Problem
from ivbcompose.i18n import Message
from ivbcompose.overlay.changes import _MISSING_HINTS, OPERATION_KEYS
from ivbcompose.validation import _TYPE_WORDS, _other_kind, _type_hint

from .conftest import edit
from .test_i18n import DUTCH, MISTAKES

SOURCE = Path(ivbcompose.__file__).resolve().parent

# What makes a problem, or an error that becomes one, and the position of its hint.
CARRIERS = {
    "Problem": 3,
    "LocatedError": 2,
    "_warning": 3,
    "_error": 2,
    "ExportError": 3,
    "PdfError": 1,
    "LibreOfficeError": 1,
    "AuditFinding": 2,
    "ProjectNotFound": 1,
    "UnknownAddress": 1,
    "AgainstError": 1,
}

# (file, enclosing function, a piece of the call's source): why it has no hint.
ALLOWED: dict[tuple[str, str, str], str] = {
    ("cli.py", "_main", "error.message"):
        "a usage error (UsageError): each of its messages says what to do itself, e.g. "
        "'name a municipality or use --all'",
    ("cli.py", "_main", "unknown municipality"):
        "the line after it lists the known municipalities, and a close one is suggested in "
        "the message",
}


def _may_be_none(node: ast.expr) -> bool:
    """Whether a hint expression can be None (or empty): a literal None, a did-you-mean or a
    `.get` without a fallback, or a condition with such a branch."""
    if isinstance(node, ast.Constant):
        return node.value is None or node.value == ""
    if isinstance(node, ast.IfExp):
        return _may_be_none(node.body) or _may_be_none(node.orelse)
    if isinstance(node, ast.BoolOp):
        return isinstance(node.op, ast.And) or _may_be_none(node.values[-1])
    if isinstance(node, ast.Call):
        name = node.func.id if isinstance(node.func, ast.Name) else \
            node.func.attr if isinstance(node.func, ast.Attribute) else ""
        if name == "did_you_mean" or (name == "get" and len(node.args) < 2):
            return True
        if name == "next" and len(node.args) == 2:
            return _may_be_none(node.args[1])
    return False


def _calls_without_hint() -> list[tuple[str, str, int, str]]:
    """(file, function, line, source) of every carrier call whose hint is missing or may be
    None."""
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef | ast.Module):
                continue
            name = getattr(function, "name", "<module>")
            for node in _own_nodes(function):
                if not isinstance(node, ast.Call):
                    continue
                called = node.func.id if isinstance(node.func, ast.Name) else \
                    node.func.attr if isinstance(node.func, ast.Attribute) else None
                if called not in CARRIERS:
                    continue
                if any(isinstance(a, ast.Starred) for a in node.args) \
                        or any(k.arg is None for k in node.keywords):
                    continue  # `*args`: passed on, checked where they are made
                keywords = {k.arg: k.value for k in node.keywords}
                position = CARRIERS[called]
                hint = keywords.get("hint", node.args[position]
                                    if len(node.args) > position else None)
                if hint is None or _may_be_none(hint):
                    found.append((path.relative_to(SOURCE).as_posix(), name, node.lineno,
                                  ast.unparse(node)))
    return found


def _own_nodes(scope: ast.AST) -> list[ast.AST]:
    """The nodes of a function (or module) that are not inside a nested function."""
    nodes: list[ast.AST] = []
    todo = list(ast.iter_child_nodes(scope))
    while todo:
        node = todo.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        nodes.append(node)
        todo.extend(ast.iter_child_nodes(node))
    return nodes


def _allowed(file: str, function: str, source: str) -> tuple[str, str, str] | None:
    return next((key for key in ALLOWED
                 if key[0] == file and key[1] == function and key[2] in source), None)


def test_every_problem_is_made_with_a_hint() -> None:
    missing = [f"{file}:{line} ({function}): {source[:120]}"
               for file, function, line, source in _calls_without_hint()
               if _allowed(file, function, source) is None]
    assert not missing, "a problem without a hint (give it one, or allow it here with a " \
        "reason):\n" + "\n".join(missing)


def test_the_allow_list_is_current() -> None:
    used = {_allowed(file, function, source) for file, function, _, source in
            _calls_without_hint()}
    assert set(ALLOWED) <= used, f"allowed, but no longer without a hint: {set(ALLOWED) - used}"
    assert all(reason.strip() for reason in ALLOWED.values())


def test_the_models_rules_raise_located_errors() -> None:
    """A rule of a model raises LocatedError, whose hint is required; a plain ValueError
    would become a problem with only a generic hint."""
    found = []
    for path in sorted((SOURCE / "model").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) \
                    and isinstance(node.exc.func, ast.Name) \
                    and node.exc.func.id in ("ValueError", "AssertionError", "TypeError"):
                found.append(f"model/{path.name}:{node.lineno}")
    assert not found


def test_the_static_check_sees_what_it_should() -> None:
    def hint_of(code: str) -> ast.expr:
        expression = ast.parse(code, mode="eval").body
        assert isinstance(expression, ast.Call)
        return expression.args[3]

    assert _may_be_none(hint_of("Problem(c, m, o, None)"))
    assert _may_be_none(hint_of("Problem(c, m, o, did_you_mean(a, b))"))
    assert _may_be_none(hint_of("Problem(c, m, o, tr('x') if a else None)"))
    assert _may_be_none(hint_of("Problem(c, m, o, HINTS.get(field))"))
    assert not _may_be_none(hint_of("Problem(c, m, o, did_you_mean(a, b) or tr('x'))"))
    assert not _may_be_none(hint_of("Problem(c, m, o, HINTS.get(field, tr('x')))"))


@pytest.mark.parametrize("kind", sorted(_TYPE_WORDS))
@pytest.mark.parametrize("value", [None, "tekst", "12", "2021-03-09", 7.5, 21.929, 3, True,
                                   [1, 2], {"a": 1}])
def test_every_wrong_type_gets_a_hint(kind: str, value: object) -> None:
    hint = _type_hint(kind, value, ("document", "period"))
    assert isinstance(hint, Message) and hint.strip() and DUTCH.has(hint.template)


@pytest.mark.parametrize("kind", ["too_short", "too_long", "string_too_short",
                                  "string_too_long", "multiple_of", "int_parsing_size",
                                  "none_required", "frozen_field", "is_instance_of"])
def test_every_rarer_kind_of_mistake_gets_a_hint(kind: str) -> None:
    found = _other_kind(kind, "'x'", {"min_length": 2, "max_length": 3, "multiple_of": 5}, 7)
    assert found is not None
    _message, hint = found
    assert hint.strip() and isinstance(hint, Message) and DUTCH.has(hint.template)


def test_every_missing_key_of_a_change_gets_a_hint() -> None:
    needed = {(operation, key) for operation, (required, _) in OPERATION_KEYS.items()
              for key in required}
    assert needed == set(_MISSING_HINTS)


M = "municipalities"
URK = f"{M}/urk/municipality.yaml"
DRONTEN = f"{M}/dronten/municipality.yaml"
PROGRESS = f"{M}/dronten/progress/2020.yaml"
FOCUS = "shared/60-focus.yaml"
INTRO = "shared/10-inleiding.yaml"
PROCESS = "shared/20-proces.yaml"
PARTNERS = "shared/30-betrokkenen.yaml"
FRAME = "shared/40-kaders.yaml"

# More mistakes, (file, old, new) as in tests/test_i18n.py; `old` None writes a whole file.
# A fourth value names the municipality to check, when Urk's own changes would hide the
# mistake in the shared part.
MORE_MISTAKES: list[tuple[str, str | None, str] | tuple[str, str | None, str, str]] = [
    # Wrong types.
    (URK, "  name: Urk\n", "  name: [Urk, Emmeloord]\n"),
    (URK, "inhabitants_year: 2024", "inhabitants_year: \"twintig\""),
    (URK, "inhabitants: 21929", "inhabitants: [21929]"),
    (URK, "kernen: [Urk]", "kernen: {Urk: ja}"),
    (URK, "period: {start: 2021, end: 2022}", "period: 2021-2022"),
    (URK, "date: 2021-03-09   ", "date: 9 maart 2021"),
    (INTRO, "title: Inleiding", "title: {tekst: Inleiding}"),
    (INTRO, "title: Inleiding", "title:"),
    (INTRO, "title: Inleiding", "title: \" \""),
    (PARTNERS, "        members: true", "        members: \"ja\""),
    (DRONTEN, "baseline: {value: 68,", "baseline: {value: veel,"),
    (FOCUS, "partners: [politie]", "partners: [De Politie]"),
    (FOCUS, "veld: jeugd-en-veiligheid", "veld: jeugd"),
    (INTRO, "id: inleiding", "id: Inleiding"),
    (URK, "inhabitants: 21929", "inhabitants: 0"),
    (URK, "{start: 2021, end: 2022}", "{start: 1980, end: 2022}"),
    (PROCESS, "responsible: [College, Gemeenteraad]", "responsible: []", "dronten"),
    # Missing required fields.
    (URK, "  inhabitants_year: 2024\n", ""),
    (FOCUS, "            veld: jeugd-en-veiligheid\n", ""),
    (PROCESS, "            caption: \"Procesplanning {{ document.short }} "
     "{{ document.period }}\"\n", ""),
    (PARTNERS, "{id: ggd, name: GGD}", "{id: ggd}"),
    (URK, "municipality:\n  name: Urk", "gemeente:\n  name: Urk"),
    # The models' own rules.
    (URK, "status: vastgesteld", "status: concept"),
    (URK, "  adopted_on: 2021-03-09             # [illustratief]\n", ""),
    (DRONTEN, "years: [2020, 2021]", "years: [2020, 2027]"),
    (DRONTEN, "          years: [2020, 2021]\n", "          years: [2020, 2021]\n"
     "          when: Q1 2020\n"),
    (FOCUS, "split: equal", "split: {dronten: 50, urk: 30, noordoostpolder: 10}"),
    (FOCUS, "split: equal", "split: {dronten: 120, urk: -20}"),
    (FOCUS, "{kind: structureel, amount: 2500, funding: bestaand budget}",
     "{kind: structureel, amount: 2500, funding: bestaand budget, year: 2021}"),
    (FOCUS, "{kind: incidenteel, year: 2021, amount: 12000", "{kind: incidenteel, amount: 12000"),
    (FOCUS, "amount: 2500,", "amount: \"€ 2.500\","),
    (FOCUS, "amount: 2500,", "amount: 2.5,"),
    (DRONTEN, "baseline: {value: 68, year: 2018, source:", "baseline: {value: 68, source:"),
    (FOCUS, "baseline: {pending: per gemeente uit de politiecijfers}",
     "baseline: {value: 3, year: 2019, pending: volgt}"),
    (FOCUS, "baseline: {pending: per gemeente uit de politiecijfers}",
     "baseline: {source: Politie}"),
    (FOCUS, "target: 7    ", "target: 12    ", "dronten"),
    (FOCUS, "baseline: {pending: per gemeente uit de meldingen bij de politie}\n",
     "baseline: {pending: per gemeente uit de meldingen bij de politie}\n"
     "                    targets: {2030: 5}\n"),
    (DRONTEN, "{2020: 120000, 2021: 135000,", "{2030: 1, 2020: 120000, 2021: 135000,"),
    (FRAME, "      - id: uitgangspunt\n        title: Uitgangspunt\n",
     "      - id: uitgangspunt\n        title: Uitgangspunt\n        blocks:\n          - {type: "
     "table, id: tabel, caption: Tabel, columns: [{label: A}, {label: B}], rows: [[a, b], [c]]}"
     "\n"),
    (INTRO, "        title: Doel van dit document\n",
     "        title: Doel van dit document\n        sections:\n          - id: diep\n"
     "            title: Diep\n            sections:\n              - {id: dieper, title: "
     "Dieper}\n"),
    (PROCESS, "when: Q1 2020\n", "when: eerste kwartaal 2020\n", "dronten"),
    (PROCESS, "when: Q1/Q2 2020", "when: Q1/Q3 2020", "dronten"),
    (PROCESS, "when: Q1/Q2 2020", "when: Q1/Q2", "dronten"),
    (DRONTEN, "          years: [2020, 2021]\n", "          when: Q3 2020 / Q4\n"),
    (DRONTEN, "{id: autokraak, label: Autokraak, values: {2016: 78, 2017: 74, 2018: 75}}",
     "{id: autokraak, label: Autokraak, values: {2016: 78, 2018: 75}}"),
    (DRONTEN, "{2016: 78, 2017: 74, 2018: 75}", "{2016: 78, 2017: 74, 2018: -75}"),
    (DRONTEN, "{2016: 78, 2017: 74, 2018: 75}", "{2016: 78, 2017: 74, 2018: 75.5}"),
    (DRONTEN, "{2016: 78, 2017: 74, 2018: 75}", "{2016: 78, 2017: 74, 2018: 75, 2015: 70}"),
    (DRONTEN, "{2016: 1, 2017: 1, 2018: 2}", "{2016: 200, 2017: 1, 2018: 2}"),
    (DRONTEN, "total: criminaliteit-totaal", "total: criminaliteit-totaall"),
    (DRONTEN, "total: criminaliteit-totaal", "total: zakkenrollen"),
    (DRONTEN, "pending: {2019:", "pending: {2020:"),
    (DRONTEN, "years: [2016, 2017, 2018, 2019]", "years: [2016, 2017, 2018, 2018]"),
    (DRONTEN, "label: Fietsendiefstal, part_of: brom-snor-fietsdiefstal",
     "label: Fietsendiefstal, part_of: fietsdiefstal"),
    (DRONTEN, "label: Bromfietsdiefstal, part_of: brom-snor-fietsdiefstal",
     "label: Bromfietsdiefstal, part_of: fietsdiefstal"),
    (DRONTEN, "label: Bromfietsdiefstal, part_of: brom-snor-fietsdiefstal",
     "label: Bromfietsdiefstal, part_of: onbekend"),
    (DRONTEN, "{id: autokraak, label: Autokraak,",
     "{id: autokraak, label: Autokraak, kleur: rood,"),
    # The shape of changes.
    (URK, "  - remove: buurtbemiddeling", "  - remove: buurtbemiddeling\n    update: inleiding"),
    (URK, "  - remove: buurtbemiddeling", "  - weghalen: buurtbemiddeling"),
    (URK, "    to: focus-areas\n", "    to: focus-areas\n    waar: boven\n"),
    (DRONTEN, "  - move: openbare-orde\n    before: buurt-en-veiligheid\n",
     "  - move: openbare-orde\n"),
    (DRONTEN, "    before: buurt-en-veiligheid\n",
     "    before: buurt-en-veiligheid\n    after: ondermijning\n"),
    (URK, "      id: haven-en-visserij\n", ""),
    (URK, "  - append: [Jeugdhonken en drankketen, Vuurwerkoverlast rond de jaarwisseling]",
     "  - append: []"),
    (URK, "    to: focus-areas\n", ""),
    (URK, "    to: jeugd-en-veiligheid.attention\n", ""),
    (URK, "  - update: ind-rapportcijfer-buurt\n    with: {target: 7.5}", "  - update: "
     "ind-rapportcijfer-buurt\n    reason: x\n  - replace: ind-rapportcijfer-buurt.target\n"
     "    reason: x\n  - remove: x\n    with: {target: 7.5}"),
    (URK, "    reason: Urk heeft geen eigen organisatie voor buurtbemiddeling als netwerkpartner.",
     "    reason: \"\""),
    (URK, "    reason: Urk behandelt verkeersveiligheid in de eigen couleur locale.\n", ""),
    (URK, "  - remove: buurtbemiddeling          # [illustratief]\n    reason: Urk heeft geen "
     "eigen organisatie voor buurtbemiddeling als netwerkpartner.\n", "  - buurtbemiddeling\n"),
    (URK, None, "municipality: {name: Urk, cbs_code: GM0184, inhabitants: 21929, "
     "inhabitants_year: 2024}\nchanges: geen\n"),
    (URK, "  - add:\n      id: haven-en-visserij", "  - add: haven-en-visserij\n    met:\n"
     "      id: haven-en-visserij"),
    (URK, "    to: focus-areas\n", "    to: [focus-areas]\n"),
    # Targets that do not fit the change.
    (URK, "      title: Jeugd, alcohol en drugs\n", "      title: Jeugd, alcohol en drugs\n"
     "      id: jeugd\n"),
    (URK, "      title: Jeugd, alcohol en drugs\n", "      attention: [Drank]\n"),
    (URK, "      title: Jeugd, alcohol en drugs\n", "      title:\n"),
    (URK, "  - update: jeugd-en-veiligheid\n", "  - update: jeugd-en-veiligheid.title\n"),
    (URK, "  - update: jeugd-en-veiligheid\n    with:\n      title: Jeugd, alcohol en drugs\n",
     "  - update: jeugd-en-veiligheid\n    with: Jeugd, alcohol en drugs\n"),
    (DRONTEN, "    before: buurt-en-veiligheid", "    before: openbare-orde"),
    (DRONTEN, "    before: buurt-en-veiligheid", "    before: buurt-en-veiligheidd"),
    (DRONTEN, "  - move: openbare-orde\n", "  - move: openbare-orde.title\n"),
    (DRONTEN, "  - move: openbare-orde\n    before: buurt-en-veiligheid",
     "  - move: openbare-orde\n    to: partners"),
    (DRONTEN, "  - move: openbare-orde\n    before: buurt-en-veiligheid",
     "  - move: focus\n    to: focus-areas"),
    (URK, "    to: jeugd-en-veiligheid.attention", "    to: jeugd-en-veiligheid.title"),
    (URK, "    to: jeugd-en-veiligheid.attention", "    to: jeugd-en-veiligheid"),
    (URK, "    to: jeugd-en-veiligheid.attention", "    to: jeugd-en-veiligheid.title.tekst"),
    (URK, "  - remove: verkeersoverlast", "  - remove: inleiding"),
    (URK, "  - remove: verkeersoverlast", "  - remove: document"),
    (URK, "  - remove: verkeersoverlast", "  - remove: jeugd-en-veiligheid.title"),
    (URK, "  - replace: planning.rows", "  - replace: planning.id"),
    (URK, "  - replace: planning.rows", "  - replace: planning"),
    (URK, "      id: haven-en-visserij\n", "      id: jeugd-en-veiligheid\n"),
    (URK, "      id: haven-en-visserij\n", "      id: haven-en-visserij\n      required: true\n"),
    (URK, "    with: {target: 7.5}", "    with: {target: }"),
    (INTRO, "        title: Doel van dit document\n", "        title: Doel van dit document\n"
     "      - id: doel\n        title: Nog een doel\n"),
    # The policy's own checks.
    (FOCUS, "goals: [doel-minder-criminaliteit]", "goals: [doel-onbekend]"),
    (FOCUS, "lead: Team OOV\n                partners: [politie]\n",
     "lead: politiee\n                partners: [politie]\n"),
    (FOCUS, "split: equal", "split: {dronten: 50, lelystad: 50}"),
    # Progress files.
    (PROGRESS, "  - measure: buurtpreventie\n    status: gestart\n",
     "  - measure: buurtpreventie\n    status: gestart\n  - measure: buurtpreventie\n"),
    (PROGRESS, "  - measure: buurtpreventie", "  - measure: buurtpreventiee"),
    (PROGRESS, "  - indicator: ind-misdrijven-per-1000", "  - indicator: ind-onbekend"),
    (PROGRESS, "  - measure: ondermijning-basisteam\n",
     "  - measure: ondermijning-basisteam\n    status: gestart\n"),
    (PROGRESS, "    status: gestart\n", "    status: gestart\n    spent: -5\n"),
    (PROGRESS, "    status: gestart\n", "    status: gestart\n    spent: veel\n"),
    (f"{M}/dronten/progress/verslag.yaml", None, "measures: []\n"),
    (f"{M}/dronten/progress/2021.yaml", None, "- measure: buurtpreventie\n"),
    (f"{M}/dronten/progress/2030.yaml", None, "measures: []\n"),
    # YAML, files and the project.
    (URK, "  name: Urk\n", "\tname: Urk\n"),
    (URK, "  name: Urk\n", "  name: Urk\n  name: Urk\n"),
    (URK, "  name: Urk\n", "  name: &naam Urk\n  logo_alt: *naam\n"),
    (URK, "  name: Urk\n", "  name: !gemeente Urk\n"),
    (URK, "  name: Urk\n", "  [name]: Urk\n"),
    (URK, "  name: Urk\n", "  <<: {name: Urk}\n"),
    (URK, "  name: Urk\n", "  name: Urk \u201cdorp\u201d: ja\n"),
    (URK, "date: 2021-03-09   ", "date: 2021-02-30   "),
    (URK, "  name: Urk\n", "  name: Urk\n  logo: logo.png\n"),
    (URK, None, "- Urk\n"),
    ("shared/99-los.yaml", None, "- een\n- twee\n"),
    ("shared/99-los.yaml", None, "basisteam: {name: Nog een}\n"),
    ("shared/00-document.yaml", "basisteam:\n", "municipality: {name: Urk}\nbasisteam:\n"),
    ("shared/00-document.yaml", "  name: Basisteam", "  municipalities: [urk]\n  name: Basisteam"),
    (f"{M}/Lelystad/municipality.yaml", None, "municipality: {name: Lelystad}\n"),
    (f"{M}/urk/extra.yaml", None, "changes: []\n"),
    # Texts and templates.
    (INTRO, "title: Inleiding", "title: \"Inleiding {{ gemeente | bedrag }}\""),
    (INTRO, "title: Inleiding", "title: \"Inleiding {{ municipality.naam }}\""),
    (INTRO, "title: Inleiding", "title: \"Inleiding {{ 1/0 }}\""),
    ("shared/50-themas.yaml", "      - id: cybercrime\n", "      - id: cybercrime\n"
     "        intro: Dit is <b>vet</b>\n"),
    (INTRO, "title: Inleiding", "title: \"Inleiding\\x01\""),
    ("shared/50-themas.yaml", "      - id: cybercrime\n", "      - id: cybercrime\n"
     "        intro: \"# Kop\"\n"),
]


def _municipality(file: str) -> str:
    parts = file.split("/")
    return parts[1] if parts[0] == "municipalities" and parts[1].islower() else "urk"


ALL_MISTAKES = [*MISTAKES, *MORE_MISTAKES]


@pytest.mark.parametrize("mistake", ALL_MISTAKES,
                         ids=[f"{i}-{m[0].split('/')[-1]}:{m[2][:30]}"
                              for i, m in enumerate(ALL_MISTAKES)])
def test_every_problem_of_a_mistake_has_a_hint(project: api.Project,
                                               mistake: tuple[str, ...]) -> None:
    file, old, new, *municipality = mistake
    path = project.root / file
    if old is None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(new, encoding="utf-8")
    else:
        edit(path, old, new)
    problems = api.check(project, municipality or [_municipality(file)])
    assert problems, "the mistake went unnoticed"
    for problem in problems:
        _assert_hint(problem)


def _assert_hint(problem: Problem) -> None:
    where = f"{problem.origin.location()}: {problem.message}"
    assert problem.hint is not None and str(problem.hint).strip(), f"no hint: {where}"
    # Plain words for a policy advisor: never a Python repr.
    assert not any(word in problem.hint for word in ("Traceback", "object at 0x", "<class ")), \
        where
    if isinstance(problem.hint, Message):
        assert DUTCH.has(problem.hint.template), f"no Dutch for the hint of {where}"


def test_command_line_errors_about_files_and_folders_have_a_hint(
        project: api.Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["list"]) == 2
    assert "\n  hint: run the command in the project's folder" in capsys.readouterr().err
    assert main(["--project", str(tmp_path), "list"]) == 2
    assert "\n  hint: give --project the folder that holds" in capsys.readouterr().err
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    assert main(["--project", str(project.root), "build", "urk", "-o", str(blocker)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("ivbcompose: error: cannot access") and "\n  hint: check that" in err
    assert main(["--lang", "nl", "--project", str(tmp_path), "list"]) == 2
    assert "\n  tip: geef bij --project de map op" in capsys.readouterr().err
