"""Jinja2 variables in text fields, rendered in a sandbox.

Shared text may say `{{ municipality.name }}` or `{{ document.period }}` and read
right in each municipality's document. The environment is sandboxed (a text
cannot reach Python internals) and strict (an undefined variable is an error
that names the file and line of the text, not a silently empty string).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import TracebackType
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from .errors import Problem
from .nl import format_date, format_money, format_number
from .provenance import Origin

__all__ = ["TemplateProblem", "make_environment", "render_text", "template_context"]

# Jinja compiles strings under this file name; tracebacks name it for the failing line.
_TEMPLATE_NAME = "<template>"
_MARKERS = ("{{", "{%", "{#")


class TemplateProblem(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


def make_environment() -> SandboxedEnvironment:
    """A sandboxed, strict environment with Dutch formatting filters."""
    env = SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=False,
                               keep_trailing_newline=True)
    env.filters["getal"] = format_number
    env.filters["datum"] = format_date
    env.filters["bedrag"] = format_money
    return env


def template_context(municipality: Any, document: Any) -> dict[str, Any]:
    """The variables a text may use: the municipality and the document metadata."""
    return {
        "municipality": municipality,
        "gemeente": municipality.name,
        "document": document,
    }


def render_text(env: SandboxedEnvironment, text: str, context: Mapping[str, Any],
                origin: Origin, block_style: bool = False, text_column: int = 0) -> str:
    """Render one text field; errors point at the line and column inside the YAML file."""
    if not any(marker in text for marker in _MARKERS):
        return text
    try:
        template = env.from_string(text)
        return template.render(context)
    except jinja2.TemplateSyntaxError as exc:
        where = _position(origin, text, exc.lineno, block_style, text_column)
        raise TemplateProblem(Problem("template-syntax", f"template error: {exc.message}", where,
                                      "variables are written as {{ municipality.name }}")) from None
    except jinja2.exceptions.SecurityError as exc:
        where = _position(origin, text, _template_line(exc.__traceback__), block_style,
                          text_column)
        raise TemplateProblem(Problem("template-unsafe", f"not allowed in a text: {exc}", where,
                                      "texts may only use the documented variables")) from None
    except jinja2.UndefinedError as exc:
        where = _position(origin, text, _template_line(exc.__traceback__), block_style,
                          text_column)
        raise TemplateProblem(Problem(
            "template-undefined", f"undefined variable: {exc.message}", where,
            "available: municipality.name, municipality.cbs_code, municipality.inhabitants, "
            "document.kind, document.short, document.period, document.full_title, gemeente",
        )) from None
    except (jinja2.TemplateError, TypeError, ValueError) as exc:
        where = _position(origin, text, _template_line(exc.__traceback__), block_style,
                          text_column)
        raise TemplateProblem(Problem("template-error", f"template error: {exc}", where)) from None


def _template_line(traceback: TracebackType | None) -> int:
    """The line inside the template where rendering failed (Jinja keeps it in the traceback)."""
    line = 1
    while traceback is not None:
        if traceback.tb_frame.f_code.co_filename == _TEMPLATE_NAME:
            line = traceback.tb_lineno
        traceback = traceback.tb_next
    return line


def _position(origin: Origin, text: str, template_line: int | None, block_style: bool,
              text_column: int) -> Origin:
    if not origin.known:
        return origin
    line_index = (template_line or 1) - 1
    # A block scalar ('|' or '>') starts its text on the line after its key.
    line = origin.line + line_index + (1 if block_style else 0)
    lines = text.splitlines() or [""]
    source_line = lines[min(line_index, len(lines) - 1)]
    found = [i for i in (source_line.find(m) for m in _MARKERS) if i >= 0]
    start = text_column or origin.column
    if not block_style and line_index > 0:
        start = 1  # a folded plain or quoted scalar: continuation lines have no fixed column
    return Origin(origin.file, line, start + (min(found) if found else 0), origin.via)
