"""The pages of a group's news and agenda under ``/portails/<slug>/``: lists (paginated, what
``visible_to`` gives the visitor), item pages with a « Valider » button for animateurs, and
the create forms for contributeurs. Views parse and render; the services decide."""

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
from workgroups.sharing import may_validate

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


def _detail(request: HttpRequest, kind: str, slug: str, pk: int) -> HttpResponse:
    model = KINDS[kind][0]
    item = _visible(request, model, slug, pk)
    return render(
        request,
        f"actualites/{kind}_detail.html",
        {"group": item.group, "item": item, "can_validate": may_validate(request.user, item)},
    )


def news_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _detail(request, "news", slug, pk)


def event_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _detail(request, "event", slug, pk)


def _create(request: HttpRequest, kind: str, slug: str) -> HttpResponse:
    model, form_class, detail_name, _list_name = KINDS[kind]
    group = _group(slug)
    if not can(request.user, group, Capability.CREATE):
        return render(request, "actualites/forbidden.html", {"group": group}, status=403)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        level = fields.pop("level")
        try:
            item = services.create_item(request.user, model, group, level=level, **fields)
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
    return render(request, "actualites/form.html", {"group": group, "form": form, "kind": kind})


@login_required
def news_create(request: HttpRequest, slug: str) -> HttpResponse:
    return _create(request, "news", slug)


@login_required
def event_create(request: HttpRequest, slug: str) -> HttpResponse:
    return _create(request, "event", slug)


def _validate(request: HttpRequest, kind: str, slug: str, pk: int) -> HttpResponse:
    model, _form, detail_name, _list = KINDS[kind]
    item = _visible(request, model, slug, pk)
    try:
        services.validate(request.user, item)
    except SpassError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Validé : la publication est maintenant diffusée."))
    return redirect(detail_name, slug=slug, pk=pk)


@login_required
@require_POST
def news_validate(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _validate(request, "news", slug, pk)


@login_required
@require_POST
def event_validate(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _validate(request, "event", slug, pk)
