"""ivbcompose: the security policy (IVB) of the municipalities of one police basisteam,
composed from one shared part and each municipality's couleur locale.

The public API lives in `ivbcompose.api`; the most used names are re-exported here.
"""

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
