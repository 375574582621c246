"""The sections ``portals`` draws itself, each a function ``(request, group) -> context``
registered in :mod:`portals.sections`: observatoire (the map of the layers' viewer and its
list alternative), médiathèque (cards), activité, cartes (the group's maps). Every row comes
from ``visible_to(request.user)``; every list is paginated."""

from __future__ import annotations

import math
from typing import Any

from django.contrib.gis.db.models import Extent
from django.db.models import Count, Prefetch
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from basemaps.services import maplibre_style
from layers.models import Layer, Map
from layers.services import LIST_PAGE, layer_config, list_records, list_rows
from observatoire.kinds import KINDS_OF_BASE, Base, Kind
from observatoire.models import Attachment
from workgroups.models import Group, Membership
from workgroups.pagination import paginate
from workgroups.permissions import can
from workgroups.roles import Capability

from .palette import DEFAULT
from .sections import Section, map_layers, register
from .services import visible_resources

CARDS_PAGE = 24


def _map_config(request: HttpRequest, group: Group, colour: str) -> dict[str, Any]:
    """The layers viewer's configuration: the group's Observatoire, drawn from the vector
    tiles (or the GeoJSON export) filtered on the group — the channels apply ``visible_to``
    of the viewer themselves — then the layers other apps add (the agenda's events)."""
    layer = Layer(
        name=str(Base.OBSERVATOIRE.label),
        base=Base.OBSERVATOIRE,
        groups=[group.slug],
        style=Layer.Style.MARKERS,
        color=colour,
    )
    box = (
        visible_resources(request.user, group)
        .filter(base=Base.OBSERVATOIRE, geom__isnull=False)
        .aggregate(box=Extent("geom"))["box"]
    )
    center, zoom = [2.5, 46.6], 5
    if box:
        center = [(box[0] + box[2]) / 2, (box[1] + box[3]) / 2]
        zoom = _zoom_for(max(box[2] - box[0], box[3] - box[1], 0.01))
    return {
        "center": center,
        "zoom": zoom,
        "bounds": list(box) if box else None,
        "style": maplibre_style(None),
        "layers": [
            layer_config(layer, layer_id="couche-portail"),
            *map_layers(request, group),
        ],
    }


def _zoom_for(span: float) -> float:
    """A zoom that holds ``span`` degrees in a map about 800 px wide."""
    return max(2.0, min(13.0, math.log2(360 * 800 / 256 / span) - 0.3))


def observatoire(request: HttpRequest, group: Group) -> dict[str, Any]:
    located = visible_resources(request.user, group).filter(
        base=Base.OBSERVATOIRE, geom__isnull=False
    )
    pages = paginate(request, list_records(located), per_page=LIST_PAGE)
    return {
        "config": _map_config(request, group, getattr(request, "portal_accent", DEFAULT)),
        "pages": pages,
        "rows": list_rows(pages.rows),
        "carte": {"title": group.name},
    }


def _cards(request: HttpRequest, group: Group, base: str) -> dict[str, Any]:
    kinds = KINDS_OF_BASE[base]
    chosen = request.GET.get("type", "")
    rows = visible_resources(request.user, group).filter(base=base)
    facets = [
        {"value": k, "label": Kind(k).label, "count": n, "current": k == chosen}
        for k, n in rows.order_by().values_list("kind").annotate(n=Count("id")).order_by("kind")
        if k in kinds
    ]
    if chosen in kinds:
        rows = rows.filter(kind=chosen)
    photos = Attachment.objects.filter(category=Attachment.Category.PHOTO).order_by("id")
    rows = (
        rows.only("title", "kind", "summary", "date_start", "group_id")
        .prefetch_related(Prefetch("attachments", queryset=photos, to_attr="photos"))
        .order_by("-created_at", "-id")
    )
    return {"cards": paginate(request, rows, per_page=CARDS_PAGE), "facets": facets, "type": chosen}


def mediatheque(request: HttpRequest, group: Group) -> dict[str, Any]:
    return _cards(request, group, Base.MEDIATHEQUE)


def activite(request: HttpRequest, group: Group) -> dict[str, Any]:
    return _cards(request, group, Base.ACTIVITE)


def cartes(request: HttpRequest, group: Group) -> dict[str, Any]:
    maps = Map.objects.visible_to(request.user).filter(group=group).order_by("title", "id")
    return {"maps": paginate(request, maps, param="cartes")}


def members(request: HttpRequest, group: Group) -> dict[str, Any]:
    """Acteur family: who takes part. Names only for those who see the group's resources."""
    active = group.memberships.filter(state=Membership.State.ACTIVE)
    context: dict[str, Any] = {"members_count": active.count()}
    if can(request.user, group, Capability.VIEW):
        context["members"] = paginate(
            request, active.select_related("user").order_by("user__username", "id"), param="membres"
        )
    return context


register(
    Section("observatoire", Base.OBSERVATOIRE.label, "portals/_observatoire.html", observatoire)
)
register(Section("mediatheque", Base.MEDIATHEQUE.label, "portals/_cards.html", mediatheque))
register(Section("activite", Base.ACTIVITE.label, "portals/_cards.html", activite))
register(Section("cartes", _("Cartes"), "portals/_cartes.html", cartes))


def group_page_link(request: HttpRequest, group: Group) -> dict[str, Any]:
    """The group page (``/groupes/<slug>/``) links to the group's portal."""
    return {"portal_url": reverse("portals:home", args=[group.slug])}
