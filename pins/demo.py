"""Demo pins: demo-nord's animateur pins into its portal public resources of two other
groups (« Patrimoine et paysages », « Centres-bourgs en transition »), through the service:
the same rights and visibility checks as the page. Run after ``load_demo``; idempotent."""

from __future__ import annotations

from django.db import transaction

from observatoire.models import Resource
from workgroups.models import Group, User
from workgroups.roles import Level

from . import services
from .models import Pin

PORTAL, PINNER = "demo-nord", "anim"
#: The groups whose public resources are pinned, and how many of each.
SOURCES = {"patrimoine-paysages": 3, "centres-bourgs": 1}


@transaction.atomic
def load_demo_pins() -> int:
    """Pins made (0 when already loaded or when the demo groups are missing)."""
    group = Group.objects.filter(slug=PORTAL).first()
    pinner = User.objects.filter(username=PINNER).first()
    if group is None or pinner is None or Pin.objects.filter(group=group).exists():
        return 0
    made = 0
    for slug, count in SOURCES.items():
        public = Resource.objects.visible_to(None).filter(group__slug=slug, level=Level.PUBLIC)
        for resource_id in public.order_by("id").values_list("pk", flat=True)[:count]:
            made += services.pin(pinner, group, resource_id=resource_id)[1]
    return made
