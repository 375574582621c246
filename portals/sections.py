"""The sections of a portal, and how other apps add theirs.

A section is a key, a label and a function ``(request, group) -> context`` rendered by a
template. ``portals`` declares the sections it draws itself (observatoire, médiathèque,
activité, cartes); an app above or beside it (``actualites`` for « actualités » and
« agenda ») registers its own in its ``AppConfig.ready()`` with :func:`register`. A section
named by the contract but with no provider yet is listed as « bientôt » and never linked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.http import HttpRequest

    from workgroups.models import Group

SectionContext = Callable[["HttpRequest", "Group"], dict[str, Any]]

#: Every section of the contract, in the order of the portal's navigation.
KNOWN: dict[str, str] = {
    "observatoire": _("Observatoire"),
    "mediatheque": _("Médiathèque"),
    "activite": _("Activité"),
    "cartes": _("Cartes"),
    "actualites": _("Actualités"),
    "agenda": _("Agenda"),
    "publications": _("Publications"),
}


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    template: str
    context: SectionContext
    #: a short block for the portal's home page (first page of the section), or None
    teaser: SectionContext | None = None


_registry: dict[str, Section] = {}


def register(section: Section) -> Section:
    """Declare (or replace) the provider of a section named in :data:`KNOWN`."""
    if section.key not in KNOWN:
        raise ValueError(f"unknown portal section {section.key!r}")
    _registry[section.key] = section
    return section


def provided(key: str) -> Section | None:
    return _registry.get(key)


def available() -> list[str]:
    """Keys of the sections that have a provider, in navigation order."""
    return [key for key in KNOWN if key in _registry]
