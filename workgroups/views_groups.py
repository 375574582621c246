"""Groups: directory by family, group page, joining, and the animateurs' tools.

Every change goes through ``workgroups.services``, which checks the actor's rights; views
turn its typed errors into French messages.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .errors import SpassError
from .forms import InviteForm, RoleForm
from .hooks import group_page_context
from .models import Group, Membership
from .pagination import paginate
from .permissions import can, role_of
from .roles import Capability

#: Groups per family on a page of the directory.
DIRECTORY_PAGE = 24


def directory(request: HttpRequest) -> HttpResponse:
    """The groups by family, each family paginated on its own (``?page-projet=2``)."""
    groups = Group.objects.annotate(
        members=Count("memberships", filter=Q(memberships__state=Membership.State.ACTIVE))
    ).order_by("name", "id")
    families = [
        {
            "value": value,
            "label": label,
            "pages": paginate(
                request,
                groups.filter(family=value),
                per_page=DIRECTORY_PAGE,
                param=f"page-{value}",
            ),
        }
        for value, label in Group.Family.choices
    ]
    return render(request, "workgroups/directory.html", {"families": families})


def group_page(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(Group, slug=slug)
    user = request.user
    membership = (
        Membership.objects.filter(user=user, group=group).first() if user.is_authenticated else None
    )
    manages = can(user, group, Capability.MANAGE_MEMBERS)
    context = {
        "group": group,
        "members_count": group.memberships.filter(state=Membership.State.ACTIVE).count(),
        # the group's resources and mini-map: contributed by observatoire (workgroups.hooks)
        **group_page_context(request, group),
        "membership": membership,
        "role": role_of(user, group),
        "manages": manages,
    }
    if manages:
        context.update(
            members=paginate(
                request,
                group.memberships.select_related("user").order_by("state", "user__username", "id"),
                param="membres",
            ),
            invite_form=InviteForm(),
            roles=RoleForm().fields["role"].choices,
        )
    return render(request, "workgroups/group.html", context)


def _act(request: HttpRequest, slug: str, action: Callable[[], object], done: str) -> HttpResponse:
    try:
        action()
    except SpassError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("workgroups:group", slug=slug)


@login_required
@require_POST
def join(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(Group, slug=slug)
    try:
        membership = services.request_to_join(request.user, group)
    except SpassError as exc:
        messages.error(request, exc.message)
    else:
        if membership.state == Membership.State.ACTIVE:
            messages.success(request, _("Vous êtes maintenant membre du groupe."))
        else:
            messages.success(request, _("Demande envoyée : un animateur du groupe va l'examiner."))
    return redirect("workgroups:group", slug=slug)


@login_required
@require_POST
def accept(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(Group, slug=slug)
    return _act(
        request,
        slug,
        lambda: services.accept_invitation(request.user, group),
        _("Invitation acceptée : bienvenue dans le groupe."),
    )


@login_required
@require_POST
def leave(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(Group, slug=slug)
    return _act(
        request, slug, lambda: services.leave(request.user, group), _("Vous avez quitté le groupe.")
    )


@login_required
@require_POST
def invite(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(Group, slug=slug)
    form = InviteForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("workgroups:group", slug=slug)
    return _act(
        request,
        slug,
        lambda: services.invite(
            request.user, group, form.cleaned_data["person"], form.cleaned_data["role"]
        ),
        _("Invitation envoyée."),
    )


def _membership(slug: str, pk: int) -> Membership:
    return get_object_or_404(Membership.objects.select_related("group"), pk=pk, group__slug=slug)


@login_required
@require_POST
def approve(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = _membership(slug, pk)
    return _act(
        request, slug, lambda: services.approve(request.user, membership), _("Demande acceptée.")
    )


@login_required
@require_POST
def refuse(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = _membership(slug, pk)
    return _act(
        request, slug, lambda: services.refuse(request.user, membership), _("Demande refusée.")
    )


@login_required
@require_POST
def change_role(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = _membership(slug, pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Rôle inconnu."))
        return redirect("workgroups:group", slug=slug)
    return _act(
        request,
        slug,
        lambda: services.change_role(request.user, membership, form.cleaned_data["role"]),
        _("Rôle modifié."),
    )
