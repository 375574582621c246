"""Actors on the search page (:func:`search.others.register_kind`): the first profiles
matching the words, among those the visitor may see (the directory pages through the rest)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils.translation import gettext as _

from search.others import Hit, Hits

from .directory import Filters, profiles

#: Profiles the search page shows at most.
SHOWN = 5


def actor_hits(user: Any, text: str, limit: int = SHOWN) -> Hits:
    found = profiles(user, Filters(q=text.strip()[:200]))[:limit]
    return Hits(
        label=_("Acteurs"),
        hits=[
            Hit(
                title=p.name,
                url=reverse("actors:detail", args=[p.slug]),
                summary=truncatechars(p.summary, 140) if p.summary else "",
                meta=str(p.get_kind_display()),
            )
            for p in found
        ],
        more_url=reverse("actors:directory") + "?" + urlencode({"q": text.strip()[:200]}),
    )
