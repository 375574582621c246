"""What the apps above ``workgroups`` add to pages they do not own, without importing them.

An app registers a contributor in its ``AppConfig.ready()``:

* the group page merges what every group-page contributor returns into its template context
  (``observatoire`` adds the group's resources and their mini-map);
* the page of a shared item (a resource, a map) shows what every item-page contributor
  renders for it, through ``{% item_page_extras item %}`` (``pins`` adds « Accrocher à… »):
  so ``observatoire`` and ``layers`` never name the apps built on them;
* the site's home page shows what every home-page contributor renders, through
  ``{% home_page_extras %}`` (``actualites`` adds the latest news and the coming events);
* the feed keys page (``/profil/cles/``) gives, for a new key, the ready-to-paste addresses
  that every key-address contributor returns (``ogc`` for QGIS, ``tiles``, ``layers`` for uMap);
* the OGC API serves, beside the resources' collections, every feature collection an app
  contributes (``actors`` adds ``acteurs-experiences``): the app names its pygeoapi provider
  by dotted path, so ``ogc`` never imports it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.http import HttpRequest

    from .models import Group

GroupPageContributor = Callable[["HttpRequest", "Group"], dict[str, Any]]
#: ``(request, item) -> HTML``: the item is already known to be visible to the viewer.
ItemPageContributor = Callable[["HttpRequest", Any], str]
#: ``(request) -> HTML``: a block of the home page, drawn from what the viewer may see.
HomePageContributor = Callable[["HttpRequest"], str]
#: ``(request, key) -> [(label, absolute URL)]``: where a feed key is pasted, per client.
KeyAddresses = Callable[["HttpRequest", str], list[tuple[str, str]]]


@dataclass(frozen=True)
class FeatureCollection:
    """A collection of the OGC API that is not one of the resources' (``observatoire``).

    ``provider`` is the dotted path of a pygeoapi ``BaseProvider`` whose ``__init__`` takes
    ``(provider_def, user=None)`` and which offers ``field_defs`` (``observatoire.fields.Field``
    by name), ``query(…, raw=…)``, ``get(identifier, out_crs=…)`` and ``extent()``, all drawn
    from the ``visible_to(user)`` of its app."""

    id: str
    title: dict[str, str]
    description: dict[str, str]
    provider: str
    keywords: dict[str, list[str]] = field(default_factory=dict)

    def __hash__(self) -> int:
        return hash(self.id)


_group_page: list[GroupPageContributor] = []
_item_page: list[ItemPageContributor] = []
_home_page: list[HomePageContributor] = []
_key_addresses: list[KeyAddresses] = []
_feature_collections: dict[str, FeatureCollection] = {}


def contribute_to_group_page(contributor: GroupPageContributor) -> GroupPageContributor:
    """Register ``contributor(request, group) -> context`` for the group page (once)."""
    if contributor not in _group_page:
        _group_page.append(contributor)
    return contributor


def group_page_context(request: HttpRequest, group: Group) -> dict[str, Any]:
    context: dict[str, Any] = {}
    for contributor in _group_page:
        context.update(contributor(request, group))
    return context


def contribute_to_item_page(contributor: ItemPageContributor) -> ItemPageContributor:
    """Register ``contributor(request, item) -> html`` for the pages of shared items (once)."""
    if contributor not in _item_page:
        _item_page.append(contributor)
    return contributor


def item_page_extras(request: HttpRequest, item: Any) -> list[str]:
    """What the contributors render for ``item``, in registration order (empty parts left out)."""
    return [html for html in (contributor(request, item) for contributor in _item_page) if html]


def contribute_to_home_page(contributor: HomePageContributor) -> HomePageContributor:
    """Register ``contributor(request) -> html`` for the site's home page (once)."""
    if contributor not in _home_page:
        _home_page.append(contributor)
    return contributor


def home_page_extras(request: HttpRequest) -> list[str]:
    """What the home-page contributors render, in registration order (empty parts left out)."""
    return [html for html in (contributor(request) for contributor in _home_page) if html]


def contribute_key_addresses(contributor: KeyAddresses) -> KeyAddresses:
    """Register ``contributor(request, key) -> [(label, url)]`` for the feed keys page (once)."""
    if contributor not in _key_addresses:
        _key_addresses.append(contributor)
    return contributor


def key_addresses(request: HttpRequest, key: str) -> list[tuple[str, str]]:
    return [pair for contributor in _key_addresses for pair in contributor(request, key)]


def contribute_feature_collection(collection: FeatureCollection) -> FeatureCollection:
    """Declare (or replace) a feature collection of the OGC API."""
    _feature_collections[collection.id] = collection
    return collection


def feature_collections() -> dict[str, FeatureCollection]:
    """The contributed collections by id, in registration order."""
    return dict(_feature_collections)
