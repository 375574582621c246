"""The « Acteurs crédités » box of a resource's page
(:func:`workgroups.hooks.contribute_to_item_page`): the credits whose profile the visitor may
see, and for those who may edit the resource a form to credit one more actor.
``observatoire`` never names this app."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from observatoire.models import Resource

from . import services
from .models import Credit, Role


def credits_box(request: HttpRequest, item: Any) -> str:
    if not isinstance(item, Resource):
        return ""
    credits = list(
        Credit.objects.visible_to(request.user)
        .filter(resource=item)
        .select_related("profile")
        .order_by("role", "profile__name")[:50]
    )
    may_credit = services.may_credit(request.user, item)
    if not credits and not may_credit:
        return ""
    return render_to_string(
        "actors/_credits.html",
        {"resource": item, "credits": credits, "may_credit": may_credit, "roles": Role.choices},
        request=request,
    )
