"""The earlier version of a project: a folder as it is, or a git revision read into one.

A revision is read from the git repository the project is in, with `git
archive` of the project's own `shared/` and `municipalities/` into a temporary
folder, so the working tree is never touched and uncommitted edits stay where
they are. The earlier version is then composed and laid out by this same code,
so two versions differ only in what their YAML says.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import IvbError, WrongArgument
from ..i18n import tr
from ..project import Project, UnknownMunicipality
from ..provenance import Origin

__all__ = ["AgainstError", "Earlier", "check_against", "earlier_project", "relabelled"]

_PROJECT_PARTS = ("shared", "municipalities")
_GIT_TIMEOUT = 120


class AgainstError(WrongArgument):
    """The earlier version named by `--against` cannot be found or read: a revision or
    folder that is not there, a mistake on the command line, not in the YAML."""


@dataclass(frozen=True)
class Earlier:
    """The earlier version as a project, and how messages name it.

    `label` is the revision as given ("v0.9") or the folder; `prefix` goes before
    each file name in its problems: "v0.9:" as git writes a file of a
    revision, or the folder's path, so a problem never names a file of today.
    """

    project: Project
    label: str
    prefix: str


@dataclass(frozen=True)
class _Revision:
    """A commit of the repository at `top`, whose project is in the folder `prefix`."""

    top: Path
    commit: str
    prefix: str


def check_against(project: Project, against: str, cwd: Path | None = None) -> None:
    """Raise AgainstError unless `against` names an earlier version: a build checks this
    before its work, not after it. Reads nothing but git's directory of the revision."""
    _locate(project, against, cwd)


@contextlib.contextmanager
def earlier_project(project: Project, against: str,
                    cwd: Path | None = None) -> Iterator[Earlier]:
    """The earlier version `against` names: a folder (relative to `cwd`) when there is one,
    else a git revision of the repository `project` is in, read into a temporary folder
    that is removed on leaving."""
    found = _locate(project, against, cwd)
    if isinstance(found, Path):
        yield Earlier(Project(found), against, str(found) + "/")
        return
    with tempfile.TemporaryDirectory(prefix="ivbcompose-against-") as work:
        root = Path(work) / "project"
        root.mkdir()
        _extract(found, against, root)
        yield Earlier(Project(root), against, f"{against}:{found.prefix}")


def _locate(project: Project, against: str, cwd: Path | None) -> Path | _Revision:
    """The earlier project's folder, or the revision that holds it."""
    folder = (cwd or Path.cwd()) / against
    if against and folder.exists():
        if not folder.is_dir() or not all((folder / part).is_dir() for part in _PROJECT_PARTS):
            raise AgainstError(
                tr("{folder} is not an ivbcompose project (it needs the folders shared/ and "
                   "municipalities/)", folder=against),
                tr("give --against the folder of the earlier version's project, or a git "
                   "revision such as a tag"))
        return folder.resolve()
    revision = _revision(project, against)
    listed = _git(revision.top, "ls-tree", "--name-only", revision.commit, "--",
                  *(f"{revision.prefix}{part}" for part in _PROJECT_PARTS))
    names = {line.rsplit("/", 1)[-1] for line in listed.stdout.decode().splitlines()}
    if listed.returncode != 0 or not set(_PROJECT_PARTS) <= names:
        raise AgainstError(
            tr("revision '{revision}' holds no ivbcompose project in {folder} (it needs the "
               "folders shared/ and municipalities/)", revision=against,
               folder=revision.prefix or "./"),
            tr("compare with a revision made after the project was added to git"))
    return revision


def relabelled(error: IvbError, earlier: Earlier) -> IvbError:
    """The problems of the earlier version, each naming the file of that version."""
    return IvbError(replace(problem, origin=_origin(problem.origin, earlier))
                    for problem in error.problems)


def unknown_municipality(error: UnknownMunicipality, earlier: Earlier) -> AgainstError:
    """The municipality is not in the earlier version: nothing to compare with."""
    return AgainstError(
        tr("municipality '{name}' does not exist in {version}", name=error.name,
           version=earlier.label),
        tr("compare with a version that has the municipality; without --against the "
           "document is built as usual"))


def _origin(origin: Origin, earlier: Earlier) -> Origin:
    return replace(origin, file=earlier.prefix + origin.file)


def _git(folder: Path, *arguments: str) -> subprocess.CompletedProcess[bytes]:
    git = shutil.which("git")
    if git is None:
        raise AgainstError(tr("git is not installed, so --against cannot read a revision"),
                           tr("install git, or give --against a folder with the earlier "
                              "version"))
    try:
        return subprocess.run([git, "-C", str(folder), *arguments], capture_output=True,
                              stdin=subprocess.DEVNULL, timeout=_GIT_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise AgainstError(tr("git could not be run: {reason}", reason=str(error)),
                           tr("give --against a folder with the earlier version")) from None


def _revision(project: Project, against: str) -> _Revision:
    """The commit `against` names, in the repository the project is in."""
    inside = _git(project.root, "rev-parse", "--show-toplevel", "--show-prefix")
    if inside.returncode != 0:
        raise AgainstError(
            tr("{folder} is not in a git repository, so there is no revision '{revision}' "
               "to compare with", folder=str(project.root), revision=against),
            tr("give --against a folder with the earlier version, or keep the project in git"))
    # A leading "-" would be read as an option of git, not as a revision.
    found = _git(project.root, "rev-parse", "--verify", "--quiet", f"{against}^{{commit}}") \
        if against and not against.startswith("-") else None
    if found is None or found.returncode != 0:
        raise AgainstError(
            tr("there is no revision or folder '{revision}' to compare with", revision=against),
            tr("give a tag, branch or commit of the project's git repository ('git log "
               "--oneline' lists them), or the folder of the earlier version"))
    # Git runs at the repository's top from here on, so paths are the same for every command.
    top, prefix = [*inside.stdout.decode().splitlines(), ""][:2]
    return _Revision(Path(top), found.stdout.decode().strip(), prefix.strip())


def _extract(revision: _Revision, against: str, root: Path) -> None:
    prefix = revision.prefix
    archive = _git(revision.top, "archive", "--format=tar", revision.commit, "--",
                   *(f"{prefix}{part}" for part in _PROJECT_PARTS))
    if archive.returncode != 0:
        raise AgainstError(
            tr("git could not read revision '{revision}': {reason}", revision=against,
               reason=archive.stderr.decode(errors="replace").strip()),
            tr("check the revision with 'git show {revision} --stat'", revision=against))
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        members = []
        for member in tar.getmembers():
            if not member.name.startswith(prefix):
                continue
            member.name = member.name[len(prefix):]
            members.append(member)
        # The "data" filter refuses links out of the folder and absolute names.
        tar.extractall(root, members=members, filter="data")
