"""The pages of a group's news and agenda under ``/portails/<slug>/``: lists (paginated, what
``visible_to`` gives the visitor), item pages with a « Valider » button for animateurs, and
the create, edit and delete forms (contributeurs create; the author and the group's
animateurs edit and delete: ``editable_by``). Views parse and render; the services decide."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workgroups.errors import SpassError
from workgroups.models import Group
from workgroups.pagination import paginate
from workgroups.permissions import can
from workgroups.roles import LEVELS_BEYOND_GROUP, Capability
from workgroups.sharing import may_edit, may_validate

from . import services
from .forms import EventForm, NewsItemForm
from .models import Event, NewsItem

KINDS = {
    "news": (NewsItem, NewsItemForm, "actualites:news-detail", "actualites:news"),
    "event": (Event, EventForm, "actualites:event-detail", "actualites:agenda"),
}


def _group(slug: str) -> Group:
    return get_object_or_404(Group, slug=slug)


def news_list(request: HttpRequest, slug: str) -> HttpResponse:
    group = _group(slug)
    pages = paginate(request, services.news_of(group, request.user), per_page=10)
    return render(
        request,
        "actualites/news_list.html",
        {
            "group": group,
            "pages": pages,
            "can_create": can(request.user, group, Capability.CREATE),
        },
    )


def agenda(request: HttpRequest, slug: str) -> HttpResponse:
    """Upcoming events first (soonest first), then past ones (latest first)."""
    group = _group(slug)
    now = timezone.now()
    events = services.events_of(group, request.user)
    upcoming = paginate(request, events.filter(end__gte=now), per_page=10)
    past = paginate(
        request, events.filter(end__lt=now).order_by("-start", "-id"), per_page=10, param="passees"
    )
    return render(
        request,
        "actualites/agenda.html",
        {
            "group": group,
            "upcoming": upcoming,
            "past": past,
            "can_create": can(request.user, group, Capability.CREATE),
        },
    )


def _visible(request: HttpRequest, model, slug: str, pk: int):
    return get_object_or_404(
        model.objects.visible_to(request.user).select_related("group", "author"),
        group__slug=slug,
        pk=pk,
    )


def detail(request: HttpRequest, slug: str, pk: int, kind: str) -> HttpResponse:
    model = KINDS[kind][0]
    item = _visible(request, model, slug, pk)
    return render(
        request,
        f"actualites/{kind}_detail.html",
        {
            "group": item.group,
            "item": item,
            "can_validate": may_validate(request.user, item),
            "can_edit": may_edit(request.user, item),
        },
    )


def _form(request: HttpRequest, kind: str, group: Group, item=None) -> HttpResponse:
    """The create form (``item`` None) or the edit form of a news item or an event."""
    model, form_class, detail_name, _list_name = KINDS[kind]
    form = form_class(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        try:
            if item is None:
                level = fields.pop("level")
                item = services.create_item(request.user, model, group, level=level, **fields)
            else:
                item = services.update_item(request.user, item, **fields)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except SpassError as exc:
            form.add_error(None, exc.message)
        else:
            if item.level in LEVELS_BEYOND_GROUP and not item.is_validated:
                messages.info(
                    request, _("Enregistré : la diffusion attend la validation d'un animateur.")
                )
            else:
                messages.success(request, _("Enregistré."))
            return redirect(detail_name, slug=group.slug, pk=item.pk)
    context = {"group": group, "form": form, "kind": kind, "item": item}
    return render(request, "actualites/form.html", context, status=400 if form.errors else 200)


@login_required
def create(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    group = _group(slug)
    if not can(request.user, group, Capability.CREATE):
        return render(request, "actualites/forbidden.html", {"group": group}, status=403)
    return _form(request, kind, group)


def _editable(request: HttpRequest, kind: str, slug: str, pk: int):
    """(item, None), or (None, the answer): 404 when not visible, 403 when not editable."""
    item = _visible(request, KINDS[kind][0], slug, pk)
    if not may_edit(request.user, item):
        return None, render(request, "actualites/forbidden.html", {"group": item.group}, status=403)
    return item, None


@login_required
def edit(request: HttpRequest, slug: str, pk: int, kind: str) -> HttpResponse:
    item, refusal = _editable(request, kind, slug, pk)
    return refusal or _form(request, kind, item.group, item)


@login_required
def delete(request: HttpRequest, slug: str, pk: int, kind: str) -> HttpResponse:
    """GET asks to confirm, POST deletes and goes back to the list."""
    item, refusal = _editable(request, kind, slug, pk)
    if refusal:
        return refusal
    if request.method == "POST":
        try:
            services.delete_item(request.user, item)
        except SpassError as exc:
            messages.error(request, exc.message)
            return redirect(KINDS[kind][2], slug=slug, pk=pk)
        messages.success(request, _("« %s » a été supprimé.") % item.title)
        return redirect(KINDS[kind][3], slug=slug)
    return render(
        request, "actualites/delete.html", {"group": item.group, "item": item, "kind": kind}
    )


@login_required
@require_POST
def validate(request: HttpRequest, slug: str, pk: int, kind: str) -> HttpResponse:
    model, _form, detail_name, _list = KINDS[kind]
    item = _visible(request, model, slug, pk)
    try:
        services.validate(request.user, item)
    except SpassError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Validé : la publication est maintenant diffusée."))
    return redirect(detail_name, slug=slug, pk=pk)
