"""``{% item_page_extras item %}``: what the apps built on a shared item add to its page
(:func:`workgroups.hooks.contribute_to_item_page`), already rendered and escaped by them."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from ..hooks import item_page_extras as extras

register = template.Library()


@register.simple_tag(takes_context=True)
def item_page_extras(context: template.Context, item: Any) -> SafeString:
    request = context.get("request")
    if request is None:
        return mark_safe("")
    # each part is a template the contributor rendered with autoescaping: safe to join
    return mark_safe("\n".join(extras(request, item)))
