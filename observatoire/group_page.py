"""The group page's resources (``/groupes/<slug>/``), contributed to ``workgroups`` through
:mod:`workgroups.hooks`: the newest visible resources, paginated, and a mini-map of them."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest

from workgroups.models import Group
from workgroups.pagination import paginate

from .models import Resource

#: Geometries drawn on the group's mini-map (the newest ones).
MAP_FEATURES = 200


def group_resources(request: HttpRequest, group: Group) -> dict[str, Any]:
    latest = (
        Resource.objects.visible_to(request.user).filter(group=group).order_by("-created_at", "-id")
    )
    features = [
        {"type": "Feature", "geometry": json.loads(r.geom.geojson), "properties": {"t": r.title}}
        for r in latest.filter(geom__isnull=False).only("title", "geom")[:MAP_FEATURES]
    ]
    return {
        "resources": paginate(request, latest.only("title", "kind"), param="page"),
        "features": {"type": "FeatureCollection", "features": features},
    }
