"""A warm process for the command line: `ivbcompose daemon start` loads the program once,
and every later command forks from it instead of loading pydantic, the models, Jinja2,
markdown-it and the writers again.

Loading the program takes longer than checking the example project, so most of a
command's time is start-up. The daemon pays it once:

- `ivbcompose daemon start` starts a process that imports every module of the package,
  then waits on a Unix socket in a folder only this user can open
  (`$XDG_RUNTIME_DIR/ivbcompose/`, else `$TMPDIR/ivbcompose-<uid>/`).
- A command (`entry.main`) connects to that socket when it is there. The daemon forks a
  child for it, and the command's arguments, folder, environment, umask and its
  standard input, output and error (the file descriptors themselves) go to that child.
  The child runs the command line exactly as a new process would, and its exit status
  comes back as the command's own. A Ctrl+C or a SIGTERM to the command is passed on
  to the child.
- Nothing carries over from one command to the next: each child is a fresh copy of
  the daemon, which itself only loaded code and never ran a command. There is no
  cache of results; every command reads and checks the files as they are now.
- The socket's name is a fingerprint of the program (every file of the package, the
  Python that runs it and the folders its packages come from). After an update or an
  edit of the code a command finds no daemon for its fingerprint and runs on its own,
  and the old daemon notices within a few seconds and stops. It also stops after a
  time without commands (`--idle`, 30 minutes by default), and on `daemon stop`.

Without a daemon, or with `IVBCOMPOSE_DAEMON=0`, or on a system without `fork` and Unix
sockets, every command runs in its own process as before. This module imports only
the standard library at the top, because every command's client part runs before
anything else is loaded. Of that, it takes the parts that load fastest: the
`socket` and `signal` modules each make enum classes of every constant the system
has, and `json` compiles regular expressions, which together took half as long
again as starting Python, for every command; the C modules beneath them (`_socket`,
`_signal`) and `marshal` do what the client needs without that.
"""

from __future__ import annotations

import _signal
import _socket
import marshal
import os
import sys

# Not `typing.TYPE_CHECKING`: importing typing alone takes longer than all of this client.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

__all__ = ["DaemonError", "DaemonStatus", "fingerprint", "run_by_daemon", "socket_path", "start",
           "status", "stop", "supported"]

DISABLE_ENV = "IVBCOMPOSE_DAEMON"
DEFAULT_IDLE_MINUTES = 30.0
_ANSWER_WITHIN = 10.0  # seconds a daemon has to answer `status` or `stop`
_LENGTH_BYTES = 4  # a message is its length in this many bytes, then the message
_FD_BYTES = 4  # a file descriptor is a C int
_SOCKET_PATH_MAX = 104  # bytes; the smallest limit of the systems with Unix sockets (macOS)
_STANDARD_STREAMS = 3
# The options of the command line that take a value (for finding the command's name).
_OPTIONS_WITH_VALUE = ("--lang", "--project")


def supported() -> bool:
    """Whether this system can run the daemon (it needs `fork` and Unix sockets)."""
    return hasattr(os, "fork") and hasattr(_socket, "AF_UNIX") \
        and hasattr(_socket.socket, "sendmsg")


def fingerprint(package: str | None = None) -> str:
    """What the program is: a change in any of it means another daemon.

    Every file of the package (this one unless another folder is given), by size and
    time of change, without compiled caches; the interpreter with its flags; and the
    time of change of each folder packages are found in, which an install changes.
    """
    package = package or os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parts = [sys.executable, sys.version, repr(sys.flags), repr(sys.warnoptions),
             repr(sorted(sys._xoptions.items())), package]
    for folder, subfolders, files in os.walk(package):
        subfolders[:] = sorted(name for name in subfolders if name != "__pycache__")
        for name in sorted(files):
            path = os.path.join(folder, name)
            try:
                found = os.stat(path)
            except OSError:
                continue
            parts.append(f"{os.path.relpath(path, package)}:{found.st_size}:{found.st_mtime_ns}")
    # sys.path[0] is the script's or the current folder: not part of the program.
    for entry in sys.path[1:]:
        try:
            parts.append(f"{entry}:{os.stat(entry).st_mtime_ns}")
        except OSError:
            parts.append(f"{entry}:-")
    return _sha256("\n".join(parts).encode("utf-8", "surrogateescape"))


def _sha256(data: bytes) -> str:
    # hashlib starts OpenSSL, which costs more than the rest of the fingerprint; Python's
    # own module for SHA-256 (named _sha2 from 3.12 on) does not.
    try:
        from _sha2 import sha256  # type: ignore[import-not-found]
    except ImportError:
        try:
            from _sha256 import sha256  # type: ignore[import-not-found]
        except ImportError:
            from hashlib import sha256
    return str(sha256(data).hexdigest())


def _folder() -> str:
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and os.path.isdir(runtime):
        return os.path.join(runtime, "ivbcompose")
    return os.path.join(os.environ.get("TMPDIR") or "/tmp", f"ivbcompose-{os.getuid()}")


def _private(folder: str) -> bool:
    """Whether `folder` is this user's own and nobody else can enter it: another user's
    socket there would receive our files, our environment and our terminal."""
    try:
        found = os.lstat(folder)
    except OSError:
        return False
    import stat

    return (stat.S_ISDIR(found.st_mode) and found.st_uid == os.getuid()
            and found.st_mode & 0o077 == 0)


def socket_path(print_: str | None = None) -> str:
    """The socket of the daemon for this program (by its fingerprint)."""
    return os.path.join(_folder(), f"{(print_ or fingerprint())[:24]}.sock")


# --- The client: every command but `daemon` itself -----------------------------------------


def run_by_daemon(argv: Sequence[str]) -> int | None:
    """Run the command `argv` in the daemon and return its exit status, or None when no
    daemon takes it (there is none, it is switched off, or the command is `daemon`)."""
    if os.environ.get(DISABLE_ENV, "").strip().lower() in ("0", "no", "off", "false") \
            or not supported() or _command(argv) == "daemon":
        return None
    folder = _folder()
    if not _private(folder):
        return None
    connection = _connect(socket_path())
    if connection is None:
        return None
    try:
        finished = _run_there(connection, argv)
    finally:
        connection.close()
    if finished is _NOT_STARTED:
        return None  # the daemon went away before it started anything: run here
    if finished is None or "status" not in finished:
        from ..i18n import language_for, tr

        print(language_for(None).text(tr("ivbcompose: the daemon's process for this command "
                                         "stopped without an exit status")), file=sys.stderr)
        return 1
    return int(finished["status"])


_NOT_STARTED: dict[str, Any] = {}


def _run_there(connection: _socket.socket, argv: Sequence[str]) -> dict[str, Any] | None:
    """Send the command to the daemon and wait for it: the daemon's last message (None
    when it sent none), or `_NOT_STARTED` when the command never started there."""
    streams = [sys.stdin, sys.stdout, sys.stderr]
    descriptors = [_descriptor(stream, index) for index, stream in enumerate(streams)]
    pending: list[int] = []
    child: list[int] = []

    def forward(signum: int, frame: object) -> None:
        if child:
            _signal_child(child[0], signum)
        else:
            pending.append(signum)

    previous = _forwarding(forward)
    if previous is None:
        for fd, opened in descriptors:
            if opened:
                os.close(fd)
        return _NOT_STARTED
    try:
        try:
            _send(connection, {"run": list(argv), "argv0": sys.argv[0], "cwd": os.getcwd(),
                               "env": dict(os.environ), "umask": _umask(),
                               "streams": [_stream_form(s) for s in streams]},
                  [fd for fd, _ in descriptors])
        finally:
            for fd, opened in descriptors:
                if opened:
                    os.close(fd)
        replies = _Messages(connection)
        started, _ = replies.next()
        if started is None or "pid" not in started:
            return _NOT_STARTED
        child.append(int(started["pid"]))
        for signum in pending:
            _signal_child(child[0], signum)
        return replies.next()[0]
    finally:
        for number, handler in previous.items():
            _signal.signal(number, handler)


def _forwarding(forward: Callable[[int, object], None]) -> dict[int, Any] | None:
    """Pass Ctrl+C, SIGTERM and SIGHUP on to `forward`; the handlers they had, or None
    when this is not the main thread (only that one may set them: then run here)."""
    previous: dict[int, Any] = {}
    try:
        for number in (_signal.SIGINT, _signal.SIGTERM, _signal.SIGHUP):
            previous[number] = _signal.signal(number, forward)
    except ValueError:
        for number, handler in previous.items():
            _signal.signal(number, handler)
        return None
    return previous


def _command(argv: Sequence[str]) -> str | None:
    """The command's name: the first argument that is not an option or an option's value."""
    arguments = iter(argv)
    for argument in arguments:
        if argument in _OPTIONS_WITH_VALUE:
            next(arguments, None)
        elif not argument.startswith("-"):
            return argument
    return None


def _connect(path: str) -> _socket.socket | None:
    connection = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        connection.connect(path)
    except OSError:
        connection.close()
        return None
    return connection


def _descriptor(stream: Any, index: int) -> tuple[int, bool]:
    """The file descriptor behind a standard stream, and whether it was opened here
    (when the stream is closed or not a file, the child gets /dev/null)."""
    try:
        fd = stream.fileno()
        os.fstat(fd)
        return fd, False
    except (AttributeError, OSError, ValueError):
        return os.open(os.devnull, os.O_RDONLY if index == 0 else os.O_WRONLY), True


def _stream_form(stream: Any) -> dict[str, Any]:
    """How the child must open a standard stream to write as this process would."""
    return {"encoding": getattr(stream, "encoding", None) or "utf-8",
            "errors": getattr(stream, "errors", None) or "strict",
            "line_buffering": bool(getattr(stream, "line_buffering", False))}


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _signal_child(pid: int, signum: int) -> None:
    # Not contextlib.suppress: the client loads nothing it can do without.
    try:  # noqa: SIM105
        os.kill(pid, signum)
    except ProcessLookupError:  # the command has just ended
        pass


def _send(connection: _socket.socket, message: dict[str, Any],
          descriptors: Sequence[int] = ()) -> None:
    """One message, with the file descriptors to pass (at most `_STANDARD_STREAMS`).

    `marshal`, since both ends are the same Python (the fingerprint says so), and only
    this user can reach the socket: nothing else can send the daemon a message.
    """
    data = marshal.dumps(message)
    framed = len(data).to_bytes(_LENGTH_BYTES, "big") + data
    if descriptors:
        passed = b"".join(fd.to_bytes(_FD_BYTES, sys.byteorder, signed=True)
                          for fd in descriptors)
        sent = connection.sendmsg([framed], [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS, passed)])
        framed = framed[sent:]
    if framed:
        connection.sendall(framed)


class _Messages:
    """The messages that come in on a connection, one by one, with the file descriptors
    passed with them."""

    def __init__(self, connection: _socket.socket) -> None:
        self._connection = connection
        self._buffer = b""

    def next(self) -> tuple[dict[str, Any] | None, list[int]]:
        """The next message (None when the connection closes first) and its descriptors."""
        descriptors: list[int] = []
        while True:
            if len(self._buffer) >= _LENGTH_BYTES:
                end = _LENGTH_BYTES + int.from_bytes(self._buffer[:_LENGTH_BYTES], "big")
                if len(self._buffer) >= end:
                    data, self._buffer = self._buffer[_LENGTH_BYTES:end], self._buffer[end:]
                    return _loaded(data), descriptors
            try:
                data, extra, _flags, _address = self._connection.recvmsg(
                    1 << 16, _socket.CMSG_SPACE(_STANDARD_STREAMS * _FD_BYTES))
            except OSError:
                data, extra = b"", []
            for level, kind, passed in extra:
                if level == _socket.SOL_SOCKET and kind == _socket.SCM_RIGHTS:
                    whole = len(passed) - len(passed) % _FD_BYTES
                    descriptors += memoryview(passed[:whole]).cast("i").tolist()
            if not data:
                for fd in descriptors:
                    os.close(fd)
                return None, []
            self._buffer += data


def _loaded(data: bytes) -> dict[str, Any] | None:
    try:
        message = marshal.loads(data)
    except (EOFError, ValueError, TypeError):
        return None
    return message if isinstance(message, dict) else None


def _receive(connection: _socket.socket) -> tuple[dict[str, Any] | None, list[int]]:
    """The one message a client sends (None when it sent none whole) and its descriptors."""
    return _Messages(connection).next()


def _reply(connection: _socket.socket, message: dict[str, Any]) -> bool:
    try:
        _send(connection, message)
        return True
    except OSError:
        return False


# --- Start, stop and status: `ivbcompose daemon …` -------------------------------------------


class DaemonStatus:
    """What a running daemon says of itself."""

    def __init__(self, answer: dict[str, Any], path: str) -> None:
        self.pid = int(answer["pid"])
        self.commands = int(answer["commands"])
        self.running = int(answer["running"])
        self.idle_minutes = float(answer["idle_minutes"])
        self.socket = path


def status() -> DaemonStatus | None:
    """The daemon for this program, if one is running."""
    return _ask({"status": True})


def stop() -> DaemonStatus | None:
    """Stop the daemon for this program; what it said of itself, or None if none ran.
    Commands it is running finish first; new ones run on their own."""
    return _ask({"stop": True})


def _ask(request: dict[str, Any]) -> DaemonStatus | None:
    """Send `request` to the daemon for this program; what it says of itself."""
    path = socket_path()
    connection = _connect(path) if _private(_folder()) else None
    if connection is None:
        return None
    try:
        connection.settimeout(_ANSWER_WITHIN)  # a daemon that hangs is as good as none
        try:
            _send(connection, request)
        except OSError:
            return None
        answer, _ = _Messages(connection).next()
    finally:
        connection.close()
    return DaemonStatus(answer, path) if answer and "pid" in answer else None


def start(idle_minutes: float = DEFAULT_IDLE_MINUTES, timeout: float = 120.0) -> DaemonStatus:
    """Start the daemon for this program (or find the one already running) and return
    once it takes commands. Raises `DaemonError` when it cannot start."""
    import subprocess

    from ..i18n import tr

    running = status()
    if running is not None:
        return running
    folder = _folder()
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
    except OSError as error:
        raise DaemonError(tr("cannot make the folder {folder}: {reason}", folder=folder,
                             reason=error.strerror or str(error)),
                          tr("set XDG_RUNTIME_DIR or TMPDIR to a folder you may write in")
                          ) from None
    if not _private(folder):
        raise DaemonError(tr("the folder {folder} is not yours alone", folder=folder),
                          tr("remove it, or make it yours with no access for others "
                             "(chmod 700)"))
    if len(os.fsencode(_temporary(socket_path()))) >= _SOCKET_PATH_MAX:
        raise DaemonError(tr("the folder {folder} has too long a name for the daemon's socket",
                             folder=folder),
                          tr("set XDG_RUNTIME_DIR to a folder with a shorter name"))
    log = os.path.join(folder, "daemon.log")
    with open(log, "ab") as errors:
        # A process of its own (not a fork of this one), in its own session: it outlives
        # this command and no terminal's Ctrl+C reaches it.
        process = subprocess.Popen(
            [sys.executable, *subprocess._args_from_interpreter_flags(),  # type: ignore[attr-defined]
             "-c", "from ivbcompose.daemon.server import serve_forever; serve_forever()",
             repr(idle_minutes)],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=errors,
            start_new_session=True, cwd="/")
    assert process.stdout is not None
    import select

    ready, _, _ = select.select([process.stdout], [], [], timeout)
    line = process.stdout.readline() if ready else b""
    process.stdout.close()
    running = status() if line.strip() == b"ready" else None
    if running is None:
        if process.poll() is None:
            process.kill()
        raise DaemonError(tr("the daemon did not start"),
                          tr("what went wrong is in {log}", log=log))
    return running


class DaemonError(Exception):
    """The daemon could not be started: what went wrong, and what to do."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message, self.hint = message, hint


def _temporary(path: str) -> str:
    return f"{path}.{os.getpid()}"
