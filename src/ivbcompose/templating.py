"""Jinja2 variables in text fields, rendered in a sandbox.

Shared text may say `{{ municipality.name }}`, `{{ document.period }}` or
`{{ basisteam.municipalities | length }}` and read right in each
municipality's document. The environment is sandboxed (a text
cannot reach Python internals), strict (an undefined variable is an error that
names the file, line and column of the expression, not a silently empty
string) and bounded: one work budget per text pays for every step a text takes
(each call, attribute, operator, loop step and piece of output), sizes are
checked before a value is made (a repeated or concatenated text, a big power,
a wide `%`-format), and a deadline stops anything the budget misses, so no text
can make `check` or `build` hang or run out of memory.
"""

from __future__ import annotations

import functools
import re
import string
import time
from collections.abc import Callable, Mapping
from datetime import date
from types import CodeType, TracebackType
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from jinja2.visitor import NodeTransformer

from .errors import Problem, did_you_mean
from .i18n import Message, tr
from .nl import count_word, format_date, format_money, format_number, join_words
from .provenance import Origin

__all__ = ["TemplateProblem", "TextRenderer", "make_environment", "render_text",
           "template_context"]

# Jinja compiles strings under this file name; tracebacks name it for the failing line.
_TEMPLATE_NAME = "<template>"
_MARKERS = ("{{", "{%", "{#")
_MARKER = re.compile(r"\{\{|\{%|\{#")
_VARIABLES = tr("gemeente, municipality.name, municipality.cbs_code, municipality.tooi, "
                "municipality.inhabitants, municipality.inhabitants_year, municipality.kernen, "
                "document.kind, document.short, document.full_title, document.period, "
                "document.period.start, document.period.end, document.date, document.status, "
                "basisteam.name, basisteam.municipalities (each with name and inhabitants), "
                "basisteam.names, basisteam.inhabitants")
# A text is a few paragraphs: these bounds are far above any real use.
_MAX_LOOP_STEPS = 10_000
_MAX_POWER = 64
_MAX_LENGTH = 100_000
_MAX_STEPS = 200_000  # calls, attributes, operators, loop steps and output pieces per text
_MAX_BITS = 4_096  # about 1.200 digits: far beyond any figure
_MAX_SECONDS = 5.0  # per text; the budget should always stop it long before
_FORMAT_WIDTH = re.compile(r"%[-+ #0]*(\d*)(?:\.(\d*))?")


class _TooMuch(SecurityError):
    """A text that would take too much work or memory (not a forbidden construct)."""


class _Budget:
    """The work one text may still do; spent by every step the environment sees."""

    def __init__(self) -> None:
        self.steps = _MAX_STEPS
        self.deadline = time.monotonic() + _MAX_SECONDS

    def spend(self, steps: int = 1) -> None:
        self.steps -= steps
        if self.steps < 0 or (self.steps % 4096 < steps and time.monotonic() > self.deadline):
            raise _TooMuch(tr("the text takes too much work to fill in"))


class TemplateProblem(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


class _BoundedEnvironment(SandboxedEnvironment):
    """The sandbox, with every step of a text paid from its budget and sizes checked
    before a value is made."""

    intercepted_binops = frozenset({"+", "-", "*", "/", "//", "%", "**"})
    intercepted_unops = frozenset({"+", "-"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.budget = _Budget()

    def call_binop(self, context: jinja2.runtime.Context, operator_: str, left: Any,
                   right: Any) -> Any:
        self.budget.spend()
        _check_binop(operator_, left, right)
        return _bounded_result(self.binop_table[operator_](left, right))

    def call_unop(self, context: jinja2.runtime.Context, operator_: str, arg: Any) -> Any:
        self.budget.spend()
        return self.unop_table[operator_](arg)

    def getattr(self, obj: Any, attribute: str) -> Any:
        self.budget.spend()
        return _bounded_result(super().getattr(obj, attribute))

    def getitem(self, obj: Any, argument: Any) -> Any:
        self.budget.spend()
        return _bounded_result(super().getitem(obj, argument))

    def call(__self, __context: jinja2.runtime.Context, __obj: Any,
             *args: Any, **kwargs: Any) -> Any:
        # Every call (a macro calling itself twice) costs a step; method calls
        # ('x'.ljust(n), .replace(...)) could build huge strings: their arguments are bounded.
        __self.budget.spend()
        _check_replace(__obj, args)
        _check_str_format(__obj, args, kwargs)
        return _bounded_result(super().call(__context, __obj, *_bounded_args(args),
                                            **kwargs))


def _check_binop(operator_: str, left: Any, right: Any) -> None:
    """Refuse an operation whose result would be too big, before it is computed."""
    numbers = all(isinstance(v, int) and not isinstance(v, bool) for v in (left, right))
    if operator_ == "**":
        if isinstance(right, int | float) and abs(right) > _MAX_POWER:
            raise _TooMuch(tr("the power {value} is too large", value=right))
        if numbers and abs(left).bit_length() * max(right, 0) > _MAX_BITS:
            raise _TooMuch(tr("the number is too large"))
    elif operator_ == "*":
        for sequence, count in ((left, right), (right, left)):
            if isinstance(sequence, str | list | tuple) and isinstance(count, int) \
                    and len(sequence) * count > _MAX_LENGTH:
                raise _TooMuch(tr("the repeated text is too long"))
        if numbers and abs(left).bit_length() + abs(right).bit_length() > _MAX_BITS:
            raise _TooMuch(tr("the number is too large"))
    elif operator_ == "+" and all(isinstance(v, str | list | tuple) for v in (left, right)):
        if len(left) + len(right) > _MAX_LENGTH:
            raise _TooMuch(tr("the result is too long"))
    elif operator_ == "%" and isinstance(left, str):
        values = right if isinstance(right, tuple) else (right,)
        widths = [int(n) for found in _FORMAT_WIDTH.findall(left) for n in found if n]
        widths += [v for v in values if isinstance(v, int) and "*" in left]
        if any(width > _MAX_LENGTH for width in widths):
            raise _TooMuch(tr("the number {value} is too large here", value=max(widths)))


def _check_replace(function: Any, args: tuple[Any, ...]) -> None:
    """`'x' * 99999 | replace('x', long)` would be a huge text: refuse it before it is."""
    owner = getattr(function, "__self__", None)
    if getattr(function, "__name__", "") == "replace" and isinstance(owner, str) \
            and len(args) >= 2 and all(isinstance(a, str) for a in args[:2]) and args[0] \
            and owner.count(args[0]) * len(args[1]) > _MAX_LENGTH:
        raise _TooMuch(tr("the result is too long"))


def _check_str_format(function: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """`'{:>999999999}'.format(x)`: a width in a format field is checked before it is used."""
    # The sandbox hands out str.format wrapped (functools.update_wrapper keeps __wrapped__).
    owner = getattr(getattr(function, "__wrapped__", function), "__self__", None)
    if getattr(function, "__name__", "") in ("format", "format_map") and isinstance(owner, str):
        for _, _, spec, _ in string.Formatter().parse(owner):
            if spec and any(int(n) > _MAX_LENGTH for n in re.findall(r"\d+", spec)):
                raise _TooMuch(tr("the result is too long"))


class _Guarded(NodeTransformer):
    """Rewrites a parsed text so its loops and `~` joins pay the budget too: a loop's
    items and a join's parts pass through the guards below, which Jinja cannot skip."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        node.iter = nodes.Call(nodes.Name(_LOOP_GUARD, "load"), [node.iter], [], None, None)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        return nodes.Call(nodes.Name(_JOIN_GUARD, "load"), list(node.nodes), [], None, None)


_LOOP_GUARD, _JOIN_GUARD = "__ivb_loop", "__ivb_join"


def _guards(budget: _Budget) -> dict[str, Callable[..., Any]]:
    def loop(items: Any) -> Any:
        for item in items:
            budget.spend()
            yield item

    def join(*parts: Any) -> str:
        texts = [str(part) for part in parts]
        if sum(map(len, texts)) > _MAX_LENGTH:
            raise _TooMuch(tr("the result is too long"))
        return "".join(texts)

    return {_LOOP_GUARD: loop, _JOIN_GUARD: join}


def _bounded_args(args: tuple[Any, ...]) -> tuple[Any, ...]:
    for value in args:
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > _MAX_LENGTH:
            raise _TooMuch(tr("the number {value} is too large here", value=value))
    return args


def _bounded_result(value: Any) -> Any:
    if isinstance(value, str | list | tuple) and len(value) > _MAX_LENGTH:
        raise _TooMuch(tr("the result is too long"))
    return value


def _bounded_filter(function: Callable[..., Any]) -> Callable[..., Any]:
    """A filter whose numbers and result are kept to sane sizes (e.g. 'x'|center(10**9)).

    The bound is for widths and counts given to the filter, never for the value
    it formats: `{{ 218096 | getal }}` is a municipality's inhabitants.
    """
    check = _FILTER_CHECKS.get(getattr(function, "__name__", ""))

    @functools.wraps(function)  # keeps Jinja's pass_context/pass_environment marks
    def bounded(*args: Any, **kwargs: Any) -> Any:
        if check is not None:
            given = args[1:] if isinstance(args[0:1] and args[0], nodes.EvalContext
                                           | jinja2.runtime.Context) else args
            check(*given, **kwargs)
        return _bounded_result(function(*args[:1], *_bounded_args(args[1:]), **kwargs))

    return bounded


def _check_join(values: Any, separator: Any = "", *_: Any, **__: Any) -> None:
    if not isinstance(values, list | tuple | str):
        return
    size = len(values) * len(str(separator)) + sum(len(str(v)) for v in values[:_MAX_LENGTH])
    if size > _MAX_LENGTH:
        raise _TooMuch(tr("the result is too long"))


def _check_filter_replace(text: Any, old: Any, new: Any, *_: Any, **__: Any) -> None:
    _check_replace(str(text).replace, (old, new))


def _check_format(text: Any, *values: Any, **__: Any) -> None:
    _check_binop("%", text, tuple(values))


# Filters that could make a huge text from small arguments, checked before they run.
_FILTER_CHECKS: dict[str, Callable[..., None]] = {
    "do_join": _check_join, "sync_do_join": _check_join, "do_replace": _check_filter_replace,
    "do_format": _check_format,
}


def make_environment() -> SandboxedEnvironment:
    """A sandboxed, strict environment with Dutch formatting filters."""
    env = _BoundedEnvironment(undefined=jinja2.StrictUndefined, autoescape=False,
                              keep_trailing_newline=True)
    for name in ("lipsum", "cycler", "joiner", "namespace", "range", "dict"):
        env.globals.pop(name, None)
    env.filters["getal"] = _number
    env.filters["datum"] = _date
    env.filters["bedrag"] = _money
    env.filters["opsomming"] = _enumeration
    env.filters["telwoord"] = _count_word
    for name, function in list(env.filters.items()):
        env.filters[name] = _bounded_filter(function)
    return env


def _number(value: Any, decimals: int | None = None) -> str:
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise ValueError(tr("the filter 'getal' needs a number, not {value}", value=repr(value)))
    return format_number(value, decimals)


def _money(value: Any) -> str:
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise ValueError(tr("the filter 'bedrag' needs an amount, not {value}",
                            value=repr(value)))
    return format_money(value)


def _count_word(value: Any) -> str:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(tr("the filter 'telwoord' needs a whole number, not {value}",
                            value=repr(value)))
    return count_word(value)


def _enumeration(value: Any) -> str:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ValueError(tr("the filter 'opsomming' needs a list of texts, not {value}",
                            value=repr(value)))
    return join_words(list(value))


def _date(value: Any) -> str:
    # Babel formats None as today: refuse it, or an unset date would print today's date.
    if not isinstance(value, date):
        raise ValueError(tr("the filter 'datum' needs a date, not {value} (is the date set?)",
                            value=repr(value)))
    return format_date(value)


def template_context(municipality: Any, document: Any, basisteam: Any) -> dict[str, Any]:
    """The variables a text may use: the municipality, the document metadata, the basisteam."""
    return {
        "municipality": municipality,
        "gemeente": municipality.name,
        "document": document,
        "basisteam": basisteam,
        "range": _bounded_range(),
    }


def _bounded_range() -> Callable[..., range]:
    """`range` with one budget for all loops of a text, so nested loops cannot run away."""
    budget = [_MAX_LOOP_STEPS]

    def bounded(*args: int) -> range:
        steps = range(*args)
        budget[0] -= len(steps)
        if budget[0] < 0:
            raise _TooMuch(tr("a text may loop at most {n} times", n=_MAX_LOOP_STEPS))
        return steps

    return bounded


class TextRenderer:
    """The texts of one command, rendered in one sandbox and each compiled once: a shared
    text is rendered for every municipality and every kind of document, with the same code.
    """

    def __init__(self) -> None:
        self.env = make_environment()
        self._compiled: dict[str, CodeType] = {}

    def render(self, text: str, context: Mapping[str, Any], origin: Origin,
               raw: str | None = None) -> str:
        """`render_text` in this renderer's sandbox."""
        return render_text(self.env, text, context, origin, raw, self._compiled)


def render_text(env: SandboxedEnvironment, text: str, context: Mapping[str, Any],
                origin: Origin, raw: str | None = None,
                compiled: dict[str, CodeType] | None = None) -> str:
    """Render one text field; errors point at the expression inside the YAML file.

    `raw` is the text as written in the file (see `sources.ScalarNode.raw`); `compiled`
    keeps the compiled code of texts rendered before in `env` (see `TextRenderer`).
    """
    if not any(marker in text for marker in _MARKERS):
        return text
    if "range" in context:
        context = {**context, "range": _bounded_range()}
    try:
        return _render(env, text, context, compiled if compiled is not None else {})
    except jinja2.TemplateSyntaxError as exc:
        where = _position(origin, text, raw, exc.lineno)
        raise TemplateProblem(Problem("template-syntax",
                                      tr("template error: {reason}",
                                         reason=_jinja_words(exc.message or str(exc))), where,
                                      tr("variables are written as {{{{ municipality.name }}}}"))
                              ) from None
    except _TooMuch as exc:
        where = _position(origin, text, raw, _template_line(exc.__traceback__))
        raise TemplateProblem(Problem("template-budget", tr("not allowed in a text: {reason}",
                                                            reason=_reason(exc)), where,
                                      tr("a text is a few paragraphs: write it out, or use a "
                                         "short loop over the documented variables"))
                              ) from None
    except SecurityError as exc:
        where = _position(origin, text, raw, _template_line(exc.__traceback__))
        raise TemplateProblem(Problem("template-unsafe", tr("not allowed in a text: {reason}",
                                                            reason=_reason(exc)), where,
                                      tr("texts may only use the documented variables"))
                              ) from None
    except jinja2.UndefinedError as exc:
        where = _position(origin, text, raw, _template_line(exc.__traceback__))
        message, hint = _explain_undefined(exc.message or str(exc), context)
        raise TemplateProblem(Problem("template-undefined", message, where, hint)) from None
    except RecursionError:
        where = _position(origin, text, raw, None)
        raise TemplateProblem(Problem("template-error", tr("template error: a macro calls itself "
                                                           "without end"), where,
                                      tr("give the macro a condition under which it stops "
                                         "calling itself, or write the text out"))) from None
    except Exception as exc:
        where = _position(origin, text, raw, _template_line(exc.__traceback__))
        raise TemplateProblem(Problem("template-error", tr("template error: {reason}",
                                                           reason=_reason(exc)), where,
                                      tr("check the expression between {{{{ }}}} on this line: "
                                         "the values it uses and what it does with them"))
                              ) from None


def _render(env: SandboxedEnvironment, text: str, context: Mapping[str, Any],
            compiled: dict[str, CodeType]) -> str:
    """Parse, guard and compile one text (unless it was before), and render it within a
    fresh budget."""
    budget = _Budget()
    if isinstance(env, _BoundedEnvironment):
        env.budget = budget
    code = compiled.get(text)
    if code is None:
        code = compiled[text] = env.compile(_Guarded().visit(env.parse(text)))
    template = env.template_class.from_code(env, code, env.make_globals(None))
    pieces: list[str] = []
    length = 0
    for piece in template.generate({**context, **_guards(budget)}):
        budget.spend()
        length += len(piece)
        if length > _MAX_LENGTH:
            raise _TooMuch(tr("the result is too long"))
        pieces.append(piece)
    return "".join(pieces)


def _reason(error: Exception) -> str:
    """An error's message: ours as it is (a `Message`), Jinja's or Python's in our words
    when it is a usual one."""
    if error.args and isinstance(error.args[0], Message):
        return error.args[0]
    message = getattr(error, "message", None)
    return _jinja_words(message if isinstance(message, str) and message
                        else str(error) or type(error).__name__)


# What Jinja (and Python, while rendering) says most often, in our words: the same English,
# but translatable. Anything else is shown as Jinja says it.
_JINJA_WORDS: tuple[tuple[re.Pattern[str], Callable[..., Message]], ...] = tuple(
    (re.compile(pattern), words) for pattern, words in (
        (r"'(.+)' is undefined", lambda name: tr("'{name}' is undefined", name=name)),
        (r"'(.+)' has no attribute '(.+)'",
         lambda owner, name: tr("'{owner}' has no attribute '{name}'", owner=owner,
                                name=name)),
        (r"access to attribute '(.+)' of '(.+)' object is unsafe\.",
         lambda name, owner: tr("access to attribute '{name}' of '{owner}' object is unsafe.",
                                name=name, owner=owner)),
        (r"(.+) is not safely callable",
         lambda name: tr("{name} is not safely callable", name=name)),
        (r"No filter named '(.+)'\.", lambda name: tr("No filter named '{name}'.", name=name)),
        (r"No test named '(.+)'\.", lambda name: tr("No test named '{name}'.", name=name)),
        (r"Encountered unknown tag '(.+)'\.",
         lambda name: tr("Encountered unknown tag '{name}'.", name=name)),
        (r"unexpected '(.+)'", lambda token: tr("unexpected '{token}'", token=token)),
        (r"Expected an expression, got '(.+)'",
         lambda token: tr("Expected an expression, got '{token}'", token=token)),
        (r"expected token '(.+)', got '(.+)'",
         lambda wanted, token: tr("expected token '{wanted}', got '{token}'", wanted=wanted,
                                  token=token)),
        (r"unexpected end of template, expected '(.+)'\.",
         lambda wanted: tr("unexpected end of template, expected '{wanted}'.", wanted=wanted)),
        (r"Unexpected end of template\. Jinja was looking for the following tags: (.+)\. "
         r"The innermost block that needs to be closed is '(.+)'\.",
         lambda tags, name: tr("Unexpected end of template. Jinja was looking for the following "
                               "tags: {tags}. The innermost block that needs to be closed is "
                               "'{name}'.", tags=tags, name=name)),
        (r"division by zero", lambda: tr("division by zero")),
    ))


def _jinja_words(text: str) -> str:
    for pattern, words in _JINJA_WORDS:
        found = pattern.fullmatch(text)
        if found is not None:
            return words(*found.groups())
    return text


def _explain_undefined(message: str, context: Mapping[str, Any]) -> tuple[str, str]:
    """Jinja says "'ivbcompose.model.Municipality object' has no attribute 'naam'"; we say
    which variable has no such field, and suggest the closest."""
    match = re.match(r"'([\w.]+) object' has no attribute '(\w+)'", message)
    if match is not None:
        owner = next((name for name, value in context.items()
                      if type(value).__module__ + "." + type(value).__qualname__
                      == match.group(1)), None)
        if owner is not None:
            fields = [f for f in dir(context[owner]) if not f.startswith("_")]
            hint = did_you_mean(match.group(2), fields) or tr("available: {names}",
                                                                names=_VARIABLES)
            return tr("undefined variable: '{name}' has no field '{field}'", name=owner,
                      field=match.group(2)), hint
        if match.group(1) == "str":
            # `{{ gemeente.naam }}`: a text variable has no fields; say which one it is.
            texts = [name for name, value in context.items() if isinstance(value, str)]
            if texts:
                return tr("undefined variable: '{name}' is a text and has no field '{field}'",
                          name=texts[0], field=match.group(2)), \
                    tr("write {{{{ {name} }}}} for the text itself, or a field of "
                       "'municipality', e.g. {{{{ municipality.name }}}}", name=texts[0])
    return tr("undefined variable: {reason}", reason=_jinja_words(message)), \
        tr("available: {names}", names=_VARIABLES)


def _template_line(traceback: TracebackType | None) -> int | None:
    """The line inside the template where rendering failed (Jinja keeps it in the traceback)."""
    line = None
    while traceback is not None:
        if traceback.tb_frame.f_code.co_filename == _TEMPLATE_NAME:
            line = traceback.tb_lineno
        traceback = traceback.tb_next
    return line


def _position(origin: Origin, text: str, raw: str | None, template_line: int | None) -> Origin:
    """Where the failing expression is written: the first one on the failing template line.

    Expressions ('{{', '{%', '{#') appear in the file exactly as in the text, so
    the n-th expression of the text is the n-th in the raw source, whatever
    folding or quoting changed around it.
    """
    if not origin.known or raw is None:
        return origin
    lines = text.split("\n")
    index = max(0, min((template_line or 1) - 1, len(lines) - 1))
    line_start = sum(len(line) + 1 for line in lines[:index])
    found = _MARKER.search(text, line_start, line_start + len(lines[index]))
    if found is None:
        return origin
    ordinal = len(_MARKER.findall(text, 0, found.start()))
    in_raw = list(_MARKER.finditer(raw))
    if ordinal >= len(in_raw):
        return origin
    offset = in_raw[ordinal].start()
    before = raw[:offset]
    newlines = before.count("\n")
    column = origin.column + offset if newlines == 0 else offset - before.rfind("\n")
    return Origin(origin.file, origin.line + newlines, column, origin.via)
