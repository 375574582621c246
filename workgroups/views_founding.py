"""Groups made and set up in the browser: ``/groupes/nouveau/`` (any account; the founder
becomes the animateur), the animateurs' settings page (the group's fields, sharing or handing
over the animateur role) and archiving with a confirmation. Every change goes through
:mod:`workgroups.founding`, which checks the rights; errors land on their fields."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from . import founding
from .errors import SpassError
from .forms import GroupForm, HandOverForm
from .models import Group
from .pages import refused
from .permissions import can
from .roles import Capability


def _attempt(form, action: Callable[[], object]) -> object | None:
    """``action`` when ``form`` is valid; its errors on the form's fields otherwise."""
    if not form.is_valid():
        return None
    try:
        return action()
    except ValidationError as exc:
        for name, errors in exc.message_dict.items():
            for error in errors:
                form.add_error(name if name in form.fields else None, error)
    except SpassError as exc:
        form.add_error(None, exc.message)
    return None


@login_required
def new_group(request: HttpRequest) -> HttpResponse:
    form = GroupForm(request.POST or None)
    if request.method == "POST":
        group = _attempt(form, lambda: founding.found_group(request.user, **form.group_fields()))
        if group is not None:
            messages.success(
                request,
                _("Groupe créé : vous en êtes l'animateur. Invitez ses premiers membres."),
            )
            return redirect("workgroups:group", slug=group.slug)
    status = 400 if form.errors else 200
    return render(request, "workgroups/group_new.html", {"form": form}, status=status)


def _managed(request: HttpRequest, slug: str) -> Group | HttpResponse:
    group = get_object_or_404(Group, slug=slug)
    if not can(request.user, group, Capability.MANAGE_MEMBERS):
        if group.archived_at is not None:
            return refused(request, _("Ce groupe est archivé : ses paramètres ne changent plus."))
        return refused(request, _("Seuls les animateurs du groupe en changent les paramètres."))
    return group


@login_required
def group_settings(request: HttpRequest, slug: str) -> HttpResponse:
    group = _managed(request, slug)
    if isinstance(group, HttpResponse):
        return group
    form = GroupForm(initial=GroupForm.initial_of(group), prefix="groupe")
    hand_over = HandOverForm(prefix="animation")
    if request.method == "POST" and "parametres" in request.POST:
        form = GroupForm(request.POST, initial=GroupForm.initial_of(group), prefix="groupe")
        changes = lambda: form.group_fields(keep_territory=group.territory)  # noqa: E731
        if _attempt(form, lambda: founding.update_group(request.user, group, **changes())):
            messages.success(request, _("Paramètres du groupe enregistrés."))
            return redirect("workgroups:settings", slug=group.slug)
    elif request.method == "POST" and "animation" in request.POST:
        hand_over = HandOverForm(request.POST, prefix="animation")
        done = _attempt(
            hand_over,
            lambda: founding.share_animation(
                request.user,
                group,
                hand_over.cleaned_data["person"],
                step_down=hand_over.cleaned_data["mode"] == HandOverForm.HAND_OVER,
            ),
        )
        if done:
            messages.success(request, _("Rôle d'animateur partagé ou transmis."))
            return redirect("workgroups:group", slug=group.slug)
    status = 400 if form.errors or hand_over.errors else 200
    context = {
        "group": group,
        "form": form,
        "hand_over": hand_over,
        "territory_outline": founding.outline_geojson(group),
    }
    return render(request, "workgroups/group_settings.html", context, status=status)


@login_required
def archive(request: HttpRequest, slug: str) -> HttpResponse:
    """A confirmation page (GET), then the archiving (POST)."""
    group = _managed(request, slug)
    if isinstance(group, HttpResponse):
        return group
    if request.method == "POST":
        founding.archive_group(request.user, group)
        messages.success(request, _("Groupe archivé : ses ressources restent, en lecture seule."))
        return redirect("workgroups:group", slug=group.slug)
    return render(request, "workgroups/group_archive.html", {"group": group})
