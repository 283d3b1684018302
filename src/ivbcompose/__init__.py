"""ivbcompose: the security policy (IVB) of the municipalities of one police basisteam,
composed from one shared part and each municipality's couleur locale.

The public API lives in `ivbcompose.api`; the most used names are re-exported here.
"""

from __future__ import annotations

# Not `typing.TYPE_CHECKING`: importing typing would slow down every command's start.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .api import (
        BuildOptions,
        BuildResult,
        build,
        build_all,
        check,
        compose_municipality,
        open_project,
    )
    from .errors import IvbError, Problem

__all__ = [
    "BuildOptions",
    "BuildResult",
    "IvbError",
    "Problem",
    "build",
    "build_all",
    "check",
    "compose_municipality",
    "open_project",
]

__version__ = "0.1.0"

# Loaded on first use, so `ivbcompose --version` and a command that needs little do not
# import the models, Jinja2 and the writers.
_FROM_API = {"BuildOptions", "BuildResult", "build", "build_all", "check",
             "compose_municipality", "open_project"}
_FROM_ERRORS = {"IvbError", "Problem"}


def __getattr__(name: str) -> Any:
    if name in _FROM_API:
        from . import api
        return getattr(api, name)
    if name in _FROM_ERRORS:
        from . import errors
        return getattr(errors, name)
    raise AttributeError(f"module 'ivbcompose' has no attribute {name!r}")
