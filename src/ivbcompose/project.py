"""The project folder: where the shared part and the municipalities live.

A project is a folder with `shared/` (the basisteam YAML) and `municipalities/`
(one folder per municipality with a `municipality.yaml`). It is found from the
current directory upwards, like git finds its repository.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .i18n import tr
from .ids import ID_PATTERN

__all__ = ["MUNICIPALITY_FILE", "Project", "ProjectNotFound", "UnknownMunicipality", "find_project"]

MUNICIPALITY_FILE = "municipality.yaml"


class ProjectNotFound(Exception):
    """No folder with shared/ and municipalities/ here or above."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UnknownMunicipality(Exception):
    """A municipality id on the command line that the project does not have."""

    def __init__(self, name: str, known: list[str]) -> None:
        self.name = name
        self.known = known
        self.suggestion = next(iter(difflib.get_close_matches(name.lower(), known, n=1)), None)
        super().__init__(tr("unknown municipality '{name}'; known: {names}", name=name,
                            names=", ".join(known) or tr("none")))

    def __reduce__(self) -> tuple[type[UnknownMunicipality], tuple[str, list[str]]]:
        return (UnknownMunicipality, (self.name, self.known))  # from a worker process


@dataclass(frozen=True)
class Project:
    root: Path

    @property
    def shared_dir(self) -> Path:
        return self.root / "shared"

    @property
    def municipalities_dir(self) -> Path:
        return self.root / "municipalities"

    def shared_files(self) -> list[Path]:
        """The shared YAML files in name order (the order they are read in)."""
        files = [*self.shared_dir.glob("*.yaml"), *self.shared_dir.glob("*.yml")]
        return sorted(files, key=lambda path: path.name)

    def municipality_ids(self) -> list[str]:
        if not self.municipalities_dir.is_dir():
            return []
        return sorted(path.name for path in self.municipalities_dir.iterdir()
                      if (path / MUNICIPALITY_FILE).is_file() and ID_PATTERN.match(path.name))

    def folder_problems(self) -> list[tuple[Path, str, str]]:
        """Folders under municipalities/ that look meant as a municipality but are not one.

        Each as (path, what is wrong, what to do): a municipality must never
        silently drop out of `check` and `build --all`.
        """
        if not self.municipalities_dir.is_dir():
            return []
        found = []
        for folder in sorted(self.municipalities_dir.iterdir()):
            if not folder.is_dir() or folder.name.startswith("."):
                continue
            if not ID_PATTERN.match(folder.name):
                found.append((folder, tr("folder name '{name}' is not a municipality id",
                                         name=folder.name),
                              tr("use lower-case letters, digits and hyphens, without spaces, "
                                 "e.g. '{example}'", example=_slug(folder.name))))
            elif (folder / MUNICIPALITY_FILE).is_file():
                for other in sorted(folder.glob("*.y*ml")):
                    if other.name != MUNICIPALITY_FILE:
                        found.append((other, tr("{name} is never read: a municipality's "
                                                "changes belong in {file}", name=other.name,
                                                file=MUNICIPALITY_FILE),
                                      tr("move its content into {file}, or delete it",
                                         file=MUNICIPALITY_FILE)))
            elif not (folder / MUNICIPALITY_FILE).is_file():
                others = sorted(p.name for p in folder.iterdir() if p.suffix in (".yaml", ".yml"))
                hint = tr("rename {name} to {file}", name=others[0], file=MUNICIPALITY_FILE) \
                    if others else tr("add {file} with the municipality's identity and changes",
                                      file=MUNICIPALITY_FILE)
                found.append((folder, tr("no {file} in {folder}/", file=MUNICIPALITY_FILE,
                                         folder=folder.name), hint))
        return found

    def municipality_dir(self, municipality_id: str) -> Path:
        """The folder of a known municipality; never a path outside the project."""
        folder = self.municipalities_dir / municipality_id
        # One folder is looked at, not all of them: composing every member of a large
        # basisteam asks this once per member.
        if not (ID_PATTERN.match(municipality_id) and (folder / MUNICIPALITY_FILE).is_file()):
            raise UnknownMunicipality(municipality_id, self.municipality_ids())
        return folder

    def known_ids(self, municipality_ids: Iterable[str]) -> list[str]:
        """`municipality_ids` once each, in order: UnknownMunicipality for the first one the
        project does not have, so a command fails on a wrong name before any work."""
        ids = list(dict.fromkeys(municipality_ids))
        for municipality_id in ids:
            self.municipality_dir(municipality_id)
        return ids

    def municipality_file(self, municipality_id: str) -> Path:
        return self.municipality_dir(municipality_id) / MUNICIPALITY_FILE

    def display(self, path: Path) -> str:
        """A path as users see it in messages: relative to the project, with '/'."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)


def find_project(start: Path | None = None, explicit: Path | None = None) -> Project:
    """The project at `explicit`, or the nearest folder from `start` upwards that is one."""
    if explicit is not None:
        if _is_project(explicit):
            return Project(explicit.resolve())
        raise ProjectNotFound(tr("{folder} is not an ivbcompose project (it needs the folders "
                                 "shared/ and municipalities/)", folder=str(explicit)),
                              tr("give --project the folder that holds shared/ and "
                                 "municipalities/"))
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if _is_project(folder):
            return Project(folder)
    raise ProjectNotFound(tr("no ivbcompose project in {folder} or above (a folder with "
                             "shared/ and municipalities/); use --project DIR", folder=str(here)),
                          tr("run the command in the project's folder, or name that folder "
                             "with --project"))


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.strip().lower()).strip("-") or "gemeente"


def _is_project(folder: Path) -> bool:
    return (folder / "shared").is_dir() and (folder / "municipalities").is_dir()
