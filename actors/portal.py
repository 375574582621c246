"""The « Acteurs » block of a portal's home (:func:`portals.sections.register_home_block`):
the visible profiles attached to the group."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from portals.sections import Section, register_home_block
from workgroups.models import Group

from .models import Profile

#: Profiles a portal's home shows (the directory holds the rest).
BLOCK = 12


def actors_block(request: HttpRequest, group: Group) -> dict[str, Any]:
    qs = Profile.objects.visible_to(request.user).filter(group=group).order_by("name", "id")
    return {"actor_profiles": list(qs[:BLOCK])}


def register_block() -> None:
    register_home_block(Section("acteurs", _("Acteurs"), "actors/_portal.html", actors_block))
