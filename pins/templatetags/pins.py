"""``{% pin_box item %}``: on a resource or map page, the portals that pinned it and the
« Accrocher à… » form (the item's page has already checked that the viewer sees it)."""

from __future__ import annotations

from django import template

from layers.models import Map

from .. import services

register = template.Library()


@register.inclusion_tag("pins/_pin_box.html", takes_context=True)
def pin_box(context, item) -> dict:
    user = context["request"].user
    return {
        "item": item,
        "is_map": isinstance(item, Map),
        "pinned_in": services.pinned_in(item),
        "groups": list(services.pinnable_groups(user)[:100]),
        "csrf_token": context.get("csrf_token"),
        "portals": _portals_installed(),
    }


def _portals_installed() -> bool:
    from django.apps import apps

    return apps.is_installed("portals")
