"""The Dutch handleiding (docs/handleiding.md): its quoted messages are what the tool prints.

Section 5 of the handleiding shows common mistakes. Each one is written as

    ```yaml
    (the wrong YAML, an excerpt of the file after the edit)
    ```
    <!-- fout: <file in the project> | <exact text to replace> | <replacement> -->
    ```text
    (the problems as `ivbcompose --lang nl check` prints them)
    ```

In the comment `\\n` is a newline, `\\t` a tab and `\\|` a literal `|` (a bare `|`
separates the three parts). Each test makes the edit in a copy of the fixture
project (tests/fixtures/project, which is the example without its schema lines),
runs `ivbcompose --lang nl --project <copy> check` and compares what it prints on
stderr, without the closing summary line, with the quoted block.

Blocks that start with `$ ivbcompose ...` (check, explain, compare in sections 3
and 7) are run on the fixture project too: their lines must be what the command
prints, in order, where a line `…` stands for lines left out.

After a change in the wording of the messages, refresh the blocks of the mistakes
(the command blocks are fixed by hand, the failing test shows the output) and read
the prose around each of them again:

    IVBCOMPOSE_UPDATE_DOCS=1 python3 dev.py test tests/test_handleiding.py
"""

from __future__ import annotations

import os
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import pytest

from ivbcompose.cli import main
from ivbcompose.project import Project

from .conftest import FIXTURE, REPO, edit

HANDLEIDING = REPO / "docs" / "handleiding.md"
REFRESH = "IVBCOMPOSE_UPDATE_DOCS=1 python3 dev.py test tests/test_handleiding.py"

_MISTAKE = re.compile(
    r"<!-- fout: (?P<spec>.*?) -->\n```text\n(?P<output>.*?)\n?```\n", re.DOTALL)
_HEADING = re.compile(r"^#{2,4} (.+)$", re.MULTILINE)
_YAML = re.compile(r"```yaml\n(.*?)```\n", re.DOTALL)
_ESCAPE = re.compile(r"\\(.)")


@dataclass(frozen=True)
class Mistake:
    """One mistake of the handleiding: the edit, the quoted output and what it shows."""

    heading: str
    spec: str
    file: str
    old: str
    new: str
    quoted: str
    snippet: str | None


def _unescape(text: str) -> str:
    return _ESCAPE.sub(lambda m: {"n": "\n", "t": "\t"}.get(m[1], m[1]), text)


def _mistakes(text: str) -> list[Mistake]:
    found = []
    for match in _MISTAKE.finditer(text):
        parts = re.split(r"(?<!\\)\|", match["spec"])
        assert len(parts) == 3, f"a mistake needs 'file | old | new': {match['spec']!r}"
        file, old, new = (part.strip() for part in parts)
        before = text[:match.start()]
        headings = _HEADING.findall(before)
        heading = headings[-1] if headings else "?"
        # The wrong YAML shown to the reader: the last yaml block under the same heading.
        section = before[before.rfind(heading):]
        snippets = _YAML.findall(section)
        found.append(Mistake(heading, match["spec"], file, _unescape(old), _unescape(new),
                             match["output"], snippets[-1] if snippets else None))
    return found


MISTAKES = _mistakes(HANDLEIDING.read_text(encoding="utf-8"))


def _printed(project: Project, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Exit status, stdout and the problem blocks on stderr (without the summary line)."""
    status = main(["--lang", "nl", "--project", str(project.root), "check"])
    captured = capsys.readouterr()
    lines = captured.err.rstrip("\n").split("\n")
    blocks = "\n".join(lines[:-1])
    blocks = blocks.replace(str(project.root) + os.sep, "").replace(str(project.root), ".")
    return status, captured.out, blocks


def _lines_without_comments(text: str) -> set[str]:
    lines = {line.rstrip() for line in text.splitlines()}
    return lines | {re.sub(r"\s+#.*$", "", line) for line in lines}


def test_the_handleiding_shows_at_least_ten_mistakes_each_once() -> None:
    assert len(MISTAKES) >= 10
    specs = [mistake.spec for mistake in MISTAKES]
    assert len(set(specs)) == len(specs), "two mistakes with the same edit"
    for mistake in MISTAKES:
        assert (FIXTURE / mistake.file).is_file(), f"{mistake.heading}: no {mistake.file}"
        assert mistake.snippet is not None, f"{mistake.heading}: no yaml block shows the mistake"


@pytest.mark.parametrize("mistake", MISTAKES, ids=[m.heading for m in MISTAKES])
def test_a_quoted_message_is_what_check_prints(project: Project, mistake: Mistake,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    path = project.root / mistake.file
    edit(path, mistake.old, mistake.new)
    status, out, printed = _printed(project, capsys)
    # A mistake that check does not report would teach nothing.
    assert status in (0, 1) and out == "", f"{mistake.heading}: check printed {out!r}"
    assert re.match(r"\S+:(\d+|\?)(:\d+)?: (fout|waarschuwing|error|warning): ", printed), (
        f"{mistake.heading}: no problem reported:\n{printed}")
    # The yaml block above the comment shows lines of the file as it is after the edit.
    edited = _lines_without_comments(path.read_text(encoding="utf-8"))
    for line in (mistake.snippet or "").splitlines():
        if line.strip() and line.strip() != "…":
            assert line.rstrip() in edited, (
                f"{mistake.heading}: the yaml block shows {line!r}, which is not in "
                f"{mistake.file} after the edit")
    if os.environ.get("IVBCOMPOSE_UPDATE_DOCS"):
        _rewrite(mistake, printed)
        return
    assert printed == mistake.quoted, (
        f"{mistake.heading}: the handleiding quotes another message than check prints; "
        f"refresh the quoted blocks with: {REFRESH}\n--- printed:\n{printed}\n"
        f"--- quoted:\n{mistake.quoted}")


def _rewrite(mistake: Mistake, printed: str) -> None:
    text = HANDLEIDING.read_text(encoding="utf-8")
    comment = f"<!-- fout: {mistake.spec} -->\n```text\n"
    start = text.index(comment) + len(comment)
    end = text.index("```\n", start)
    HANDLEIDING.write_text(text[:start] + printed + "\n" + text[end:], encoding="utf-8")


_COMMAND = re.compile(r"```text\n\$ ivbcompose (?P<arguments>.*?)\n(?P<output>.*?)```\n", re.DOTALL)
COMMANDS = [(match["arguments"], match["output"])
            for match in _COMMAND.finditer(HANDLEIDING.read_text(encoding="utf-8"))]


@pytest.mark.parametrize(("arguments", "quoted"), COMMANDS, ids=[c[0] for c in COMMANDS])
def test_a_quoted_command_prints_what_the_handleiding_shows(
        project: Project, arguments: str, quoted: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A block that starts with `$ ivbcompose ...` quotes its output on the fixture project;
    a line `…` stands for lines left out."""
    status = main(["--project", str(project.root), *shlex.split(arguments)])
    printed = capsys.readouterr().out.splitlines()
    assert status == 0
    position = 0
    for number, part in enumerate(_parts(quoted)):
        found = next((start for start in range(position, len(printed) - len(part) + 1)
                      if printed[start:start + len(part)] == part), None)
        assert found is not None and (number > 0 or found == 0), (
            f"'ivbcompose {arguments}' does not print these lines (in this order):\n"
            + "\n".join(part) + "\n--- it prints:\n" + "\n".join(printed))
        position = found + len(part)


def _parts(quoted: str) -> list[list[str]]:
    """The quoted lines, split at the lines `…` (lines left out)."""
    parts: list[list[str]] = [[]]
    for line in quoted.rstrip("\n").split("\n"):
        if line == "…":
            parts.append([])
        else:
            parts[-1].append(line)
    return [part for part in parts if part]


def test_the_handleiding_quotes_commands() -> None:
    assert len(COMMANDS) >= 5


def test_the_parser_reads_escapes_and_pipes(tmp_path: Path) -> None:
    text = ("### Voorbeeld\n\n```yaml\nbody:\n```\n"
            "<!-- fout: a.yaml | body: \\|\\n  Tekst | body:\\n\\tTekst -->\n"
            "```text\nx\n```\n")
    (mistake,) = _mistakes(text)
    assert (mistake.heading, mistake.file) == ("Voorbeeld", "a.yaml")
    assert (mistake.old, mistake.new) == ("body: |\n  Tekst", "body:\n\tTekst")
    assert (mistake.quoted, mistake.snippet) == ("x", "body:\n")
