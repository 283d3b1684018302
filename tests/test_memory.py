"""What a command holds is kept out of the garbage collector's passes while it works
(memory.py), and the process is left as it was found."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from ivbcompose import api
from ivbcompose.compose import compose
from ivbcompose.memory import kept_out_of_collection
from ivbcompose.project import Project


@pytest.fixture(autouse=True)
def _nothing_frozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_what_is_held_is_frozen_inside_and_thawed_after() -> None:
    held = [[] for _ in range(100)]
    with kept_out_of_collection():
        assert gc.get_freeze_count() >= len(held)
        made = [[] for _ in range(100)]
        assert all(gc.is_tracked(m) for m in made)
    assert gc.get_freeze_count() == 0


def test_an_inner_use_leaves_the_outer_freeze_in_place() -> None:
    with kept_out_of_collection():
        with kept_out_of_collection():
            pass
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0


def test_uses_in_two_threads_unfreeze_when_the_last_ends() -> None:
    first_in, second_done = threading.Event(), threading.Event()
    seen: list[int] = []

    def first() -> None:
        with kept_out_of_collection():
            first_in.set()
            second_done.wait(10)
            seen.append(gc.get_freeze_count())

    thread = threading.Thread(target=first)
    thread.start()
    first_in.wait(10)
    with kept_out_of_collection():
        pass
    second_done.set()
    thread.join(10)
    assert seen and seen[0] > 0  # the other thread's end did not unfreeze
    assert gc.get_freeze_count() == 0


def test_the_garbage_made_inside_is_still_collected() -> None:
    with kept_out_of_collection():
        cycle: list[object] = []
        cycle.append(cycle)
        del cycle
        assert gc.collect() >= 1


def test_composing_and_checking_leave_nothing_frozen(project: Project) -> None:
    municipality_id = project.municipality_ids()[0]
    compose(project, municipality_id)
    assert gc.get_freeze_count() == 0
    api.check(project)
    assert gc.get_freeze_count() == 0


def test_composing_freezes_what_was_loaded_before(project: Project,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from ivbcompose import compose as composing

    seen: list[int] = []
    applying = composing.apply_changes

    def watching(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.get_freeze_count())
        return applying(*args, **kwargs)

    monkeypatch.setattr(composing, "apply_changes", watching)
    compose(project, project.municipality_ids()[0])
    assert seen and seen[0] > 0
    assert gc.get_freeze_count() == 0
