"""Writing output files so that a reader sees the old version or the new one, never half.

Every file goes to a temporary file beside it (same file system, so the
final rename is atomic) and is flushed to disk before it replaces the target.
`write_all_atomically` stages every file of a build first and only then moves
them all into place: a failure while writing (a full disk, a folder where a
file should be) leaves every earlier output as it was.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

__all__ = ["write_all_atomically", "write_atomically"]


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path`; on any failure an existing file at `path` is left as it was.

    Missing parent directories are created.
    """
    write_all_atomically([(Path(path), data)])


def write_all_atomically(files: Iterable[tuple[Path, bytes]]) -> None:
    """Write several files, all or none: each is staged before any replaces its target.

    `files` may be made while they are written (a build stages each document as it is
    made): when making them raises, nothing is written either, and the folders made
    for them are removed again.
    """
    staged: list[tuple[Path, str]] = []
    made: list[Path] = []
    try:
        for path, data in files:
            _stage(Path(path), data, staged, made)
        for path, temp_name in staged:
            try:
                os.replace(temp_name, path)
            except OSError as error:
                raise _named(error, path) from error
    except BaseException:
        for _, temp_name in staged:
            with contextlib.suppress(OSError):
                os.unlink(temp_name)
        for folder in reversed(made):  # the deepest, made last, first
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
    for folder in {path.parent for path, _ in staged}:
        _sync_directory(folder)


def _stage(path: Path, data: bytes, staged: list[tuple[Path, str]], made: list[Path]) -> None:
    """Write `data` to a flushed temporary file beside `path`, named in `staged` from the
    moment it exists (a signal between its creation and its listing would leave it behind);
    the folders it needed that were not there are added to `made`.

    What would make the final rename fail (a folder in the file's place) is
    found here, before any file of the build has been replaced.
    """
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    try:
        missing = [folder for folder in (path.parent, *path.parent.parents)
                   if not folder.exists()]
        for folder in reversed(missing):
            folder.mkdir(exist_ok=True)
            made.append(folder)
        fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp",
                                         dir=path.parent)
        staged.append((path, temp_name))
    except OSError as error:
        raise _named(error, path) from error
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        _keep_mode(path, temp_name)
    except BaseException as error:
        if isinstance(error, OSError):
            raise _named(error, path) from error
        raise  # the caller removes every staged file, this one included


def _named(error: OSError, path: Path) -> OSError:
    """The same error naming the file the user asked for, not our temporary one."""
    if error.errno is None:
        return error
    return OSError(error.errno, error.strerror, str(path))


def _keep_mode(path: Path, temp_name: str) -> None:
    """Give the new file the usual permissions: mkstemp creates it private (0600)."""
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = 0o644
    os.chmod(temp_name, mode)


def _sync_directory(directory: Path) -> None:
    """Make the renames themselves durable; not possible (nor needed) on every platform."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
