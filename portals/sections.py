"""The sections of a portal, and how other apps add theirs.

A section is a key, a label and a function ``(request, group) -> context`` rendered by a
template. ``portals`` declares the sections it draws itself (observatoire, médiathèque,
activité, cartes); an app above or beside it (``actualites`` for « actualités » and
« agenda ») registers its own in its ``AppConfig.ready()`` with :func:`register`. A section
named by the contract but with no provider yet is listed as « bientôt » and never linked.

A *home block* is drawn on the portal's home page of every family but is not a rubrique of
its navigation (``pins`` adds « Accrochés » with :func:`register_home_block`). A *map layer*
is drawn on the portal's map above the group's observatoire (``actualites`` adds the coming
events that have a place with :func:`register_map_layer`).
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
#: ``(request, group) -> layer``: a layer of the viewer's configuration (``layers/carte.js``),
#: its source a ``geojson`` one with inline ``data``; None when it has nothing to draw.
MapLayer = Callable[["HttpRequest", "Group"], dict[str, Any] | None]

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


_home_blocks: dict[str, Section] = {}


def register_home_block(block: Section) -> Section:
    """Declare (or replace) a block of every portal's home page that is not a section."""
    if block.key in KNOWN:
        raise ValueError(f"{block.key!r} is a section: register() it")
    _home_blocks[block.key] = block
    return block


def home_blocks() -> list[Section]:
    """The home blocks, in registration order."""
    return list(_home_blocks.values())


_map_layers: list[MapLayer] = []


def register_map_layer(provider: MapLayer) -> MapLayer:
    """Add a layer to every portal's map (once)."""
    if provider not in _map_layers:
        _map_layers.append(provider)
    return provider


def map_layers(request: HttpRequest, group: Group) -> list[dict[str, Any]]:
    """The layers the registered providers draw for ``request``'s visitor."""
    return [layer for layer in (provider(request, group) for provider in _map_layers) if layer]
