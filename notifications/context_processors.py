"""The bell of the header: how many notifications the person has not read (capped)."""

from __future__ import annotations

from django.http import HttpRequest

from .services import unread_count


def bell(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    count, capped = unread_count(user)
    return {"bell": {"unread": count, "capped": capped}}
