#!/usr/bin/env python3
"""Set up and run the project with nothing but Python: `python3 dev.py build` or `... test`.

Creates `.venv` (once), installs the project into it, then builds the three
documents or runs the linter and the tests. Used by the README and by CI.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if sys.platform == "win32" else "bin")


def run(*command: str | Path) -> None:
    print("+", " ".join(str(c) for c in command), flush=True)
    subprocess.run([str(c) for c in command], cwd=ROOT, check=True)


def setup(extras: str = "") -> None:
    """Create .venv once and install the project; skipped while pyproject.toml is unchanged
    (the install is editable, so changed code needs no reinstall)."""
    if not (BIN / "python").exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp = VENV / f".installed{extras.replace('[', '-').replace(']', '')}"
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == wanted:
        return
    run(BIN / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
        "-e", f".{extras}")
    stamp.write_text(wanted, encoding="utf-8")


_VALUED = ("-o", "--output", "--format", "--document", "--year", "--project")


def _is_option_value(argv: list[str], arg: str) -> bool:
    """Whether `arg` is the value of an option before it (`-o out`)."""
    index = argv.index(arg)
    return index > 0 and argv[index - 1] in _VALUED


def main(argv: list[str]) -> int:
    command = argv[0] if argv else ""
    try:
        if command == "build":
            setup()
            # Municipality names are passed on as they are; without any, every municipality.
            names = [arg for arg in argv[1:] if not arg.startswith("-")
                     and not _is_option_value(argv, arg)]
            run(BIN / "ivbcompose", "build", *([] if names else ["--all"]), *argv[1:])
        elif command == "messages":
            # Extract the marked texts, bring the catalogs up to date, compile them
            # (see src/ivbcompose/i18n.py); then translate what is new in the .po files.
            setup("[test]")
            locale = ROOT / "src" / "ivbcompose" / "locale"
            run(BIN / "pybabel", "--quiet", "extract", "-F", "babel.cfg", "--no-location",
                "--sort-output", "--no-wrap", "-k", "tr", "-k", "ntr:1,2", "-k", "N_",
                "--project", "ivbcompose", "-o", locale / "ivbcompose.pot", "src")
            if not (locale / "nl" / "LC_MESSAGES" / "ivbcompose.po").is_file():
                run(BIN / "pybabel", "--quiet", "init", "--no-wrap", "-D", "ivbcompose", "-l",
                    "nl", "-i", locale / "ivbcompose.pot", "-d", locale)
            run(BIN / "pybabel", "--quiet", "update", "--no-wrap", "--ignore-obsolete",
                "-D", "ivbcompose", "-i", locale / "ivbcompose.pot", "-d", locale)
            run(BIN / "pybabel", "compile", "--statistics", "-D", "ivbcompose", "-d", locale)
        elif command == "test":
            setup("[test]")
            run(BIN / "python", "-m", "ruff", "check", "src", "tests", "benchmarks", "dev.py")
            run(BIN / "python", "-m", "pytest", *argv[1:])
        else:
            print("usage: python3 dev.py build [ivbcompose build options] | test [pytest options]"
                  " | messages", file=sys.stderr)
            return 2
    except subprocess.CalledProcessError as error:
        return error.returncode or 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
