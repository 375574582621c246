"""``/``: the platform at a glance (:mod:`accueil.services`)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import services


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "accueil/home.html", services.home(request.user))
