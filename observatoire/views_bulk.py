"""Bulk moderation pages: the POST of a list's action bar, the action's page (progress bar
while a background job runs, then what was done and what was refused) and its JSON state."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from workgroups.errors import SpassError
from workgroups.progress import progress_state
from workgroups.roles import Capability, Level

from . import bulk
from .listing import SECTIONS
from .models import BulkAction

Action = BulkAction.Action


def actions_for(capabilities: frozenset[str]) -> list[tuple[str, str]]:
    """The actions the list offers, by the capabilities held somewhere (the rules still
    decide row by row in SQL: a bulk action on rows out of reach refuses them by name)."""
    offered = [Action.LEVEL, Action.DELETE]
    if Capability.REVIEW in capabilities:
        offered.insert(0, Action.REVIEW)
    if Capability.VALIDATE in capabilities:
        offered[:0] = [Action.VALIDATE]
    if Capability.EDIT_ANY in capabilities:
        offered.insert(-1, Action.GROUP)
    return [(a.value, a.label) for a in offered]


@login_required
@require_POST
def run(request: HttpRequest) -> HttpResponse:
    section = request.POST.get("section", "")
    back = (
        reverse("observatoire:section", args=[section])
        if section in SECTIONS
        else reverse("observatoire:my-space")
    )
    filters = request.POST.get("filtres", "")
    if filters:
        back += "?" + filters
    scope = request.POST.get("portee", "cochees")
    ids = request.POST.getlist("ids")
    if section not in SECTIONS or (scope != "filtre" and not ids):
        messages.error(
            request, _("Cochez au moins une ressource, ou choisissez « tout ce filtre ».")
        )
        return redirect(back)
    selection = bulk.Selection.from_post(section, scope, ids, filters)
    params = {
        "level": request.POST.get("niveau", ""),
        "group": request.POST.get("groupe_cible", ""),
        "comment": request.POST.get("commentaire", ""),
    }
    try:
        action = bulk.start(request.user, request.POST.get("action", ""), selection, params)
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
        return redirect(back)
    except SpassError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    return redirect("observatoire:bulk", pk=action.pk)


def _own(request: HttpRequest, pk: int) -> BulkAction:
    action = BulkAction.objects.filter(pk=pk, actor=request.user).first()
    if action is None:
        raise Http404(_("Action groupée inconnue."))
    return action


def state(action: BulkAction) -> dict:
    """The JSON the progress bar polls (the shape of an import job's, so one script serves)."""
    return {
        **progress_state(action, action.done, unknown=0),
        "read": action.done,
        "refused": action.refused,
        "skipped": action.skipped,
    }


@login_required
@require_GET
def page(request: HttpRequest, pk: int) -> HttpResponse:
    action = _own(request, pk)
    context = {
        "action": action,
        "state": state(action),
        "refusal": bulk.refusal_message(action),
        "level_label": Level(action.params["level"]).label if action.params.get("level") else "",
    }
    return render(request, "observatoire/bulk_action.html", context)


@login_required
@require_GET
def page_json(request: HttpRequest, pk: int) -> JsonResponse:
    response = JsonResponse(state(_own(request, pk)))
    response["Cache-Control"] = "no-store"
    return response
