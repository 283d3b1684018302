"""The `ivbcompose` program's entry point: `--version` is answered at once; every other
command goes to the daemon when one runs (daemon/), else to the command line (cli.py),
which is loaded only then."""

from __future__ import annotations

import sys

__all__ = ["main"]


def main() -> int:
    if sys.argv[1:] == ["--version"]:
        from . import __version__

        print(f"ivbcompose {__version__}")
        return 0
    from .daemon import run_by_daemon

    status = run_by_daemon(sys.argv[1:])
    if status is not None:
        return status
    from .cli import main as command_line

    return command_line()
