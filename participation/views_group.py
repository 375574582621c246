"""The group's side: its forms (list, create, edit: animateurs) and the moderation queue
(the group's page and Mon espace: animateurs and experts read it, animateurs act)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from workgroups.errors import SpassError
from workgroups.models import Group
from workgroups.pagination import paginate
from workgroups.permissions import can
from workgroups.roles import Capability

from . import services
from .forms import FormDefinition, asked_fields, field_rows
from .models import Form, Submission
from .pages import forms_of, queue_rows
from .views import share_links

#: Rows of a queue page (a bulk action reaches at most one page).
QUEUE_PAGE = 50


def publish_levels() -> list[tuple[str, str]]:
    """The levels a contribution may be published at, public first (the default)."""
    return [(level, services.Level(level).label) for level in services.PUBLISH_LEVELS]


def _group(slug: str) -> Group:
    return get_object_or_404(Group, slug=slug)


@require_GET
def group_forms(request: HttpRequest, slug: str) -> HttpResponse:
    """The group's forms; their addresses, iframe code and QR codes for its animateurs."""
    group = _group(slug)
    manages = can(request.user, group, Capability.VALIDATE)
    pages = paginate(request, forms_of(group))
    rows = [
        {"form": form, "links": share_links(request, form) if manages else None}
        for form in pages.page
    ]
    context = {"group": group, "pages": pages, "rows": rows, "manages": manages}
    return render(request, "participation/group_forms.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def edit_form(request: HttpRequest, slug: str, form_slug: str | None = None) -> HttpResponse:
    group = _group(slug)
    if not can(request.user, group, Capability.VALIDATE):
        raise Http404
    instance = get_object_or_404(Form, group=group, slug=form_slug) if form_slug else None
    if instance is None:
        instance = Form(group=group, created_by=request.user)
    definition = FormDefinition(request.POST or None, instance=instance)
    if request.method == "POST" and definition.is_valid():
        form = definition.save(commit=False)
        form.fields = asked_fields(form.kind, request.POST)
        form.save()
        messages.success(request, _("Formulaire « %(t)s » enregistré.") % {"t": form.title})
        return redirect("participation:group-forms", group.slug)
    kind = definition["kind"].value() or instance.kind
    context = {
        "group": group,
        "definition": definition,
        "field_rows": field_rows(kind, instance.fields if kind == instance.kind else []),
        "instance": instance if instance.pk else None,
    }
    return render(
        request, "participation/form_edit.html", context, status=400 if definition.errors else 200
    )


def _queue(request: HttpRequest, group: Group | None) -> HttpResponse:
    rows, filters = queue_rows(request.user, group=group, params=request.GET)
    pages = paginate(request, rows.prefetch_related("photos"), per_page=QUEUE_PAGE)
    context = {
        "group": group,
        "pages": pages,
        "filters": filters,
        "states": Submission.State.choices,
        "levels": publish_levels(),
        "forms": forms_of(group) if group else [],
        "may_act": group is None or can(request.user, group, Capability.VALIDATE),
        "back": request.get_full_path(),
    }
    return render(request, "participation/queue.html", context)


@login_required
@require_GET
def queue(request: HttpRequest, slug: str) -> HttpResponse:
    group = _group(slug)
    if not can(request.user, group, Capability.REVIEW):
        raise Http404
    return _queue(request, group)


@login_required
@require_GET
def my_queue(request: HttpRequest) -> HttpResponse:
    """Mon espace: the contributions of every group the person moderates."""
    return _queue(request, None)


def _back(request: HttpRequest) -> str:
    back = request.POST.get("retour", "")
    return (
        back
        if back.startswith("/") and not back.startswith("//")
        else reverse("participation:my-queue")
    )


@login_required
@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    """Accept or refuse the checked contributions (at most one page of them)."""
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()][:QUEUE_PAGE]
    action = request.POST.get("action", "")
    if not ids or action not in ("accept", "refuse"):
        messages.error(request, _("Cochez au moins une contribution et choisissez une action."))
        return redirect(_back(request))
    outcome = services.moderate_many(
        request.user,
        ids,
        action=action,
        level=request.POST.get("niveau", services.Level.PUBLIC),
        reason=request.POST.get("motif", ""),
    )
    if outcome.done:
        messages.success(request, _("%(n)d contribution(s) traitée(s).") % {"n": outcome.done})
    for line in outcome.refused[:10]:
        messages.error(request, line)
    return redirect(_back(request))


@login_required
@require_http_methods(["GET", "POST"])
def submission_page(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One contribution: read it, edit its title and text then accept, or refuse it."""
    group = _group(slug)
    submission = get_object_or_404(
        Submission.objects.moderable_by(request.user).select_related("form"),
        pk=pk,
        form__group=group,
    )
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            if request.POST.get("action") == "refuse":
                services.refuse(request.user, submission, request.POST.get("motif", ""))
                messages.success(request, _("Contribution refusée."))
            else:
                services.accept(
                    request.user,
                    submission,
                    level=request.POST.get("niveau", services.Level.PUBLIC),
                    title=request.POST.get("titre", "") or None,
                    description=request.POST.get("description"),
                )
                messages.success(request, _("Contribution publiée."))
            return redirect("participation:queue", group.slug)
        except ValidationError as error:
            errors = {k: " ".join(v) for k, v in error.message_dict.items()}
        except SpassError as error:
            errors = {"__all__": error.message}
    context = {
        "group": group,
        "submission": submission,
        "errors": errors,
        "levels": publish_levels(),
        "may_act": can(request.user, group, Capability.VALIDATE),
    }
    return render(request, "participation/submission.html", context, status=400 if errors else 200)
