"""``{% nearby_monuments resource %}``: the monuments around a resource, on its page."""

from __future__ import annotations

from django import template

from observatoire.heritage import DEFAULT_METRES, monuments_near

register = template.Library()
#: Monuments listed on a resource page at most.
LISTED = 20


@register.inclusion_tag("importers/nearby_monuments.html", takes_context=True)
def nearby_monuments(context, resource) -> dict:
    user = context["request"].user
    return {
        "monuments": list(monuments_near(resource, user)[:LISTED]),
        "metres": DEFAULT_METRES,
    }
