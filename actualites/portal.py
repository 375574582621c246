"""The portal's « Actualités » and « Agenda » blocks (:mod:`portals.sections`): the newest news
and the coming events the visitor may see, and those events that have a place as a layer of
the portal's map. Their whole lists, forms and feeds are this app's pages under the same
``/portails/<slug>/…`` paths."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portals.sections import Section, register, register_map_layer
from workgroups.models import Group

from .models import Event, NewsItem

#: Items a portal block shows; the section's own page paginates the rest.
BLOCK = 5
#: Coming events drawn on a portal's map, inline in the page (the agenda lists them all).
MAP_EVENTS = 200
#: The events' markers: a dark plum that no kind of the observatoire uses (contrast 8:1 on white).
EVENT_COLOUR = "#6a1b4d"


def news_block(request: HttpRequest, group: Group) -> dict[str, Any]:
    news = NewsItem.objects.visible_to(request.user).filter(group=group)
    return {"news": list(news.order_by("-published_at", "-id")[:BLOCK])}


def agenda_block(request: HttpRequest, group: Group) -> dict[str, Any]:
    return {"events": list(coming(request, group).order_by("start", "id")[:BLOCK])}


def coming(request: HttpRequest, group: Group):
    return Event.objects.visible_to(request.user).filter(group=group, end__gte=timezone.now())


def agenda_layer(request: HttpRequest, group: Group) -> dict[str, Any] | None:
    """The coming events with a place, as an inline GeoJSON layer of the portal's map."""
    events = coming(request, group).filter(place__isnull=False).order_by("start", "id")
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [event.place.x, event.place.y]},
            "properties": {
                "id": event.pk,
                "title": f"{event.title} ({event.start:%d/%m/%Y})",
                "url": reverse("actualites:event-detail", args=[group.slug, event.pk]),
            },
        }
        for event in events.only("title", "start", "place")[:MAP_EVENTS]
    ]
    if not features:
        return None
    return {
        "id": "couche-agenda",
        "name": str(_("Agenda")),
        "style": "markers",
        "color": EVENT_COLOUR,
        "legend": [{"label": str(_("Manifestation à venir")), "color": EVENT_COLOUR, "value": ""}],
        "category": "kind",
        "source": {
            "type": "geojson",
            "data": {"type": "FeatureCollection", "features": features},
            "props": {"title": "title", "kind": "kind", "id": "id", "url": "url", "count": "n"},
        },
    }


def register_sections() -> None:
    register(Section("actualites", _("Actualités"), "actualites/_portal_news.html", news_block))
    register(Section("agenda", _("Agenda"), "actualites/_portal_agenda.html", agenda_block))
    register_map_layer(agenda_layer)
