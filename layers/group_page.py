"""The group page's maps (``/groupes/<slug>/``), contributed to ``workgroups`` through
:mod:`workgroups.hooks`: the first visible maps of the group by title, a link to all of them
(``/cartes/?groupe=<slug>``) and, for its contributeurs, to the editor."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from workgroups.models import Group
from workgroups.permissions import can
from workgroups.roles import Capability

from .models import Map

#: Maps named on the group page (the rest on /cartes/?groupe=<slug>).
GROUP_PAGE_MAPS = 6


def group_maps(request: HttpRequest, group: Group) -> dict[str, Any]:
    maps = Map.objects.visible_to(request.user).filter(group=group).order_by("title", "id")
    first = list(maps.only("slug", "title")[: GROUP_PAGE_MAPS + 1])
    return {
        "group_maps": first[:GROUP_PAGE_MAPS],
        "group_maps_more": len(first) > GROUP_PAGE_MAPS,
        "group_maps_create": can(request.user, group, Capability.CREATE),
    }
