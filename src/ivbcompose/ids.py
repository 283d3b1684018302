"""The form of an id: of items, and of municipalities (their folder names).

Kept apart from the models so that finding the project (and every command's start)
does not load pydantic.
"""

from __future__ import annotations

import re

__all__ = ["ID_PATTERN"]

# Lower-case letters, digits and single hyphens.
ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
