"""Messages in Dutch: the catalog is complete and current, and what users see is Dutch.

The catalog test extracts the marked texts from the code as `dev.py messages`
does (Babel) and fails for a text without a Dutch translation, with different
placeholders, or missing from the compiled catalog. The mistake tests make
mistakes in every stage of a fixture project and fail for a problem whose
message or hint was not marked for translation.
"""

from __future__ import annotations

import io
import string

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from ivbcompose import api
from ivbcompose.cli import main
from ivbcompose.errors import Problem, format_problem
from ivbcompose.i18n import Message, language_for, tr

from .conftest import REPO, edit

LOCALE = REPO / "src" / "ivbcompose" / "locale"
PO = LOCALE / "nl" / "LC_MESSAGES" / "ivbcompose.po"
MO = PO.with_suffix(".mo")
DUTCH = language_for("nl")


def _extracted() -> dict[str, str | tuple[str, ...]]:
    """msgid -> message (a tuple for plurals), as `python3 dev.py messages` extracts them."""
    found: dict[str, str | tuple[str, ...]] = {}
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(REPO / "src"), method_map=[("**.py", "python")],
            keywords={"tr": None, "ntr": (1, 2), "N_": None}):
        key = message[0] if isinstance(message, tuple) else message
        found[key] = message
    return found


def _catalog() -> Catalog:
    with PO.open("rb") as file:
        return read_po(file)


def _placeholders(text: str) -> set[str]:
    names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    return names | {part.split(")")[0] for part in text.split("%(")[1:]}


def test_every_marked_text_has_a_dutch_translation_with_the_same_placeholders() -> None:
    catalog = _catalog()
    extracted = _extracted()
    assert len(extracted) > 50
    missing, fuzzy, different = [], [], []
    for key, message in extracted.items():
        entry = catalog.get(key)
        if entry is None or not entry.string or (
                isinstance(entry.string, tuple) and not all(entry.string)):
            missing.append(key)
            continue
        if entry.fuzzy:
            fuzzy.append(key)
        originals = message if isinstance(message, tuple) else (message,)
        translations = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        wanted = set().union(*map(_placeholders, originals))
        for translation in translations:
            # A singular may leave out {n} ("één fout"); nothing else may go missing or appear.
            if not _placeholders(translation) <= wanted or \
                    wanted - {"n"} - _placeholders(translation):
                different.append(key)
    assert not missing, f"no Dutch translation (run 'python3 dev.py messages'): {missing[:10]}"
    assert not fuzzy, f"fuzzy translations to check: {fuzzy[:10]}"
    assert not different, f"placeholders differ: {different[:10]}"


def test_the_catalog_holds_nothing_the_code_no_longer_says() -> None:
    catalog, extracted = _catalog(), _extracted()
    stale = [m.id for m in catalog if m.id and
             (m.id[0] if isinstance(m.id, tuple) else m.id) not in extracted]
    assert not stale, f"run 'python3 dev.py messages': {stale[:10]}"


def test_the_compiled_catalog_is_current() -> None:
    compiled = io.BytesIO()
    write_mo(compiled, _catalog())
    assert MO.read_bytes() == compiled.getvalue(), "run 'python3 dev.py messages'"


def test_a_message_is_english_in_the_code_and_dutch_when_shown() -> None:
    message = tr("no item with id '{id}'", id="jeugd")
    assert message == "no item with id 'jeugd'" and isinstance(message, str)
    assert DUTCH.text(message) != message and "jeugd" in DUTCH.text(message)
    nested = tr("hint: {hint}", hint=tr("did you mean '{name}'?", name="urk"))
    assert DUTCH.text(nested).count("urk") == 1 and "did you mean" not in DUTCH.text(nested)
    assert language_for("en").text(nested) == nested
    assert DUTCH.text("plain text, not marked") == "plain text, not marked"


@pytest.mark.parametrize(("environment", "code"), [
    ({"LANG": "nl_NL.UTF-8"}, "nl"), ({"LANG": "C.UTF-8"}, "en"), ({}, "en"),
    ({"LANGUAGE": "nl:en", "LANG": "en_US.UTF-8"}, "nl"), ({"LC_ALL": "en_GB.UTF-8",
                                                           "LANG": "nl_NL"}, "en"),
    ({"LC_MESSAGES": "nl_BE.UTF-8"}, "nl"),
])
def test_the_locale_chooses_the_language(environment: dict[str, str], code: str) -> None:
    assert language_for(None, environment).code == code


def test_lang_on_the_command_line(project: api.Project,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    urk = project.root / "municipalities/urk/municipality.yaml"
    edit(urk, "inhabitants: 21929", "inhabitants: 21.929")
    assert main(["--project", str(project.root), "check"]) == 1
    english = capsys.readouterr().err
    assert main(["--lang", "nl", "--project", str(project.root), "check"]) == 1
    dutch = capsys.readouterr().err
    assert "error:" in english and "hint:" in english
    assert "fout:" in dutch and "tip:" in dutch and "error:" not in dutch
    assert english.splitlines()[1:3] == dutch.splitlines()[1:3]  # the same quoted line, caret
    assert main(["--lang", "xx", "check"]) == 2
    assert "--lang" in capsys.readouterr().err


def test_a_dutch_locale_gives_dutch_help(monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("LANG", "nl_NL.UTF-8")
    with pytest.raises(SystemExit):
        main(["--help"])
    dutch = capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["--lang", "en", "build", "--help"])
    english = capsys.readouterr().out
    assert dutch.startswith("gebruik: ") and "opties" in dutch
    assert "show " not in dutch and "help message" not in dutch
    assert english.startswith("usage: ") and "municipality" in english
    with pytest.raises(SystemExit) as stopped:
        main(["buidl"])
    assert stopped.value.code == 2
    assert "ongeldige keuze" in capsys.readouterr().err


# Mistakes in every stage: YAML, models, changes, templates, kinds, progress, figures,
# policy checks, drift. (file, old, new) edits of the fixture project.
MISTAKES = [
    ("shared/10-inleiding.yaml", "title: Inleiding", "title: [kapot"),
    ("shared/10-inleiding.yaml", "title: Inleiding", "titel: Inleiding"),
    ("shared/10-inleiding.yaml", "title: Inleiding", "title: Inleiding {{ onbekend.veld }}"),
    ("shared/10-inleiding.yaml", "title: Inleiding", "title: \"Inleiding {% if %}\""),
    ("municipalities/urk/municipality.yaml", "inhabitants: 21929", "inhabitants: veel"),
    ("municipalities/urk/municipality.yaml", "inhabitants: 21929", "inhabitants: 21.929"),
    ("municipalities/urk/municipality.yaml", "  cbs_code: GM0184\n", ""),
    ("municipalities/urk/municipality.yaml", "status: vastgesteld", "status: klaar"),
    ("municipalities/urk/municipality.yaml", "{start: 2021, end: 2022}",
     "{start: 2023, end: 2022}"),
    ("municipalities/urk/municipality.yaml", "  - update: jeugd-en-veiligheid\n",
     "  - update: jeugd-en-veiligheidd\n"),
    ("municipalities/urk/municipality.yaml", "  - update: jeugd-en-veiligheid\n",
     "  - updat: jeugd-en-veiligheid\n"),
    ("municipalities/urk/municipality.yaml", "    reason: Urk heeft geen eigen organisatie",
     "    reden: Urk heeft geen eigen organisatie"),
    ("municipalities/urk/municipality.yaml", "          lead: riec", "          lead: riec\n"
     "          years: [2019]"),
    ("municipalities/urk/municipality.yaml", "changes:", "documents:\n  onbekend: {}\n"
     "changes:"),
    ("municipalities/dronten/progress/2020.yaml", "measures:", "maatregelen: []\nmeasures:"),
    ("municipalities/dronten/progress/2020.yaml", "table: 83648NED", "table: 99999NED"),
    ("municipalities/dronten/progress/2020.yaml", "status: vervallen", "status: klaar"),
    ("shared/10-inleiding.yaml", "title: Doel van dit document",
     "title: Doel van dit document\n        required: ja"),
]


def _problems(project: api.Project, file: str = "") -> list[Problem]:
    """The problems `check` finds, of the municipality whose file it is (else one)."""
    parts = file.split("/")
    return api.check(project, [parts[1] if parts[0] == "municipalities" else "urk"])


@pytest.mark.parametrize("mistake", MISTAKES, ids=[f"{m[0]}:{m[2][:24]}" for m in MISTAKES])
def test_every_problem_of_every_stage_reads_in_dutch(project: api.Project,
                                                     mistake: tuple[str, str, str]) -> None:
    file, old, new = mistake
    edit(project.root / file, old, new)
    problems = _problems(project, file)
    assert problems, "the mistake went unnoticed"
    for problem in problems:
        for text in (problem.message, problem.hint):
            if text is None:
                continue
            assert isinstance(text, Message), f"not marked for translation: {text!r}"
            assert DUTCH.has(text.template), f"no Dutch for: {text.template!r}"
            for value in text.values.values():
                if isinstance(value, Message):
                    assert DUTCH.has(value.template), f"no Dutch for: {value.template!r}"
        shown = format_problem(problem, project.root, DUTCH)
        assert shown.splitlines()[0].split(": ", 2)[1] in ("fout", "waarschuwing")


def test_drift_warnings_read_in_dutch(project: api.Project) -> None:
    path = project.root / "shared/60-focus.yaml"
    edit(path, "title: Jeugd & Veiligheid", "title: Jeugd en veiligheid")
    warnings = [p for p in _problems(project) if p.severity == "warning"]
    assert warnings
    assert all(isinstance(p.message, Message) and DUTCH.has(p.message.template)
               for p in warnings)
