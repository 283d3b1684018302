"""The daemon (`ivbcompose daemon start`): a command run by it does exactly what it does in
a process of its own (output, exit status, files, folder, environment, signals), and the
daemon is only used while it matches the program and its folder is private."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ivbcompose import daemon
from ivbcompose.project import Project

from .conftest import edit

pytestmark = pytest.mark.skipif(not daemon.supported(), reason="needs fork and Unix sockets")

IVBCOMPOSE = str(Path(sys.executable).with_name("ivbcompose"))


def _run(env: dict[str, str], *arguments: str, cwd: Path, **options: object
         ) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([IVBCOMPOSE, *arguments], cwd=cwd, env=env, capture_output=True,
                          timeout=120, check=False, **options)  # type: ignore[call-overload]


def _alone(env: dict[str, str]) -> dict[str, str]:
    return {**env, daemon.DISABLE_ENV: "0"}


def _served(env: dict[str, str], cwd: Path) -> int:
    """How many commands the daemon has run so far (from `daemon status`)."""
    assert os.environ["XDG_RUNTIME_DIR"] == env["XDG_RUNTIME_DIR"]
    running = daemon.status()
    assert running is not None, "the daemon is not running"
    return running.commands


@pytest.fixture
def runtime(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """This test's runtime folder, as XDG_RUNTIME_DIR: a short name in /tmp, since a
    socket's path may not be longer than about a hundred bytes (pytest's folders are)."""
    folder = Path(tempfile.mkdtemp(prefix="ivb-", dir="/tmp"))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(folder))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def env(tmp_path: Path, runtime: Path) -> Iterator[dict[str, str]]:
    """The environment of commands that find a daemon running (stopped afterwards)."""
    environment = {**os.environ}
    started = _run(environment, "daemon", "start", "--idle", "5", cwd=tmp_path)
    assert started.returncode == 0, started.stderr.decode()
    assert b"the daemon runs" in started.stdout
    running = daemon.status()
    assert running is not None
    try:
        yield environment
    finally:
        _run(environment, "daemon", "stop", cwd=tmp_path)
        _gone(running.pid)


def _gone(pid: int, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
    raise AssertionError(f"process {pid} did not stop")


def _same(env: dict[str, str], cwd: Path, *arguments: str) -> subprocess.CompletedProcess[bytes]:
    """Run a command alone and through the daemon; they must not differ in anything."""
    before = _served(env, cwd)
    alone = _run(_alone(env), *arguments, cwd=cwd)
    warm = _run(env, *arguments, cwd=cwd)
    assert _served(env, cwd) == before + 1, "the command did not go through the daemon"
    assert (warm.returncode, warm.stdout.decode(), warm.stderr.decode()) == \
        (alone.returncode, alone.stdout.decode(), alone.stderr.decode())
    return warm


def test_a_command_by_the_daemon_says_and_exits_as_one_alone(project: Project,
                                                            env: dict[str, str]) -> None:
    assert _same(env, project.root, "check").returncode == 0
    assert _same(env, project.root, "list").stdout
    assert _same(env, project.root, "build", "--jobs", "0").returncode == 2  # argparse's exit
    assert b"usage:" in _same(env, project.root, "--help").stdout
    edit(project.root / "municipalities" / "urk" / "municipality.yaml", "inhabitants:",
         "inhabitans:")
    failed = _same(env, project.root, "check")
    assert failed.returncode == 1
    assert b"municipality.yaml:" in failed.stderr and b"^" in failed.stderr
    dutch = _same({**env, "LC_MESSAGES": "nl_NL.UTF-8"}, project.root, "check")
    assert "onbekend veld" in dutch.stderr.decode()
    assert _same(env, project.root, "--lang", "nl", "check").stderr == dutch.stderr
    # Nothing of one command carries over to the next: English again.
    assert _same(env, project.root, "check").stderr == failed.stderr


def test_a_build_by_the_daemon_writes_the_same_files(project: Project, env: dict[str, str],
                                                    tmp_path: Path) -> None:
    epoch = {"SOURCE_DATE_EPOCH": "1700000000"}
    for name, environment in (("alone", _alone(env)), ("warm", env)):
        done = _run({**environment, **epoch}, "build", "--all", "--jobs", "2",
                    "-o", str(tmp_path / name), cwd=project.root)
        assert done.returncode == 0, done.stderr.decode()
    alone = sorted(p.relative_to(tmp_path / "alone") for p in (tmp_path / "alone").rglob("*"))
    warm = sorted(p.relative_to(tmp_path / "warm") for p in (tmp_path / "warm").rglob("*"))
    assert alone == warm and any(p.suffix == ".docx" for p in alone)
    for path in alone:
        if (tmp_path / "alone" / path).is_file():
            assert (tmp_path / "alone" / path).read_bytes() == \
                (tmp_path / "warm" / path).read_bytes(), path


def test_the_command_runs_in_the_callers_folder_with_its_umask(project: Project,
                                                              env: dict[str, str],
                                                              tmp_path: Path) -> None:
    inside = project.root / "municipalities" / "urk"
    assert _same(env, inside, "check").returncode == 0  # the project is found from there
    modes = {}
    for name, environment in (("alone", _alone(env)), ("warm", env)):
        output = tmp_path / name
        done = subprocess.run(f"umask 077 && exec {IVBCOMPOSE} build urk -o {output}",
                              shell=True, cwd=project.root, env=environment,
                              capture_output=True, check=False)
        assert done.returncode == 0, done.stderr.decode()
        modes[name] = {p.name: p.stat().st_mode & 0o777 for p in output.iterdir()}
    assert modes["alone"] == modes["warm"]
    assert all(mode & 0o077 == 0 for mode in modes["warm"].values())


def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (from /proc: no tool needed)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # it ended meanwhile
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _preview(env: dict[str, str], project: Project) -> subprocess.Popen[bytes]:
    """`serve` started through the daemon, once it listens."""
    preview = subprocess.Popen([IVBCOMPOSE, "serve", "--no-browser", "--port", "0"],
                               cwd=project.root, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    assert preview.stdout is not None
    assert b"http://127.0.0.1:" in preview.stdout.readline()
    return preview


def test_ctrl_c_and_sigterm_reach_the_command(project: Project, env: dict[str, str]) -> None:
    before = _served(env, project.root)
    for number in (signal.SIGINT, signal.SIGTERM):
        preview = _preview(env, project)
        preview.send_signal(number)
        _out, err = preview.communicate(timeout=30)
        if number == signal.SIGINT:
            assert preview.returncode == 0 and b"preview stopped" in err
        else:
            assert preview.returncode == 128 + signal.SIGTERM and b"stopped" in err
    assert _served(env, project.root) == before + 2
    running = daemon.status()
    assert running is not None and running.running == 0  # no command is left behind


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_a_command_killed_in_the_daemon_exits_as_killed(project: Project,
                                                       env: dict[str, str]) -> None:
    preview = _preview(env, project)
    running = daemon.status()
    assert running is not None
    children = _children(running.pid)
    assert len(children) == 1
    os.kill(children[0], signal.SIGKILL)
    preview.communicate(timeout=30)
    assert preview.returncode == 128 + signal.SIGKILL


def test_switched_off_or_stopped_every_command_runs_alone(project: Project,
                                                         env: dict[str, str]) -> None:
    before = _served(env, project.root)
    assert _run(_alone(env), "check", cwd=project.root).returncode == 0
    assert _served(env, project.root) == before
    pid = daemon.status().pid  # type: ignore[union-attr]
    stopped = _run(env, "daemon", "stop", cwd=project.root)
    assert stopped.stdout.decode().startswith(f"the daemon stopped (process {pid})")
    _gone(pid)
    assert _run(env, "daemon", "status", cwd=project.root).stdout == b"no daemon runs\n"
    assert _run(env, "check", cwd=project.root).returncode == 0


def test_a_daemon_stops_after_its_idle_time(tmp_path: Path, runtime: Path) -> None:
    started = _run({**os.environ}, "daemon", "start", "--idle", "0,02", cwd=tmp_path)
    assert b"after 0.02 minutes" in started.stdout
    running = daemon.status()
    assert running is not None
    _gone(running.pid, seconds=15)
    assert daemon.status() is None
    assert not list((runtime / "ivbcompose").glob("*.sock"))  # it removed its socket


def test_a_socket_without_a_daemon_is_passed_by(project: Project, runtime: Path) -> None:
    (runtime / "ivbcompose").mkdir(mode=0o700)
    left = socket.socket(socket.AF_UNIX)
    left.bind(daemon.socket_path())  # what a daemon that was killed leaves behind
    left.close()
    done = _run({**os.environ}, "check", cwd=project.root)
    assert done.returncode == 0, done.stderr.decode()


def test_a_folder_others_can_enter_is_not_used(project: Project, tmp_path: Path,
                                               runtime: Path) -> None:
    (runtime / "ivbcompose").mkdir(mode=0o755)
    (runtime / "ivbcompose").chmod(0o755)
    started = _run({**os.environ}, "daemon", "start", cwd=tmp_path)
    assert started.returncode == 1
    assert b"is not yours alone" in started.stderr and b"chmod 700" in started.stderr
    # Another user's socket there is never connected to: the command runs alone.
    planted = socket.socket(socket.AF_UNIX)
    planted.bind(daemon.socket_path())
    planted.listen(1)
    planted.settimeout(0.5)
    try:
        done = _run({**os.environ}, "check", cwd=project.root)
        assert done.returncode == 0, done.stderr.decode()
        with pytest.raises(TimeoutError):
            planted.accept()
    finally:
        planted.close()


def test_the_fingerprint_follows_every_file_but_compiled_ones(tmp_path: Path) -> None:
    package = tmp_path / "package"
    (package / "data").mkdir(parents=True)
    (package / "module.py").write_text("x = 1\n")
    (package / "data" / "template.yaml").write_text("a: 1\n")
    first = daemon.fingerprint(str(package))
    assert daemon.fingerprint(str(package)) == first
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "module.cpython-311.pyc").write_bytes(b"compiled")
    assert daemon.fingerprint(str(package)) == first
    (package / "data" / "template.yaml").write_text("a: 22\n")
    second = daemon.fingerprint(str(package))
    assert second != first
    (package / "extra.py").write_text("")
    assert daemon.fingerprint(str(package)) not in (first, second)
    os.utime(package / "module.py", ns=(1, 1))
    assert daemon.fingerprint(str(package)) not in (first, second)


def test_the_command_name_is_found_past_the_options() -> None:
    assert daemon._command(["--lang", "nl", "daemon", "start"]) == "daemon"
    assert daemon._command(["--project", "daemon", "check"]) == "check"
    assert daemon._command(["--lang=nl", "check"]) == "check"
    assert daemon._command(["--version"]) is None


def test_a_command_from_another_thread_runs_alone(project: Project,
                                                  env: dict[str, str]) -> None:
    before = _served(env, project.root)
    answers: list[int | None] = []
    other = threading.Thread(target=lambda: answers.append(daemon.run_by_daemon(["list"])))
    other.start()
    other.join()
    assert answers == [None]  # only the main thread can pass Ctrl+C on: not by the daemon
    assert _served(env, project.root) == before


def test_a_program_that_changed_is_not_run_by_the_old_daemon(project: Project, tmp_path: Path,
                                                             runtime: Path) -> None:
    # A folder on the Python path stands for the venv's packages: an install changes it.
    packages = tmp_path / "packages"
    packages.mkdir()
    environment = {**os.environ, "PYTHONPATH": str(packages)}
    assert _run(environment, "daemon", "start", cwd=tmp_path).returncode == 0
    running = daemon.status()
    assert running is None  # this process's Python path differs: another fingerprint
    started = _run(environment, "daemon", "status", cwd=tmp_path).stdout.decode()
    pid = int(started.split("process ")[1].split(",")[0])
    assert "ran 0 commands" in started
    assert _run(environment, "check", cwd=project.root).returncode == 0
    assert "ran 1 command" in _run(environment, "daemon", "status", cwd=tmp_path).stdout.decode()
    (packages / "installed.pth").write_text("")  # as pip would
    assert _run(environment, "check", cwd=project.root).returncode == 0  # alone, not by it
    _gone(pid, seconds=15)  # the old daemon saw that it is stale, and stopped
    assert _run(environment, "daemon", "status", cwd=tmp_path).stdout == b"no daemon runs\n"


def test_version_and_other_interpreter_settings_run_alone(project: Project,
                                                          env: dict[str, str]) -> None:
    before = _served(env, project.root)
    version = _run(env, "--version", cwd=project.root)
    assert version.returncode == 0 and version.stdout.startswith(b"ivbcompose ")
    # Python's UTF-8 mode (which another locale can switch on) is the process's own,
    # set from the environment or from the command line.
    other = _run({**env, "PYTHONUTF8": "1"}, "check", cwd=project.root)
    assert other.returncode == 0, other.stderr.decode()
    other = subprocess.run([sys.executable, "-X", "utf8", "-m", "ivbcompose", "check"],
                           cwd=project.root, env=env, capture_output=True, check=False)
    assert other.returncode == 0, other.stderr.decode()
    assert _served(env, project.root) == before
    same = subprocess.run([sys.executable, "-m", "ivbcompose", "check"], cwd=project.root,
                          env=env, capture_output=True, check=False)
    assert same.returncode == 0
    assert _served(env, project.root) == before + 1  # `python -m ivbcompose` is served too


def test_the_daemon_builds_every_model_before_any_command() -> None:
    # `defer_build` leaves a model's validator for its first use: in the daemon that
    # would be every command's first use again, in every child.
    script = ("from pydantic import BaseModel\n"
              "from ivbcompose.daemon.server import _load_everything\n"
              "_load_everything()\n"
              "import sys\n"
              "print(sorted(f'{v.__module__}.{v.__qualname__}'\n"
              "             for n, m in list(sys.modules.items()) if n.startswith('ivbcompose.')\n"
              "             for v in vars(m).values() if isinstance(v, type)\n"
              "             and issubclass(v, BaseModel) and v.__module__ == n\n"
              "             and not v.__pydantic_complete__))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"


def test_messages_arrive_whole_and_one_by_one() -> None:
    # A quick command's "started" and "finished" can come in one read; the environment
    # of a command can be longer than one read.
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    with ours, theirs:
        large = {"env": {f"V{n}": "x" * 100 for n in range(2000)}, "text": "a\udcff"}
        passed = os.open(os.devnull, os.O_RDONLY)
        daemon._send(theirs, {"pid": 1}, [passed])
        os.close(passed)
        daemon._send(theirs, {"status": 0})
        daemon._send(theirs, large)
        theirs.sendall(b"\0\0\0\x10half")
        theirs.shutdown(socket.SHUT_WR)
        messages = daemon._Messages(ours)
        first, descriptors = messages.next()
        assert first == {"pid": 1} and len(descriptors) == 1
        os.close(descriptors[0])
        assert messages.next() == ({"status": 0}, [])
        assert messages.next() == (large, [])
        assert messages.next() == (None, [])


def test_the_command_side_loads_no_slow_module_before_the_daemon(runtime: Path) -> None:
    # socket, signal and json make enums or compile patterns on import: together they
    # took longer than starting Python, for every command the daemon runs.
    script = ("import sys\n"
              "from ivbcompose import daemon\n"
              "assert daemon.run_by_daemon(['check']) is None\n"  # no daemon runs here
              "print(' '.join(sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True, env={**os.environ, "XDG_RUNTIME_DIR": str(runtime)})
    loaded = set(done.stdout.split())
    assert "ivbcompose.daemon" in loaded
    assert loaded & {"json", "socket", "signal", "enum", "hashlib", "typing", "re"} == set()
