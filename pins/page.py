"""« Accrocher à… » on the pages of resources and maps (an item-page contributor of
:mod:`workgroups.hooks`): the portals that pinned the item and, for a contributeur+, the
form to pin it into one of their groups. The item's page has already checked that the
viewer sees the item."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.http import HttpRequest
from django.template.loader import render_to_string

from layers.models import Map
from observatoire.models import Resource

from . import services


def pin_box(request: HttpRequest, item: Any) -> str:
    if not isinstance(item, Resource | Map):
        return ""
    return render_to_string(
        "pins/_pin_box.html",
        {
            "item": item,
            "is_map": isinstance(item, Map),
            "pinned_in": services.pinned_in(item),
            "groups": list(services.pinnable_groups(request.user)[:100]),
            "portals": apps.is_installed("portals"),
        },
        request=request,
    )
