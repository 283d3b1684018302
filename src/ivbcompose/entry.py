"""The `ivbcompose` program's entry point: `--version` is answered at once, everything
else goes to the command line (cli.py), which is loaded only then."""

from __future__ import annotations

import sys

__all__ = ["main"]


def main() -> int:
    if sys.argv[1:] == ["--version"]:
        from . import __version__

        print(f"ivbcompose {__version__}")
        return 0
    from .cli import main as command_line

    return command_line()
