"""Two versions of the fixture project, for the renvooi tests: as folders and in git.

`revise` turns a copy of the fixture project into its "version 1.0": words
changed inside a paragraph, a heading and a table cell, a paragraph added and
one deleted, a table row deleted, a list item added and a chapter added. The
tests name these edits; they hold for the frozen fixture, not the live example.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from ivbcompose.build import document_for, load_all
from ivbcompose.compose import Composition, compose
from ivbcompose.document import Document
from ivbcompose.project import Project

from ..conftest import FIXTURE, copy_project, edit

NEW_PARAGRAPH = "Een geheel nieuwe alinea over de evaluatie van het beleid."
DELETED_PARAGRAPH = "Dronten schrijft dit beleid samen met de andere gemeenten"
NEW_CHAPTER = "Evaluatie halverwege"


def revise(project: Project) -> None:
    """Make the fixture project's Dronten "version 1.0" (it is 0.9)."""
    dronten = project.municipality_file("dronten")
    edit(dronten, 'version: "0.9"', 'version: "1.0"')
    edit(dronten, "extra geld voor vrijgemaakt, en dat heeft geholpen",
         "veel extra geld voor vrijgemaakt, en dat heeft zeker geholpen")
    edit(dronten, "      levert die in het eerste kwartaal van 2020.\n",
         f"      levert die in het tweede kwartaal van 2020.\n\n      {NEW_PARAGRAPH}\n")
    edit(dronten, """
      Dronten schrijft dit beleid samen met de andere gemeenten die onder
      hetzelfde politiebasisteam vallen. Het gezamenlijke deel geldt voor alle
      gemeenten van het basisteam; elke gemeente vult het aan met eigen
      onderwerpen, de *couleur locale*.
""", "")
    with dronten.open("a", encoding="utf-8") as file:
        file.write(f"""
  - add: {{id: evaluatie-halverwege, title: {NEW_CHAPTER},
          body: "Halverwege de periode evalueert de raad het beleid."}}
    to: chapters
    reason: Dronten evalueert het beleid halverwege.
""")
    shared = project.shared_dir
    edit(shared / "10-inleiding.yaml", "title: Doel van dit document",
         "title: Doel en opzet van dit document")
    edit(shared / "20-proces.yaml", "action: Commissievergadering over de startnotitie",
         "action: Raadscommissie bespreekt de startnotitie")
    edit(shared / "20-proces.yaml", """              - id: planning-analyse
                when: Q4 2019
                action: Analyse van het huidige veiligheidsbeleid
                responsible: [OOV]
""", "")
    edit(shared / "30-betrokkenen.yaml",
         "          - {id: veiligheidsregio, name: Veiligheidsregio Flevoland}\n",
         "          - {id: veiligheidsregio, name: Veiligheidsregio Flevoland}\n"
         "          - {id: reclassering, name: Reclassering Nederland}\n")


def two_folders(tmp_path: Path) -> tuple[Project, Project]:
    """The fixture project as it is ("old") and revised ("new")."""
    old = copy_project(FIXTURE, tmp_path / "old")
    new = copy_project(FIXTURE, tmp_path / "new")
    revise(new)
    return old, new


def git(root: Path, *arguments: str) -> str:
    environment = {**os.environ, "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.org",
                   "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "t@example.org",
                   "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    return subprocess.run(["git", "-C", str(root), *arguments], check=True, env=environment,
                          capture_output=True, text=True).stdout


def git_project(tmp_path: Path, subfolder: str = "") -> Project:
    """A git repository with the fixture project (in `subfolder`), committed and tagged v0.9,
    then revised and committed again."""
    repository = tmp_path / "repo"
    root = repository / subfolder if subfolder else repository
    root.parent.mkdir(parents=True, exist_ok=True)
    project = copy_project(FIXTURE, root)
    git(repository, "init", "-q", "-b", "main")
    git(repository, "add", "-A")
    git(repository, "commit", "-q", "-m", "versie 0.9")
    git(repository, "tag", "v0.9")
    revise(project)
    git(repository, "commit", "-q", "-a", "-m", "versie 1.0")
    return project


def composed(project: Project, municipality: str = "dronten") -> tuple[Composition, Document]:
    """A municipality's composition and document, as the build makes them."""
    loaded, problems = load_all(project)
    assert loaded is not None, problems
    composition = compose(project, municipality, loaded.shared, loaded.members, None, None,
                          loaded.figures, loaded.texts)
    return composition, document_for(project, composition)
