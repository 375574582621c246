"""The « Acteurs » block of ``/recherche/`` (:func:`workgroups.hooks.contribute_to_search`):
the first profiles matching the words, among those the visitor may see."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from .directory import Filters, profiles

#: Profiles the block shows (the directory pages through the rest).
SHOWN = 5


def search_block(request: HttpRequest, text: str) -> str:
    text = (text or "").strip()
    if not text:
        return ""
    found = list(profiles(request.user, Filters(q=text[:200]))[: SHOWN + 1])
    if not found:
        return ""
    return render_to_string(
        "actors/_search.html",
        {"profiles": found[:SHOWN], "more": len(found) > SHOWN, "query": text},
        request=request,
    )
