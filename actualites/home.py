"""« Actualités et agenda » on the site's home page (a home-page contributor of
:mod:`workgroups.hooks`): the latest news and the coming events of every group that the
visitor may see, a few of each, linked to their portal pages."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Event, NewsItem

#: Items of each kind the home page shows.
HOME_ITEMS = 4


def home_block(request: HttpRequest) -> str:
    viewer = request.user
    news = (
        NewsItem.objects.visible_to(viewer)
        .select_related("group")
        .only("title", "published_at", "group__name", "group__slug")
        .order_by("-published_at", "-id")[:HOME_ITEMS]
    )
    events = (
        Event.objects.visible_to(viewer)
        .filter(end__gte=timezone.now())
        .select_related("group")
        .only("title", "start", "place_name", "group__name", "group__slug")
        .order_by("start", "id")[:HOME_ITEMS]
    )
    context = {"news": list(news), "events": list(events)}
    if not context["news"] and not context["events"]:
        return ""
    return render_to_string("actualites/_home.html", context, request=request)
