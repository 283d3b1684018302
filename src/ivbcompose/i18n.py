"""Messages in the user's language: English in the code, Dutch from a gettext catalog.

A message is written where the mistake is found, in English, with named
values: `tr("no item with id '{id}'", id=target)`. What that returns is a
`Message`: a `str` with the English text (so code and tests read it as
before) that also keeps its template and values, so the command line can show
it in another language when it prints it (`Language.text`). Nothing is
translated where it is made, so the library has no language setting and no
global state: the language is chosen once per command and passed to what
prints.

The catalogs live in `locale/<language>/LC_MESSAGES/ivbcompose.po`, extracted
from the code with Babel (`python3 dev.py messages` extracts, updates and
compiles; see the README). A value that is itself a `Message` (a hint made of
parts, a did-you-mean) is translated too.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["DOMAIN", "LANGUAGES", "N_", "Language", "Message", "language_for", "ntr", "tr"]

DOMAIN = "ivbcompose"
LANGUAGES = ("en", "nl")


class Message(str):
    """An English message that remembers its template and values for translation."""

    template: str
    values: Mapping[str, Any]
    plural: str | None
    count: int | None

    def __new__(cls, template: str, values: Mapping[str, Any] | None = None,
                plural: str | None = None, count: int | None = None) -> Message:
        values = dict(values or {})
        chosen = plural if plural is not None and count != 1 else template
        # Always formatted, values or not, so `{{` means one brace in every template.
        text = chosen.format(**values)
        message = super().__new__(cls, text)
        message.template, message.values = template, values
        message.plural, message.count = plural, count
        return message

    def __reduce__(self) -> Any:  # pickling (process pools) keeps the template
        return (Message, (self.template, dict(self.values), self.plural, self.count))


# `tr`, not gettext's usual `_`: `_` is also Python's throwaway name, and a loop
# `for _, x in ...` in a function would hide the function in all of it.
def tr(template: str, /, **values: Any) -> Message:
    """Mark `template` for translation and fill in its `{named}` values (English)."""
    return Message(template, values)


def ntr(singular: str, plural: str, count: int, /, **values: Any) -> Message:
    """Like `tr`, choosing singular or plural by `count` (also given to the template as `n`)."""
    return Message(singular, {"n": count, **values}, plural, count)


def N_(template: str) -> str:
    """Mark a text for extraction without making it a `Message` (argparse's own texts)."""
    return template


@dataclass(frozen=True)
class Language:
    """One language's catalog; English is the code's own text."""

    code: str
    catalog: gettext.NullTranslations

    def text(self, text: str | None) -> str:
        """`text` in this language: a `Message` translated, any other text as it is."""
        if not isinstance(text, Message):
            return "" if text is None else str(text)
        values = {key: self.text(value) if isinstance(value, Message) else value
                  for key, value in text.values.items()}
        if text.plural is not None:
            template = self.catalog.ngettext(text.template, text.plural, text.count or 0)
        else:
            template = self.catalog.gettext(text.template)
        try:
            return template.format(**values)
        except (KeyError, IndexError, ValueError):
            return str(text)  # a translation with a broken placeholder: English, not a crash

    def gettext(self, text: str) -> str:
        """For argparse, which translates its own texts through a function like this."""
        return self.catalog.gettext(text)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return self.catalog.ngettext(singular, plural, count)

    def has(self, template: str) -> bool:
        """Whether the catalog translates `template` (English always has it)."""
        if self.code == "en":
            return True
        translated = self.catalog.gettext(template)
        return translated != template or template in _identical(self.catalog)


def _identical(catalog: gettext.NullTranslations) -> set[str]:
    """Messages whose translation is the same text ("OK", a code): they do exist."""
    return {key for key, value in getattr(catalog, "_catalog", {}).items()
            if isinstance(key, str) and key == value}


def language_for(requested: str | None = None,
                 environment: Mapping[str, str] | None = None) -> Language:
    """The language asked for (`--lang`), else the locale's (LANGUAGE, LC_ALL,
    LC_MESSAGES, LANG, as gettext reads them); English when neither is Dutch."""
    code = requested or _from_locale(os.environ if environment is None else environment)
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r}; known: {', '.join(LANGUAGES)}")
    if code == "en":
        return Language("en", gettext.NullTranslations())
    # Beside this module: the package is installed as files (pip, editable), and
    # importlib.resources would cost every command's start more than it reads.
    catalog = gettext.translation(DOMAIN, Path(__file__).parent / "locale", languages=[code])
    return Language(code, catalog)


def _from_locale(environment: Mapping[str, str]) -> str:
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environment.get(variable)
        if value:
            first = value.split(":")[0]
            return "nl" if first.lower().startswith("nl") else "en"
    return "en"
