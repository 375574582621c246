"""``{% item_page_extras item %}`` and ``{% home_page_extras %}``: what the apps built on the
site add to the pages of shared items and to the home page (:mod:`workgroups.hooks`),
already rendered, with autoescaping, by those apps' templates."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from .. import hooks

register = template.Library()


def _joined(parts: list[str]) -> SafeString:
    # each part is a template its app rendered with autoescaping: safe to join
    return mark_safe("\n".join(parts))


@register.simple_tag(takes_context=True)
def item_page_extras(context: template.Context, item: Any) -> SafeString:
    request = context.get("request")
    return _joined(hooks.item_page_extras(request, item) if request is not None else [])


@register.simple_tag(takes_context=True)
def home_page_extras(context: template.Context) -> SafeString:
    request = context.get("request")
    return _joined(hooks.home_page_extras(request) if request is not None else [])
