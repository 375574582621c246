"""Carnets on the search page (:func:`search.others.register_kind`): French full text over the
title, subtitle, territory and the text of the blocks, among the carnets the person may see."""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db.models import F, TextField
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.translation import gettext as _

from search.others import Hit, Hits

from .models import Carnet

#: The stemming configuration of the resources' search (unaccent + French).
CONFIG = "fr_unaccent"


def carnet_hits(user: Any, text: str, limit: int) -> Hits:
    query = SearchQuery(text, config=CONFIG, search_type="websearch")
    vector = (
        SearchVector("title", weight="A", config=CONFIG)
        + SearchVector("subtitle", "territory", weight="B", config=CONFIG)
        + SearchVector(Cast("blocks", TextField()), weight="C", config=CONFIG)
    )
    rows = (
        Carnet.objects.visible_to(user)
        .select_related("group")
        .annotate(rank=SearchRank(vector, query))
        .filter(rank__gt=0)
        .order_by(F("rank").desc(), "-id")
        .only("title", "slug", "subtitle", "group__name")[:limit]
    )
    return Hits(
        label=_("Carnets"),
        hits=[
            Hit(
                title=c.title,
                url=reverse("publications:detail", args=[c.slug]),
                summary=c.subtitle,
                meta=c.group.name,
            )
            for c in rows
        ],
        more_url=reverse("publications:list"),
    )
