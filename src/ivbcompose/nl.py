"""Dutch labels and formatting: numbers, dates, money and the words of a policy document.

Babel does the locale work (thousands separator '.', decimal comma, month
names), so nothing here hand-rolls number or date formatting.
"""

from __future__ import annotations

import functools
from datetime import date

from babel.dates import format_date as _babel_date
from babel.numbers import format_currency, format_decimal

__all__ = [
    "ADOPTING_BODY",
    "STATUS_LABEL",
    "change_in_words",
    "count_word",
    "format_date",
    "format_money",
    "format_number",
    "join_words",
]

LOCALE = "nl_NL"

# Babel works out the pattern for every call, and a document formats the same amounts and
# years hundreds of times (every share of every measure): each value is formatted once.
_once_per_value = functools.lru_cache(maxsize=8192)

STATUS_LABEL = {
    "concept": "Concept",
    "ter besluitvorming": "Ter besluitvorming",
    "vastgesteld": "Vastgesteld",
}

# Who adopts, as it reads after "Vastgesteld door ..."
ADOPTING_BODY = {
    "raad": "de gemeenteraad",
    "college": "het college van burgemeester en wethouders",
    "burgemeester": "de burgemeester",
}


_COUNT_WORDS = ("nul", "één", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen",
                "tien", "elf", "twaalf")


def count_word(value: int) -> str:
    """A small count in running text as a word (Dutch style writes 1–12 out), else digits."""
    return _COUNT_WORDS[value] if 0 <= value < len(_COUNT_WORDS) else format_number(value)


def change_in_words(first: tuple[int, float], last: tuple[int, float]) -> str:
    """'Van 2016 tot 2020 een daling van 20% (van 1.735 naar 1.380).'"""
    (start, old), (end, new) = first, last
    if old == 0:
        return ""
    change = round((new - old) / old * 100)
    word = "een daling" if change < 0 else "een stijging" if change > 0 else "geen verandering"
    size = f" van {abs(change)}%" if change else ""
    return f"Van {start} tot {end} {word}{size} (van {format_number(old)} naar " \
           f"{format_number(new)})."


def join_words(words: list[str]) -> str:
    """['Aadorp', 'Beekdorp', 'Cedorp'] → 'Aadorp, Beekdorp en Cedorp'."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " en " + words[-1]


@_once_per_value
def format_number(value: float, decimals: int | None = None) -> str:
    """1697 → '1.697'; 1.5 with decimals=1 → '1,5'."""
    if decimals is None:
        decimals = 0 if float(value).is_integer() else 1
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=LOCALE)


@_once_per_value
def format_date(value: date) -> str:
    """date(2020, 1, 9) → '9 januari 2020'."""
    return _babel_date(value, format="d MMMM y", locale=LOCALE)


@_once_per_value
def format_money(value: float) -> str:
    """64000 → '€ 64.000'; cents only when there are any."""
    pattern = "¤ #,##0" if float(value).is_integer() else "¤ #,##0.00"
    return format_currency(value, "EUR", format=pattern, locale=LOCALE, currency_digits=False)
