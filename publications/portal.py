"""The « Carnets » block of every portal's home (:func:`portals.sections.register_home_block`):
the group's carnets the visitor may see, most recently changed first, linked to their pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from portals.sections import Section, register_home_block
from workgroups.models import Group

from .services import BLOCK_SIZE, visible_carnets


def carnets_block(request: HttpRequest, group: Group) -> dict[str, Any]:
    carnets = visible_carnets(request.user, group).only(
        "title",
        "slug",
        "subtitle",
        "updated_at",
        "group__slug",
        "group__name",
        "author__username",
        "cover__id",
        "level",
        "validated_at",
    )
    return {"carnets": list(carnets[:BLOCK_SIZE]), "group": group}


def register_block() -> None:
    register_home_block(
        Section("carnets", _("Carnets"), "publications/_portal_carnets.html", carnets_block)
    )
