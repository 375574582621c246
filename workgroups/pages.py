"""What the human pages that change things share (the machine channels have :mod:`.edge`)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def refused(request: HttpRequest, message: str) -> HttpResponse:
    """The 403 page: the reason in words, never Django's bare « Forbidden »."""
    return render(request, "refused.html", {"message": message}, status=403)
