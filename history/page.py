"""« Historique » on a resource's page (an item-page contributor of :mod:`workgroups.hooks`):
a link for those who may edit it, the only ones who read its versions."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from observatoire.models import Resource
from workgroups.sharing import may_edit


def history_link(request: HttpRequest, item: Any) -> str:
    if not isinstance(item, Resource) or not may_edit(request.user, item):
        return ""
    return format_html(
        '<nav class="item-tabs" aria-label="{}"><a href="{}">{}</a></nav>',
        _("Suivi de la ressource"),
        reverse("history:resource", args=[item.pk]),
        _("Historique des versions"),
    )
