"""Work spread over processes (processes.py): for `check` and `build`, the same answer in
the same order as in one process; a free process takes the next municipality."""

from __future__ import annotations

import functools
import multiprocessing
import os
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from ivbcompose import api
from ivbcompose.build import each_loaded
from ivbcompose.processes import forks, in_processes, worker_count
from ivbcompose.project import Project

from .conftest import edit

needs_fork = pytest.mark.skipif(not forks(), reason="the processes are forks only on Linux")


def _slow_first(seconds: float, ids: Iterable[str], shared: object
                ) -> Iterator[tuple[str, tuple[int, object]]]:
    for item in ids:
        if item == "first":
            time.sleep(seconds)
        yield item, (os.getpid(), shared)


@needs_fork
def test_a_free_process_takes_the_next_municipality() -> None:
    ids = ["first", "second", "third", "fourth"]
    done = dict(in_processes(functools.partial(_slow_first, 1.0), ids, 2, "loaded"))
    assert sorted(done) == sorted(ids)
    assert {shared for _, shared in done.values()} == {"loaded"}  # the fork's own copy
    slow = done["first"][0]
    assert slow != os.getpid()
    # While one process is busy with the first, the other does all the rest.
    assert {done[item][0] for item in ids[1:]} == {done["second"][0]} != {slow}
    assert multiprocessing.active_children() == []


def _fails_on(bad: str, ids: Iterable[str], shared: object) -> Iterator[tuple[str, str]]:
    for item in ids:
        if item == bad:
            raise ValueError(f"broken at {item}")
        yield item, item


def test_an_exception_in_a_process_is_raised_by_the_caller() -> None:
    with pytest.raises(ValueError, match="broken at c") as raised:
        list(in_processes(functools.partial(_fails_on, "c"), list("abcd"), 2, None))
    assert any("Traceback" in note for note in raised.value.__notes__)  # the worker's own
    assert multiprocessing.active_children() == []


def test_a_program_with_threads_does_its_work_itself() -> None:
    assert worker_count(None, 3, "fork") == min(os.cpu_count() or 1, 3)
    waiting = threading.Event()
    other = threading.Thread(target=waiting.wait)
    other.start()
    try:
        assert worker_count(None, 3, "fork") == 1
        assert worker_count(2, 3, "fork") == 2  # asked for: given
    finally:
        waiting.set()
        other.join()


@needs_fork
def test_check_in_processes_finds_what_one_process_finds(project: Project,
                                                        monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    edit(project.root / "municipalities/urk/municipality.yaml", "remove: buurtbemiddeling",
         "remove: buurtbemidelling")
    edit(project.root / "municipalities/dronten/municipality.yaml", 'version: "0.9"',
         "version: 0.9")
    # A mistake in a shared chapter: every municipality's composition finds it.
    edit(project.root / "shared/40-kaders.yaml", "  - id: kaders\n",
         "  - id: kaders\n    onbekend_in_elk: 1\n")
    answers = {}
    for jobs in (1, 2, 3):
        monkeypatch.setattr(api, "worker_count", lambda requested, count, jobs=jobs: jobs)
        answers[jobs] = api.check(project)
    assert answers[1] == answers[2] == answers[3]
    files = [str(problem.origin.file) for problem in answers[1]]
    assert any("dronten" in f for f in files) and any("urk" in f for f in files)
    # A mistake in the shared part is told once, not once per municipality.
    assert sum("onbekend_in_elk" in problem.message for problem in answers[1]) == 1
    assert multiprocessing.active_children() == []


def test_check_of_a_few_municipalities_uses_the_cores(project: Project,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    used = []
    real = api.in_processes

    def counted(*arguments: object) -> object:
        used.append(arguments[2])
        return real(*arguments)  # type: ignore[arg-type]

    monkeypatch.setattr(api, "in_processes", counted)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert [p for p in api.check(project) if p.severity == "error"] == []
    assert used == ([2] if forks() else [])
    assert api.check(project, ["urk"]) is not None and used == ([2] if forks() else [])


def test_results_come_back_in_the_order_asked(project: Project, tmp_path: Path) -> None:
    names = project.municipality_ids()
    built = api.build_many(project, list(reversed(names)),
                           api.BuildOptions(output_dir=tmp_path, jobs=2))
    assert [result.municipality_id for result in built] == list(reversed(names))


def test_an_unknown_municipality_fails_before_any_work(project: Project, tmp_path: Path
                                                       ) -> None:
    from ivbcompose.project import UnknownMunicipality

    with pytest.raises(UnknownMunicipality) as unknown:
        api.check(project, ["urk", "urkk"])
    assert unknown.value.suggestion == "urk"
    with pytest.raises(UnknownMunicipality):
        api.build_many(project, ["urk", "dronten", "urkk"],
                       api.BuildOptions(output_dir=tmp_path / "out", jobs=2))
    assert not (tmp_path / "out").exists()


class _TakesOtherArguments(Exception):
    def __init__(self, first: str, second: str) -> None:
        super().__init__(f"{first} and {second}")  # keeps one argument: cannot be unpickled


def _raises_odd(ids: Iterable[str], shared: object) -> Iterator[tuple[str, str]]:
    for item in ids:
        raise _TakesOtherArguments(item, "more")
    yield from ()


def test_an_exception_that_cannot_travel_comes_back_as_its_traceback() -> None:
    import pickle

    with pytest.raises(TypeError):
        pickle.loads(pickle.dumps(_TakesOtherArguments("a", "b")))
    with pytest.raises(RuntimeError, match="_TakesOtherArguments: a and more"):
        list(in_processes(_raises_odd, ["a"], 1, None))
    assert multiprocessing.active_children() == []


def test_processes_started_afresh_load_the_project_themselves(
        project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    edit(project.root / "municipalities/urk/municipality.yaml", "remove: buurtbemiddeling",
         "remove: buurtbemidelling")
    alone = api.check(project)
    api.build_many(project, ["dronten", "noordoostpolder"],
                   api.BuildOptions(output_dir=tmp_path / "alone", jobs=1))
    before = multiprocessing.get_start_method()
    multiprocessing.set_start_method("spawn", force=True)
    try:
        assert not forks()
        monkeypatch.setattr(api, "worker_count", lambda requested, count: 2)
        assert api.check(project) == alone
        api.build_many(project, ["dronten", "noordoostpolder"],
                       api.BuildOptions(output_dir=tmp_path / "afresh", jobs=2))
    finally:
        multiprocessing.set_start_method(before, force=True)
    made = sorted(p.relative_to(tmp_path / "alone") for p in (tmp_path / "alone").rglob("*")
                  if p.is_file())
    assert made
    for path in made:
        assert (tmp_path / "afresh" / path).read_bytes() == (tmp_path / "alone" / path).read_bytes()


def test_a_project_that_does_not_load_gives_each_municipality_its_problems(
        project: Project) -> None:
    edit(project.root / "shared/40-kaders.yaml", "  - id: kaders\n", "  - id: kaders\n\t:\n")
    ids = project.municipality_ids()
    got = list(each_loaded(project, ids, None, lambda one, loaded: "made",
                           lambda problems: [p.code for p in problems]))
    assert [municipality for municipality, _ in got] == ids
    assert all(outcome and outcome == got[0][1] and outcome != "made" for _, outcome in got)
