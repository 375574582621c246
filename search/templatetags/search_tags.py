"""Query-string helpers for facet links (keep the other parameters, reset the page)."""

from django import template

register = template.Library()


@register.simple_tag
def query_with(request, name: str, value) -> str:
    query = request.GET.copy()
    query[name] = str(value)
    query.pop("page", None)
    return query.urlencode()


@register.simple_tag
def query_without(request, name: str) -> str:
    query = request.GET.copy()
    query.pop(name, None)
    query.pop("page", None)
    return query.urlencode()
