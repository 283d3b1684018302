"""The daemon's process: load the program, listen on the socket, and fork a child for
each command that becomes that command's process (see the package's docstring)."""

from __future__ import annotations

import os
import signal
import socket
import sys
from typing import Any, NoReturn

from . import (
    _STANDARD_STREAMS,
    DEFAULT_IDLE_MINUTES,
    _receive,
    _reply,
    _temporary,
    fingerprint,
    socket_path,
)

__all__ = ["serve_forever"]

# How often a waiting daemon looks whether it is stale or idle, in seconds.
_LOOK_EVERY = 2.0


def serve_forever() -> NoReturn:
    """The daemon's process (started by `start`): load the program, listen, fork."""
    idle_minutes = float(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_IDLE_MINUTES
    own_print = fingerprint()
    _load_everything()
    path = socket_path(own_print)
    listener, inode = _listen(path)
    daemon = _Daemon(listener, inode, path, own_print, idle_minutes * 60)
    try:
        sys.stdout.write("ready\n")
        sys.stdout.flush()
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        daemon.run()
    finally:
        daemon.stop_listening()
    os._exit(0)


def _load_everything() -> None:
    """Import every module of the package, so that no command has to (a module that
    needs what is not installed, such as LibreOffice's `uno`, is left to load later)."""
    import gc
    import importlib
    import pkgutil

    import ivbcompose

    for found in pkgutil.walk_packages(ivbcompose.__path__, "ivbcompose."):
        if found.name.rsplit(".", 1)[-1] == "__main__":
            continue
        try:
            importlib.import_module(found.name)
        except ImportError:
            continue
    _prepare()
    # The loaded code never changes: keep it out of every child's collections.
    gc.collect()
    gc.freeze()


def _prepare() -> None:
    """Work out now what the program works out about itself at its first use, so that no
    child does it again: the models' validators and field metadata, the message catalogs,
    Babel's Dutch locale data, Jinja2's lexer, markdown-it's parser and the modules for
    worker processes. None of it comes from a project, so no command sees anything of
    another."""
    import datetime

    from pydantic import BaseModel

    from .. import i18n, markup, model, nl, templating
    from ..provenance import Origin

    model.prepare(sorted({value for name, module in list(sys.modules.items())
                          if name.startswith("ivbcompose.") for value in vars(module).values()
                          if isinstance(value, type) and issubclass(value, BaseModel)
                          and value.__module__ == name}, key=lambda m: m.__qualname__))
    for code in i18n.LANGUAGES:
        i18n.language_for(code)  # gettext keeps each catalog it read
    nl.format_date(datetime.date(2000, 1, 1))
    nl.format_money(1)
    templating.TextRenderer().render("{{ x }}", {"x": 1}, Origin("<daemon>"))
    markup.has_table("| x |\n|---|")
    # What spreading a command's work over processes loads at its first use (ctypes for
    # the shared counter among them): about 15 ms of every check and build.
    import multiprocessing.connection
    import multiprocessing.popen_fork
    import multiprocessing.sharedctypes
    import multiprocessing.synchronize  # noqa: F401


def _listen(path: str) -> tuple[socket.socket, int]:
    """A listening socket at `path`, put in place in one step (a second daemon started at
    the same moment takes the name over; the first sees that and stops)."""
    import contextlib

    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    temporary = _temporary(path)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(temporary)
    listener.bind(temporary)
    listener.listen(16)
    inode = os.stat(temporary).st_ino
    os.replace(temporary, path)
    return listener, inode


def _remove_if_ours(path: str, inode: int) -> None:
    """Remove the socket file at `path` unless another daemon has taken the name."""
    try:
        if os.stat(path).st_ino == inode:
            os.unlink(path)
    except OSError:
        pass


class _Daemon:
    """The loop of the daemon: accept a command, fork a child for it, and send the
    child's exit status back when it ends."""

    def __init__(self, listener: socket.socket, inode: int, path: str, own_print: str,
                 idle_seconds: float) -> None:
        import time

        self.listener: socket.socket | None = listener
        self.path, self.own_print = path, own_print
        self.idle_seconds = idle_seconds
        self.clock = time.monotonic
        self.last_used = self.clock()
        self.commands = 0
        self.running: dict[int, socket.socket] = {}
        self.inode = inode  # of the socket file: the name is ours while it is this file

    def run(self) -> None:
        import select

        wake_read, wake_write = os.pipe()
        os.set_blocking(wake_read, False)
        os.set_blocking(wake_write, False)
        # A child that ends writes to the pipe, so the loop wakes and sends its status.
        signal.set_wakeup_fd(wake_write)
        signal.signal(signal.SIGCHLD, lambda signum, frame: None)
        signal.signal(signal.SIGTERM, lambda signum, frame: self.stop_listening())
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            while self.listener is not None or self.running:
                watched = [wake_read] + ([self.listener] if self.listener is not None else [])
                ready, _, _ = select.select(watched, [], [], _LOOK_EVERY)
                if wake_read in ready:
                    _drain(wake_read)
                self._reap()
                if self.listener is not None and self.listener in ready:
                    self._accept()
                if self.listener is not None and self._should_stop():
                    self.stop_listening()
        finally:
            signal.set_wakeup_fd(-1)

    def _should_stop(self) -> bool:
        if self.running:
            return False
        if self.clock() - self.last_used > self.idle_seconds:
            return True
        try:
            taken_over = os.stat(self.path).st_ino != self.inode
        except OSError:
            taken_over = True
        return taken_over or fingerprint() != self.own_print

    def stop_listening(self) -> None:
        if self.listener is not None:
            _remove_if_ours(self.path, self.inode)
            self.listener.close()
            self.listener = None

    def _accept(self) -> None:
        assert self.listener is not None
        try:
            connection, _ = self.listener.accept()
        except OSError:
            return
        # One client at a time is read: one that sends nothing must not hold up the rest.
        connection.settimeout(_LOOK_EVERY)
        request, descriptors = _receive(connection)
        if request is None:
            for fd in descriptors:
                os.close(fd)
            connection.close()
            return
        connection.settimeout(None)
        self.last_used = self.clock()
        if "run" in request and len(descriptors) == _STANDARD_STREAMS:
            self._fork(connection, request, descriptors)
            return
        for fd in descriptors:
            os.close(fd)
        about = self._about()
        if request.get("stop"):
            # No longer found before the answer: a command started after `stop` runs on
            # its own. Commands running now finish, and their status still goes back.
            self.stop_listening()
        _reply(connection, about)
        connection.close()

    def _about(self) -> dict[str, Any]:
        return {"pid": os.getpid(), "commands": self.commands, "running": len(self.running),
                "idle_minutes": self.idle_seconds / 60}

    def _fork(self, connection: socket.socket, request: dict[str, Any],
              descriptors: list[int]) -> None:
        pid = os.fork()
        if pid == 0:
            for held in (connection, self.listener, *self.running.values()):
                if held is not None:
                    held.close()
            _run_command(request, descriptors)
        for fd in descriptors:
            os.close(fd)
        self.commands += 1
        _reply(connection, {"pid": pid})
        self.running[pid] = connection  # reaped even when the client went away

    def _reap(self) -> None:
        while self.running:
            try:
                pid, wait_status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            connection = self.running.pop(pid, None)
            if connection is None:
                continue
            code = os.waitstatus_to_exitcode(wait_status)
            _reply(connection, {"status": code if code >= 0 else 128 - code})
            connection.close()
            self.last_used = self.clock()


def _drain(fd: int) -> None:
    try:
        while os.read(fd, 512):
            pass
    except BlockingIOError:
        pass


def _run_command(request: dict[str, Any], descriptors: list[int]) -> NoReturn:
    """In the forked child: become the command's process, run the command line, exit."""
    code = 1
    try:
        _become(request, descriptors)
        from ..cli import main

        code = main(request["run"])
    except SystemExit as exit_:
        code = _exit_code(exit_.code)
    except BaseException:  # printed as a new process would print it, then exit 1
        import traceback

        traceback.print_exc()
    finally:
        try:
            import atexit

            atexit._run_exitfuncs()
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def _become(request: dict[str, Any], descriptors: list[int]) -> None:
    """Take over what makes the command's process its own: signals, standard streams,
    folder, environment, umask and arguments."""
    import contextlib
    import locale
    import time

    for number in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.set_wakeup_fd(-1)
    for target, fd in enumerate(descriptors):
        os.dup2(fd, target)
        os.close(fd)
    forms = request["streams"]
    # The process's own streams, open until it exits.
    sys.stdin, sys.stdout, sys.stderr = (
        open(  # noqa: SIM115
            target, "r" if target == 0 else "w", buffering=1 if form["line_buffering"] else -1,
            encoding=form["encoding"], errors=form["errors"], closefd=False)
        for target, form in enumerate(forms))
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    time.tzset()
    with contextlib.suppress(locale.Error):  # a locale this system lacks: as at start-up
        locale.setlocale(locale.LC_CTYPE, "")
    os.umask(int(request["umask"]))
    sys.argv = [request["argv0"], *request["run"]]


def _exit_code(code: object) -> int:
    """The exit status `sys.exit(code)` gives a process."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1
