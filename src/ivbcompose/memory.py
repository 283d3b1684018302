"""How the garbage collector treats what a command holds while it works.

Python's collector walks every object the process holds on each of its full passes.
Composing a document makes hundreds of thousands of objects, which starts such passes,
and each of them walks the whole loaded project and program again: with 2,000 changes
in one municipality, one pass took longer than the changes themselves. What the
process holds when the work starts lives until the work ends, so it is kept out.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

__all__ = ["kept_out_of_collection"]


class _Uses:
    """How many uses of `kept_out_of_collection` are open in this process. The collector
    is the whole process's, so this count is too. (`gc.get_freeze_count` would tell
    whether anything is frozen, but it counts every frozen object, each time.)"""

    def __init__(self) -> None:
        self.open = 0
        self.lock = threading.Lock()


_USES = _Uses()


@contextlib.contextmanager
def kept_out_of_collection() -> Iterator[None]:
    """What the process holds now kept out of the collector's passes until the end.

    Frozen (`gc.freeze`), not disabled: the garbage made inside is still collected. Uses
    nest, in one thread or several (the preview server composes in a thread of each
    request): the last to end unfreezes everything, so nothing stays out for good.
    Usable as a decorator.
    """
    with _USES.lock:
        _USES.open += 1
        gc.freeze()
    try:
        yield
    finally:
        with _USES.lock:
            _USES.open -= 1
            if _USES.open == 0:
                gc.unfreeze()
