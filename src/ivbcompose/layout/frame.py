"""The frame around the chapters: document properties, title page, header and footer."""

from __future__ import annotations

from .. import nl
from ..document import Image, Metadata, TitlePage
from ..model import DocumentMeta, Ivb

__all__ = ["footer", "metadata", "status_banner", "title_page"]


def metadata(ivb: Ivb) -> Metadata:
    meta, municipality = ivb.document, ivb.municipality
    return Metadata(
        title=f"{meta.full_title} gemeente {municipality.name}",
        subject=f"{meta.kind} van de gemeente {municipality.name}, "
                f"{'jaar' if meta.year is not None else 'periode'} {meta.period_text}",
        author=f"Gemeente {municipality.name}",
        keywords=("integrale veiligheid", "openbare orde en veiligheid", municipality.name,
                  ivb.basisteam.name),
        status=nl.STATUS_LABEL[meta.status],
        version=meta.version,
    )


def status_banner(meta: DocumentMeta) -> str | None:
    """What every page header says of a document that is not adopted yet ("CONCEPT")."""
    return meta.status.upper() if meta.status != "vastgesteld" else None


def footer(ivb: Ivb) -> str:
    return f"{ivb.document.full_title} · Gemeente {ivb.municipality.name}"


def title_page(ivb: Ivb, logo_path: str | None) -> TitlePage:
    meta, municipality = ivb.document, ivb.municipality
    adoption = None
    if meta.adopted_on is not None:
        adoption = (f"Vastgesteld door {nl.ADOPTING_BODY[meta.adopted_by]} op "
                    f"{nl.format_date(meta.adopted_on)}")
    logo = None
    if logo_path is not None:
        alt = municipality.logo_alt or f"Logo van de gemeente {municipality.name}"
        logo = Image(logo_path, alt)
    return TitlePage(
        organisation=f"Gemeente {municipality.name}",
        title=meta.title or meta.kind,
        subtitle=meta.subtitle,
        # A yearly document says which policy it carries out; its title has the year.
        period=str(meta.period) if meta.year is None else
        f"Bij het {meta.kind} {meta.period}",
        status=nl.STATUS_LABEL[meta.status],
        version=meta.version,
        date=nl.format_date(meta.date),
        adoption=adoption,
        logo=logo,
        prepared_by=_team(meta.department),
    )


def _team(department: str | None) -> str | None:
    if not department:
        return None
    return department if department.lower().startswith("team ") else f"Team {department}"
