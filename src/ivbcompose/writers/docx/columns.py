"""How wide each table column is, in twips.

Shared by the table writer and the page estimate, so the estimate wraps cell
text at the widths the table really has.
"""

from __future__ import annotations

import re

from ...document import Table

__all__ = ["column_widths"]

_MIN_WEIGHT, _MAX_WEIGHT = 6, 48  # characters: keeps short columns readable, long ones sane
# What a line may not be broken inside: a word, or an amount with its currency sign.
_UNBREAKABLE = re.compile(r"€ ?[\d.,]+|\S+")
# A generous average for the table text's sans-serif at 9 to 10 pt, and the cell margins.
_TWIPS_PER_CHARACTER, _CELL_PADDING = 115, 230


def column_widths(table: Table, text_width: int) -> list[int]:
    """Widths in twips: every column fits its longest unbreakable text (a word, an amount
    such as "€ 120.000"), and the rest of the width goes to the columns whose texts wrap,
    in proportion to how much longer than that word their longest text is."""
    weights, needed, wrapping = [], [], []
    for index, column in enumerate(table.columns):
        texts = [column.label, *(row.cells[index] for row in table.rows
                                 if index < len(row.cells))]
        longest = max(len(text) for text in texts)
        indent = max((row.indent for row in table.rows), default=0) * 2 if index == 0 else 0
        weights.append(min(max(longest + indent, _MIN_WEIGHT), _MAX_WEIGHT))
        word = max((len(w) for text in texts for w in _UNBREAKABLE.findall(text)), default=1)
        needed.append((word + indent) * _TWIPS_PER_CHARACTER + _CELL_PADDING)
        wrapping.append(max(0, weights[-1] - word))
    if sum(needed) > text_width:  # words that cannot fit anyway: proportions only
        needed = [0] * len(needed)
    spare = text_width - sum(needed)
    shares = wrapping if sum(wrapping) else weights
    total = sum(shares)
    widths = [minimum + spare * share // total for minimum, share in zip(needed, shares,
                                                                         strict=True)]
    widths[0] += text_width - sum(widths)
    return widths
