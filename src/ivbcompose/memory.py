"""How the garbage collector treats what a command holds while it works.

Python's collector walks every object the process holds on each of its full passes.
Composing a document makes hundreds of thousands of objects, which starts such passes,
and each of them walks the whole loaded project and program again: with 2,000 changes
in one municipality, one pass took longer than the changes themselves. What the
process holds when the work starts lives until the command ends, so it is kept out.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["kept_out_of_collection"]


@contextlib.contextmanager
def kept_out_of_collection() -> Iterator[None]:
    """What the process holds now kept out of the collector's passes until the end.

    Frozen (`gc.freeze`), not disabled: the garbage made inside is still collected. Only
    the outermost use unfreezes, so one inside another, or in a process that froze what
    it loaded (the daemon's child), leaves the outer freeze as it was; what an inner one
    froze stays frozen until then. Usable as a decorator.
    """
    outermost = gc.get_freeze_count() == 0
    gc.freeze()
    try:
        yield
    finally:
        if outermost:
            gc.unfreeze()
