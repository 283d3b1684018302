"""Work per municipality spread over processes: how many, and the processes themselves.

A build (build.py) and a check (api.py) do the same work for every municipality, each
independent of the others once the shared part is loaded. `in_processes` lets each
process take the next municipality when it is free, and yields each result as soon as
a process sends it; the caller puts the results in order, so the outcome does not
depend on which process finished first. A forked process (Linux) has what the parent
loaded already; one started afresh (other platforms) loads it once itself.
"""

from __future__ import annotations

import os
import pickle
import signal
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from .i18n import tr

__all__ = ["forks", "in_processes", "worker_count"]

_Shared = TypeVar("_Shared")
_Result = TypeVar("_Result")

# Below this many municipalities per process, starting processes costs more than it
# saves: a process started afresh loads the program and the shared part (about a
# second), a forked one has them already.
_PER_WORKER = {"fork": 1, "other": 4}


def forks() -> bool:
    """Whether new processes are forks of this one (multiprocessing's start method)."""
    import multiprocessing

    return multiprocessing.get_start_method() == "fork"


def worker_count(jobs: int | None, documents: int, start_method: str | None = None) -> int:
    """How many processes do the work of `documents` municipalities: `jobs` when given
    (never more than there are municipalities), else one per core when each gets enough
    to be worth its start (`start_method`: multiprocessing's, found when not given).

    By default a program with threads of its own does the work itself: forking a process
    while another thread holds a lock can leave the fork waiting for ever.
    """
    if jobs is not None:
        return max(1, min(jobs, documents))
    if documents < 2 or threading.active_count() > 1:
        return 1
    if start_method is None:
        start_method = "fork" if forks() else "other"
    per_worker = _PER_WORKER["fork" if start_method == "fork" else "other"]
    return max(1, min(os.cpu_count() or 1, documents // per_worker))


def in_processes(work: Callable[[Iterable[str], _Shared | None],
                                 Iterator[tuple[str, _Result]]],
                 ids: list[str], jobs: int, shared: _Shared) -> Iterator[tuple[str, _Result]]:
    """`work(ids, shared)` spread over `jobs` processes: each `(id, result)` it yields, as
    soon as a process has it.

    Each process takes the next municipality when it is done with one, so a large one
    does not hold up the others queued behind it. A forked process gets `shared` as it
    is; one started afresh gets None, and `work` then loads it (`work` must then be
    picklable: a module's function, or a `functools.partial` of one). An exception in
    a process is raised here; a process that dies is a RuntimeError. On any exception,
    Ctrl+C included, every process is stopped.
    """
    import multiprocessing
    from multiprocessing.connection import wait

    context = multiprocessing.get_context()
    inherited = shared if context.get_start_method() == "fork" else None
    taken = context.Value("i", 0)  # how many of `ids` the processes have taken
    workers: list[tuple[Any, Any]] = []
    try:
        for _ in range(jobs):
            receiver, sender = context.Pipe(duplex=False)
            process = context.Process(target=_work, daemon=True,
                                      args=(work, ids, taken, inherited, sender))
            process.start()
            sender.close()  # the worker's end: without it, a dead worker would not be seen
            workers.append((process, receiver))
        busy = [receiver for _, receiver in workers]
        while busy:
            for receiver in wait(busy):
                try:
                    message = receiver.recv()
                except EOFError:
                    raise RuntimeError(tr("a process making the documents stopped "
                                          "unexpectedly")) from None
                if isinstance(message, _Failed):
                    raise message.error
                if message == _DONE:
                    busy.remove(receiver)
                else:
                    yield message
    except BaseException:  # Ctrl+C or SIGTERM included: stop the processes
        for process, _ in workers:
            process.terminate()
        raise
    finally:
        for process, receiver in workers:
            process.join()
            receiver.close()


# What a worker sends when no municipality is left: its pipe closing without it means
# the process died.
_DONE = "done"


@dataclass(frozen=True)
class _Failed:
    """What a worker sends instead of a result when making it raised."""

    error: BaseException


def _work(work: Callable[[Iterable[str], Any], Iterator[Any]], ids: list[str], taken: Any,
          shared: Any, connection: Any) -> None:
    """A worker process: each result of the municipalities it takes, sent as soon as it is
    made."""
    _worker_signals()

    def next_ones() -> Iterator[str]:
        while True:
            with taken.get_lock():
                index = taken.value
                taken.value = index + 1
            if index >= len(ids):
                return
            yield ids[index]

    try:
        for outcome in work(next_ones(), shared):
            connection.send(outcome)
        connection.send(_DONE)
    except Exception as error:  # the parent raises it, as the work would in one process
        where = traceback.format_exc()  # the worker's traceback does not travel with it
        error.add_note(where)
        try:
            # Made again here first: an exception whose class takes other arguments than
            # it keeps would be sent, but fail in the parent when unpickled.
            pickle.loads(pickle.dumps(error))
            connection.send(_Failed(error))
        except Exception:  # an exception that cannot be pickled: its text then
            connection.send(_Failed(RuntimeError(where)))
    finally:
        connection.close()


def _worker_signals() -> None:
    # A worker writes nothing, so it may simply end: Ctrl+C is the parent's to handle (it
    # stops the processes), and SIGTERM, which the parent sends to stop it, ends it at
    # once instead of raising the command line's "stopped" in every process.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
