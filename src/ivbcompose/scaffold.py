"""`ivbcompose new`: the folder and file of a municipality that joins the basisteam.

The new file holds the municipality's identity and an empty list of changes,
with comments that show a policy advisor where to go next; its document
builds at once from the shared part. Nothing is written unless every value
is right, and an existing municipality is never touched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from .i18n import Message, tr
from .model import ID_PATTERN
from .project import Project

__all__ = ["InvalidNewMunicipality", "NewMunicipality", "joined", "municipality_yaml",
           "problems_of"]

_CBS_CODE = re.compile(r"^GM\d{4}$")


class InvalidNewMunicipality(ValueError):
    """The values given for a new municipality cannot make one (a usage error)."""


@dataclass(frozen=True)
class NewMunicipality:
    """What `ivbcompose new` is told about a municipality."""

    id: str
    name: str
    cbs_code: str
    inhabitants: int
    inhabitants_year: int


def problems_of(project: Project, new: NewMunicipality) -> list[Message]:
    """Why `new` cannot become a municipality of `project` ([] when it can)."""
    problems = []
    if not ID_PATTERN.match(new.id):
        problems.append(tr("'{id}' is not a valid folder name for a municipality: use "
                           "lower-case letters, digits and hyphens, e.g. 'nieuwe-gemeente'",
                           id=new.id))
    elif (project.municipalities_dir / new.id).exists():
        problems.append(tr("municipality '{id}' already exists ({folder})", id=new.id,
                           folder=project.display(project.municipalities_dir / new.id)))
    if not new.name.strip():
        problems.append(tr("--name must not be empty"))
    if not _CBS_CODE.match(new.cbs_code):
        problems.append(tr("'{code}' is not a CBS municipality code: write GM and four "
                           "digits, e.g. GM0123", code=new.cbs_code))
    if new.inhabitants <= 0:
        problems.append(tr("--inhabitants must be a positive whole number"))
    if not 1900 <= new.inhabitants_year <= 2100:
        problems.append(tr("--inhabitants-year {year} is not a year",
                           year=new.inhabitants_year))
    return problems


def joined(problems: list[Message]) -> Message:
    """The problems as one message, separated by '; ' (each part still translatable)."""
    message = problems[0]
    for problem in problems[1:]:
        message = tr("{first}; {then}", first=message, then=problem)
    return message


def _scalar(value: str | int) -> str:
    """A value as YAML writes it (quoted when it must be)."""
    return yaml.safe_dump(value, allow_unicode=True, default_flow_style=True).removesuffix(
        "\n...\n").strip()


def municipality_yaml(new: NewMunicipality) -> str:
    """The text of the new municipality's file."""
    return f"""\
# {new.name}: identity and couleur locale. The document follows the shared
# part as it is; add local differences under `changes:` (see the README,
# "The couleur locale: change operations").
municipality:
  name: {_scalar(new.name)}
  cbs_code: {new.cbs_code}
  inhabitants: {new.inhabitants}
  inhabitants_year: {new.inhabitants_year}

# What differs from the shared document metadata, for example:
#   document:
#     period: {{start: 2025, end: 2028}}
#     status: concept
document: {{}}

# Local changes, applied in order, for example:
#   - add: {{id: eigen-onderwerp, title: Eigen onderwerp, body: "..."}}
#     to: <the id of the list of local topics in the shared part>
#     reason: Waarom dit onderwerp hier speelt.
changes: []
"""
