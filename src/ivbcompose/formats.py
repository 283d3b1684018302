"""The output formats a build can write, each made by one writer (build.py maps a format to
its writer).

Here, apart from the writers, so the command line can offer them without loading any.
"""

from __future__ import annotations

__all__ = ["FORMATS"]

FORMATS = ("docx", "md", "pdf", "html", "odt")
