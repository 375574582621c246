"""What the group page (``/groupes/<slug>/``) shows of participation: its public forms, and
for the group's moderators the queue's address and how many contributions wait."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse

from workgroups.models import Group
from workgroups.permissions import can
from workgroups.roles import Capability

from .models import Form, Submission

#: Capped count of the waiting contributions the group page announces.
WAITING_CAP = 1000


def group_page_links(request: HttpRequest, group: Group) -> dict[str, Any]:
    context: dict[str, Any] = {
        "participation_forms_url": reverse("participation:group-forms", args=[group.slug]),
    }
    if can(request.user, group, Capability.REVIEW):
        waiting = Submission.objects.moderable_by(request.user).filter(
            form__group=group, state=Submission.State.PENDING
        )
        context["participation_queue_url"] = reverse("participation:queue", args=[group.slug])
        context["participation_waiting"] = waiting.values("pk")[:WAITING_CAP].count()
    return context


def queue_rows(user, *, group: Group | None, params) -> tuple[QuerySet, dict[str, str]]:
    """The contributions ``user`` moderates, filtered by ``state`` (default pending),
    ``formulaire`` (a form's slug) and ``q`` (title contains), newest first."""
    rows = Submission.objects.moderable_by(user).select_related("form__group")
    if group is not None:
        rows = rows.filter(form__group=group)
    state = params.get("state") or params.get("etat") or Submission.State.PENDING
    filters = {"etat": state if state in Submission.State.values else Submission.State.PENDING}
    rows = rows.filter(state=filters["etat"])
    form_slug = (params.get("formulaire") or "")[:100]
    if form_slug:
        rows = rows.filter(form__slug=form_slug)
        filters["formulaire"] = form_slug
    q = (params.get("q") or "").strip()[:100]
    if q:
        rows = rows.filter(title__icontains=q)
        filters["q"] = q
    return rows.order_by("-created_at", "-id"), filters


def forms_of(group: Group) -> QuerySet:
    return Form.objects.filter(group=group).order_by("-created_at", "-id")
