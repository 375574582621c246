"""What the home page shows of the platform, for one viewer: every list bounded, every row
from ``visible_to(viewer)``, counts capped (:mod:`workgroups.pagination`)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.contrib.gis.db.models.functions import AsGeoJSON, PointOnSurface
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.urls import reverse

from layers.models import Map
from observatoire.kinds import Base
from observatoire.models import Resource
from workgroups.models import Group
from workgroups.pagination import COUNT_CAP, CappedPaginator

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from workgroups.models import User

#: Cards of the newest resources.
LATEST_CARDS = 12
#: Points on the home map (the newest resources that have a place).
MAP_POINTS = 200
#: Groups shown per family (the directory lists them all).
GROUPS_PER_FAMILY = 8
#: Maps shown (the map list pages them all).
MAPS_SHOWN = 6


def latest_resources(viewer: User | AnonymousUser | None) -> list[Resource]:
    return list(
        Resource.objects.visible_to(viewer)
        .select_related("group")
        .only("title", "summary", "base", "kind", "created_at", "group__name", "group__slug")
        .order_by("-created_at", "-id")[:LATEST_CARDS]
    )


def map_points(viewer: User | AnonymousUser | None) -> dict[str, Any]:
    """The newest resources with a place, as GeoJSON points written by PostGIS."""
    rows = (
        Resource.objects.visible_to(viewer)
        .filter(geom__isnull=False)
        .order_by("-created_at", "-id")
        .annotate(point=AsGeoJSON(PointOnSurface("geom"), precision=5))
        .values_list("pk", "title", "point")[:MAP_POINTS]
    )
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": json.loads(point), "properties": {"id": pk, "t": t}}
            for pk, t, point in rows
        ],
    }


def group_url(group: Group) -> str:
    """The group's portal when the portals app is installed, else its group page."""
    if apps.is_installed("portals"):
        return f"/portails/{group.slug}/"
    return reverse("workgroups:group", args=[group.slug])


def groups_by_family() -> list[dict[str, Any]]:
    """Per family, its first groups by name (group names are public, as in the directory)."""
    ranked = (
        Group.objects.annotate(
            rank=Window(RowNumber(), partition_by=F("family"), order_by=[F("name"), F("pk")])
        )
        .filter(rank__lte=GROUPS_PER_FAMILY)
        .only("name", "slug", "family")
        .order_by("family", "name", "pk")
    )
    by_family: dict[str, list[Group]] = {}
    for group in ranked:
        group.url = group_url(group)
        by_family.setdefault(group.family, []).append(group)
    return [
        {"value": value, "label": label, "groups": by_family.get(value, [])}
        for value, label in Group.Family.choices
        if by_family.get(value)
    ]


def public_maps(viewer: User | AnonymousUser | None) -> list[Map]:
    return list(
        Map.objects.visible_to(viewer)
        .select_related("group")
        .only("title", "slug", "description", "group__name")
        .order_by("-updated_at", "-id")[:MAPS_SHOWN]
    )


def counts_per_base(viewer: User | AnonymousUser | None) -> list[dict[str, Any]]:
    """How many resources of each base ``viewer`` sees, capped at ``COUNT_CAP``."""
    visible = Resource.objects.visible_to(viewer)
    out = []
    for value, label in Base.choices:
        counter = CappedPaginator(visible.filter(base=value), 1, COUNT_CAP)
        out.append(
            {"value": value, "label": label, "count": counter.count, "capped": counter.capped}
        )
    return out


def home(viewer: User | AnonymousUser | None) -> dict[str, Any]:
    return {
        "latest": latest_resources(viewer),
        "features": map_points(viewer),
        "families": groups_by_family(),
        "maps": public_maps(viewer),
        "counts": counts_per_base(viewer),
        "portals_installed": apps.is_installed("portals"),
    }
