"""« Carnets » on the site's home page (a home-page contributor of :mod:`workgroups.hooks`):
the latest public, validated carnets — the home page is the same for everyone there, so it
shows only what an anonymous visitor may read (``visible_to(None)``), a few of them."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from .services import visible_carnets

HOME_ITEMS = 4


def home_block(request: HttpRequest) -> str:
    carnets = list(
        visible_carnets(None).only(
            "title",
            "slug",
            "subtitle",
            "updated_at",
            "group__name",
            "group__slug",
            "author__username",
            "cover__id",
            "level",
            "validated_at",
        )[:HOME_ITEMS]
    )
    if not carnets:
        return ""
    return render_to_string("publications/_home.html", {"carnets": carnets}, request=request)
