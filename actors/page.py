"""The « Acteurs crédités » box of a resource's or a carnet's page
(:func:`workgroups.hooks.contribute_to_item_page`): the credits whose profile the visitor may
see, and for those who may edit the item a form to credit one more actor.
``observatoire`` and ``publications`` never name this app."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse

from observatoire.models import Resource
from publications.models import Carnet

from . import services
from .models import Credit, Role


def credits_box(request: HttpRequest, item: Any) -> str:
    if isinstance(item, Resource):
        field, add_url = "resource", reverse("actors:credit-add", args=[item.pk])
    elif isinstance(item, Carnet):
        field, add_url = "carnet", reverse("actors:credit-add-carnet", args=[item.pk])
    else:
        return ""
    credits = list(
        Credit.objects.visible_to(request.user)
        .filter(**{field: item})
        .select_related("profile")
        .order_by("role", "profile__name")[:50]
    )
    may_credit = services.may_credit(request.user, item)
    if not credits and not may_credit:
        return ""
    return render_to_string(
        "actors/_credits.html",
        {
            "item_key": f"{field}-{item.pk}",
            "add_url": add_url,
            "credits": credits,
            "may_credit": may_credit,
            "roles": Role.choices,
        },
        request=request,
    )
