"""« Mon espace »: a person's groups, resources and, by role, what waits for them."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from workgroups.models import Membership
from workgroups.roles import Level, Role
from workgroups.visibility import group_ids_of

from .models import Resource
from .services import validation_queue


@login_required
def my_space(request: HttpRequest) -> HttpResponse:
    user = request.user
    visible = Resource.objects.visible_to(user).select_related("group")
    context = {
        "memberships": Membership.objects.filter(user=user).select_related("group"),
        "my_resources": visible.filter(author=user),
        "queue": visible.filter(pk__in=validation_queue(user).values("pk")),
        "join_requests": Membership.objects.filter(
            group_id__in=group_ids_of(user, Role.ANIMATEUR),
            state=Membership.State.REQUESTED,
        ).select_related("user", "group"),
        "to_review": visible.filter(
            group_id__in=group_ids_of(user, Role.EXPERT), checked_at__isnull=True
        ).exclude(level=Level.UTILISATEUR),
        "is_animateur": Membership.objects.filter(
            user=user, role=Role.ANIMATEUR, state=Membership.State.ACTIVE
        ).exists(),
        "is_expert": Membership.objects.filter(
            user=user, role__in=[Role.EXPERT, Role.ANIMATEUR], state=Membership.State.ACTIVE
        ).exists(),
    }
    return render(request, "observatoire/my_space.html", context)
