"""The portal's « Actualités » and « Agenda » blocks (:mod:`portals.sections`): the newest news
and the coming events the visitor may see. Their whole lists, forms and feeds are this app's
pages under the same ``/portails/<slug>/…`` paths."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portals.sections import Section, register
from workgroups.models import Group

from .models import Event, NewsItem

#: Items a portal block shows; the section's own page paginates the rest.
BLOCK = 5


def news_block(request: HttpRequest, group: Group) -> dict[str, Any]:
    news = NewsItem.objects.visible_to(request.user).filter(group=group)
    return {"news": list(news.order_by("-published_at", "-id")[:BLOCK])}


def agenda_block(request: HttpRequest, group: Group) -> dict[str, Any]:
    coming = Event.objects.visible_to(request.user).filter(group=group, end__gte=timezone.now())
    return {"events": list(coming.order_by("start", "id")[:BLOCK])}


def register_sections() -> None:
    register(Section("actualites", _("Actualités"), "actualites/_portal_news.html", news_block))
    register(Section("agenda", _("Agenda"), "actualites/_portal_agenda.html", agenda_block))
