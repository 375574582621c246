"""The pages of carnets under ``/publications/``: the list, the reading page (with « mode
récit »), the new-carnet form and the editor, the embeddable page and its oEmbed, the PDF and
the offline zip, the uploads. Every read starts from ``Carnet.objects.visible_to(user)``
(404 otherwise); writes go through :mod:`publications.services`."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET, require_POST

from workgroups.edge import feed_error, framable, oembed_response, oembed_target
from workgroups.errors import SpassError
from workgroups.models import Group
from workgroups.pagination import paginate
from workgroups.permissions import can
from workgroups.roles import Capability
from workgroups.sharing import may_edit, may_validate
from workgroups.visibility import groups_where

from . import services
from .editor_labels import labels
from .models import Carnet, CarnetMedia
from .render import build, public_config

EMBED_SIZE = (800, 900)
PER_PAGE = 12
PREVIEWS = {"anonyme": _("anonyme"), "membre": _("membre du groupe")}


def visible(request: HttpRequest, slug: str) -> Carnet:
    carnet = (
        Carnet.objects.visible_to(request.user)
        .select_related("group", "author", "cover", "validated_by")
        .filter(slug=slug)
        .first()
    )
    if carnet is None:
        raise Http404(_("Carnet introuvable."))
    return carnet


@require_GET
def carnet_list(request: HttpRequest) -> HttpResponse:
    group = Group.objects.filter(slug=request.GET.get("groupe", "")).first()
    carnets = services.visible_carnets(request.user, group).only(
        "title",
        "slug",
        "subtitle",
        "level",
        "validated_at",
        "updated_at",
        "group__name",
        "group__slug",
        "author__username",
        "cover__id",
        "territory",
    )
    user = request.user
    context = {
        "pages": paginate(request, carnets, per_page=PER_PAGE),
        "group": group,
        "may_create": user.is_authenticated
        and Group.objects.filter(pk__in=groups_where(user, Capability.CREATE)).exists(),
    }
    return render(request, "publications/list.html", context)


def _reading_context(request: HttpRequest, carnet: Carnet, reader) -> dict:
    page = build(carnet, reader)
    absolute = request.build_absolute_uri(reverse("publications:detail", args=[carnet.slug]))
    return {
        "carnet": carnet,
        "group": carnet.group,
        "page": page,
        "maps_json": [
            {"config": public_config(m["config"]), "id": m["config"]["id"]} for m in page.maps
        ],
        "absolute_url": absolute,
        "oembed_url": request.build_absolute_uri(reverse("publications:oembed"))
        + "?"
        + urlencode({"url": absolute, "format": "json"}),
        "embed_url": request.build_absolute_uri(reverse("publications:embed", args=[carnet.slug])),
        "embed_size": EMBED_SIZE,
    }


@require_GET
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The reading page; an editor may preview it as an anonymous visitor (``?apercu=anonyme``)
    or as a member of the group would read it (``?apercu=membre``)."""
    carnet = visible(request, slug)
    editable = may_edit(request.user, carnet)
    preview = request.GET.get("apercu", "") if editable else ""
    reader = AnonymousUser() if preview == "anonyme" else request.user
    context = _reading_context(request, carnet, reader)
    context.update(
        can_edit=editable and not preview,
        can_validate=may_validate(request.user, carnet) and not preview,
        preview=PREVIEWS.get(preview, ""),
    )
    return render(request, "publications/detail.html", context)


@require_GET
@xframe_options_exempt
def embed(request: HttpRequest, slug: str) -> HttpResponse:
    """The carnet in another site's frame (what the visitor's session sees: in a frame on
    another site, usually nothing but public and validated)."""
    carnet = visible(request, slug)
    context = _reading_context(request, carnet, request.user)
    context["embed"] = True
    return framable(render(request, "publications/embed.html", context))


@require_GET
def oembed(request: HttpRequest) -> HttpResponse:
    match, who, failure = oembed_target(
        request,
        ("publications:detail", "publications:embed"),
        _("Paramètre « url » : ce n'est pas l'adresse d'un carnet du site."),
    )
    if failure:
        return failure
    carnet = Carnet.objects.visible_to(who.user).filter(slug=match.kwargs["slug"]).first()
    if carnet is None:
        return feed_error(404, _("Paramètre « url » : carnet introuvable."))
    src = request.build_absolute_uri(reverse("publications:embed", args=[carnet.slug]))
    return oembed_response(request, who, title=carnet.title, src=src, size=EMBED_SIZE)


@require_GET
def media_file(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    """An upload of the carnet, to those who see the carnet."""
    carnet = visible(request, slug)
    media = get_object_or_404(CarnetMedia, pk=pk, carnet=carnet)
    response = FileResponse(media.file.open("rb"), content_type=media.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _download(carnet: Carnet, body: bytes, content_type: str, disposition: str) -> HttpResponse:
    """A file made for this reader (what they may see now): never cached by a shared cache."""
    extension = content_type.rsplit("/", 1)[1]
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'{disposition}; filename="{carnet.slug}.{extension}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def pdf(request: HttpRequest, slug: str) -> HttpResponse:
    from .pdf import carnet_pdf

    carnet = visible(request, slug)
    return _download(carnet, carnet_pdf(request, carnet), "application/pdf", "inline")


@require_GET
def offline(request: HttpRequest, slug: str) -> HttpResponse:
    from .offline import carnet_zip

    carnet = visible(request, slug)
    return _download(carnet, carnet_zip(request, carnet), "application/zip", "attachment")


def _creatable_groups(user):
    return Group.objects.filter(pk__in=groups_where(user, Capability.CREATE)).order_by("name")


@login_required
def new(request: HttpRequest) -> HttpResponse:
    """Step one: a title and a group; the carnet is made (private) and the editor opens."""
    groups = _creatable_groups(request.user)
    errors: dict[str, str] = {}
    title = request.POST.get("title", "").strip()
    chosen = request.POST.get("group", "") or request.GET.get("groupe", "")
    if request.method == "POST":
        group = groups.filter(slug=chosen).first()
        if not title:
            errors["title"] = _("Donnez un titre au carnet.")
        if group is None:
            errors["group"] = _("Choisissez un groupe dont vous êtes contributeur.")
        if not errors:
            try:
                carnet = services.create_carnet(request.user, group, title=title[:200])
            except (ValidationError, SpassError) as exc:
                errors["title"] = " ".join(
                    getattr(exc, "messages", None) or [getattr(exc, "message", str(exc))]
                )
            else:
                return redirect("publications:edit", slug=carnet.slug)
    context = {"groups": groups, "errors": errors, "title": title, "chosen": chosen}
    status = 400 if errors else (200 if groups.exists() else 403)
    return render(request, "publications/new.html", context, status=status)


@login_required
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    """The editor: the blocks are written by the page's script through the REST API."""
    carnet = visible(request, slug)
    if not may_edit(request.user, carnet):
        return render(request, "publications/forbidden.html", {"carnet": carnet}, status=403)
    from .api.serializers import CarnetSerializer

    data = CarnetSerializer(carnet, context={"request": request}).data
    media = [
        {
            "id": m.pk,
            "kind": m.kind,
            "name": m.name,
            "url": reverse("publications:media", args=[carnet.slug, m.pk]),
        }
        for m in carnet.media.all()[:500]
    ]
    context = {
        "carnet": carnet,
        "group": carnet.group,
        "editor_json": {
            "carnet": data,
            "media": media,
            "api": reverse("publications-api-detail", args=[carnet.slug]),
            "upload": reverse("publications-api-media", args=[carnet.slug]),
            "read": reverse("publications:detail", args=[carnet.slug]),
            "outlines": reverse("geo:basemap-outlines"),
            "isAuthor": carnet.author_id == request.user.pk,
            "mayChooseEditors": can(request.user, carnet.group, Capability.EDIT_ANY),
            "labels": labels(),
        },
        "can_validate": may_validate(request.user, carnet),
    }
    return render(request, "publications/editor.html", context)


@login_required
@require_POST
def validate(request: HttpRequest, slug: str) -> HttpResponse:
    carnet = visible(request, slug)
    try:
        services.validate(request.user, carnet)
    except SpassError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Validé : le carnet est maintenant diffusé."))
    return redirect("publications:detail", slug=slug)


@login_required
def delete(request: HttpRequest, slug: str) -> HttpResponse:
    carnet = visible(request, slug)
    if not may_edit(request.user, carnet):
        return render(request, "publications/forbidden.html", {"carnet": carnet}, status=403)
    if request.method == "POST":
        services.delete_carnet(request.user, carnet)
        messages.success(request, _("« %s » a été supprimé.") % carnet.title)
        return redirect("publications:list")
    return render(request, "publications/delete.html", {"carnet": carnet})


def json_script_data(value) -> str:
    return json.dumps(value, ensure_ascii=False)
