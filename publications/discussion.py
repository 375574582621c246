"""Carnets as things people discuss: :mod:`discussion` shows its block under a carnet (the
item-page hook) once the carnet is registered here, through the carnet's ``visible_to``."""

from __future__ import annotations

from django.urls import reverse

from discussion.targets import register

from .models import Carnet


def register_target() -> None:
    register(
        Carnet,
        visible=lambda user: Carnet.objects.visible_to(user),
        url_of=lambda carnet: reverse("publications:detail", args=[carnet.slug]),
    )
