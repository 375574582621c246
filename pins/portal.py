"""The « Accrochés » block of every portal's home (:func:`portals.sections.register_home_block`):
the items the group pinned that the visitor may see, newest first, with « Retirer » for the
pinner and the group's animateurs."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from portals.sections import Section, register_home_block
from workgroups.models import Group

from . import services

#: Pins a portal's home shows (the API pages through all of them).
BLOCK = 12


def pins_block(request: HttpRequest, group: Group) -> dict[str, Any]:
    pins = services.pinned_for(group, request.user, limit=BLOCK)
    removable = services.unpinnable(request.user, group, pins)
    return {"pins": [{"pin": pin, "may_unpin": pin.pk in removable} for pin in pins]}


def register_block() -> None:
    register_home_block(Section("accroches", _("Accrochés"), "pins/_portal_pins.html", pins_block))
