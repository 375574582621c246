"""What the apps above ``workgroups`` add to its pages, without ``workgroups`` importing them.

An app registers a contributor in its ``AppConfig.ready()``; the group page merges what every
contributor returns into its template context (``observatoire`` adds the group's resources
and their mini-map).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.http import HttpRequest

    from .models import Group

GroupPageContributor = Callable[["HttpRequest", "Group"], dict[str, Any]]

_group_page: list[GroupPageContributor] = []


def contribute_to_group_page(contributor: GroupPageContributor) -> GroupPageContributor:
    """Register ``contributor(request, group) -> context`` for the group page (once)."""
    if contributor not in _group_page:
        _group_page.append(contributor)
    return contributor


def group_page_context(request: HttpRequest, group: Group) -> dict[str, Any]:
    context: dict[str, Any] = {}
    for contributor in _group_page:
        context.update(contributor(request, group))
    return context
