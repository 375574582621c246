"""The forms of the discussion box: comment, reply, edit, delete, hide, follow. Each one
checks the thing through its one rule first (404 when unseen), then goes back to its page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workgroups.errors import NotAllowed

from . import services


def _back(target, thing) -> HttpResponse:
    return redirect(f"{target.url_of(thing)}#commentaires")


def _act(request: HttpRequest, label: str, pk: int, action) -> HttpResponse:
    target, thing = services.visible_thing(request.user, label, pk)
    try:
        done = action(thing)
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if done:
            messages.success(request, done)
    return _back(target, thing)


@login_required
@require_POST
def comment(request: HttpRequest, label: str, pk: int) -> HttpResponse:
    def action(thing):
        parent_id = request.POST.get("parent", "")
        parent = services.comment_on(thing, int(parent_id)) if parent_id.isdigit() else None
        services.post(request.user, thing, request.POST.get("body", ""), parent)
        return _("Votre commentaire est publié.")

    return _act(request, label, pk, action)


@login_required
@require_POST
def edit(request: HttpRequest, label: str, pk: int, comment_id: int) -> HttpResponse:
    def action(thing):
        services.edit(
            request.user, services.comment_on(thing, comment_id), request.POST.get("body", "")
        )
        return _("Commentaire modifié.")

    return _act(request, label, pk, action)


@login_required
@require_POST
def delete(request: HttpRequest, label: str, pk: int, comment_id: int) -> HttpResponse:
    def action(thing):
        services.delete(request.user, services.comment_on(thing, comment_id))
        return _("Commentaire supprimé.")

    return _act(request, label, pk, action)


@login_required
@require_POST
def hide(request: HttpRequest, label: str, pk: int, comment_id: int) -> HttpResponse:
    def action(thing):
        comment = services.comment_on(thing, comment_id)
        services.hide(request.user, thing, comment, request.POST.get("reason", ""))
        return _("Commentaire masqué.")

    return _act(request, label, pk, action)


@login_required
@require_POST
def follow(request: HttpRequest, label: str, pk: int) -> HttpResponse:
    def action(thing):
        on = request.POST.get("suivre") == "1"
        services.set_follow(request.user, thing, on)
        return (
            _("Vous suivez cette discussion.") if on else _("Vous ne suivez plus cette discussion.")
        )

    return _act(request, label, pk, action)
