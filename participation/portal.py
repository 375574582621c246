"""The « Contributions du public » block of every portal's home
(:func:`portals.sections.register_home_block`): the group's open forms and the latest
accepted contributions the visitor may see (ordinary resources: the one rule decides)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from observatoire.models import Resource
from portals.sections import Section, register_home_block
from workgroups.models import Group

from .models import Form
from .services import SOURCE

#: Forms and contributions a portal's home shows.
BLOCK = 6


def participation_block(request: HttpRequest, group: Group) -> dict[str, Any]:
    forms = [
        f for f in Form.objects.filter(group=group).order_by("-created_at")[:BLOCK] if f.is_open()
    ]
    latest = (
        Resource.objects.visible_to(request.user)
        .filter(group=group, source=SOURCE)
        .order_by("-created_at", "-id")
        .only("title", "kind", "attributes")[:BLOCK]
    )
    return {"forms": forms, "contributions": list(latest)}


def register_block() -> None:
    register_home_block(
        Section(
            "participation",
            _("Contributions du public"),
            "participation/_portal_block.html",
            participation_block,
        )
    )
