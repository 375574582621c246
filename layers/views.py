"""Dynamic maps: list, viewer (filter panel, legend, list alternative), embed, oEmbed, uMap."""

from __future__ import annotations

import json
from urllib.parse import urlencode, urlsplit

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET, require_http_methods

from exports.formats import FORMATS
from observatoire.cql import FilterError
from workgroups import sharing
from workgroups.edge import (
    Person,
    allow_any_origin,
    feed_error,
    feed_response,
    framable,
    oembed_response,
    oembed_target,
    person_or_401,
)
from workgroups.models import Group
from workgroups.pagination import paginate
from workgroups.permissions import capabilities_anywhere
from workgroups.roles import Capability

from . import umap_keys
from .filters import combine, from_cql2
from .forms import FilterForm
from .models import Map
from .services import LIST_PAGE, list_records, list_rows, map_features, viewer_config
from .umap import needs_key, umap_document

EMBED_SIZE = (800, 600)


def _who_or_401(request: HttpRequest) -> tuple[Person | None, HttpResponse | None]:
    who, failure = person_or_401(request)
    return who, failure and allow_any_origin(failure)


def _visible_map(user, slug: str) -> Map:
    carte = (
        Map.objects.visible_to(user).select_related("group", "basemap").filter(slug=slug).first()
    )
    if carte is None:
        raise Http404(_("Carte introuvable."))
    return carte


@require_GET
def map_list(request: HttpRequest) -> HttpResponse:
    who, failure = _who_or_401(request)
    if failure:
        return failure
    user = who.user
    visible = Map.objects.visible_to(user).select_related("group").order_by("title", "id")
    group = Group.objects.filter(slug=request.GET.get("groupe", "")).first()
    if group is not None:
        visible = visible.filter(group=group)
    context = {
        "maps": paginate(request, visible),
        "group": group,
        "may_create": Capability.CREATE in capabilities_anywhere(user),
    }
    return feed_response(render(request, "layers/map_list.html", context), who)


def _viewer(request: HttpRequest, slug: str, embed: bool) -> HttpResponse:
    who, failure = _who_or_401(request)
    if failure:
        return failure
    user = who.user
    carte = _visible_map(user, slug)
    bases = {layer.base for layer in carte.ordered_layers()}
    if "appliquer" in request.GET:
        form = FilterForm(request.GET, bases=bases)
        if form.is_valid():
            cql = form.to_cql2()
            query = ("?" + urlencode({"filter": cql})) if cql else ""
            return HttpResponseRedirect(request.path + query)
        return _render_viewer(request, carte, who, "", form, embed, status=400)
    cql = request.GET.get("filter", "").strip()
    form = FilterForm(initial=FilterForm.initial_from(from_cql2(cql)), bases=bases)
    return _render_viewer(request, carte, who, cql, form, embed)


def _render_viewer(request, carte, who: Person, cql, form, embed, status=200) -> HttpResponse:
    filter_error = ""
    try:
        pages = paginate(
            request, list_records(map_features(carte, who.user, cql)), per_page=LIST_PAGE
        )
        rows = list_rows(pages.rows)
    except FilterError as exc:
        filter_error = _("Paramètre « filter » : %(message)s") % {"message": exc.message}
        pages, rows, cql, status = None, [], "", 400
    config = viewer_config(carte, cql)
    query = ("?" + urlencode({"filter": cql})) if cql else ""
    context = {
        "carte": carte,
        "form": form,
        "cql": cql,
        "filter_error": filter_error,
        "rows": rows,
        "pages": pages,
        "embed": embed,
        "may_edit": not embed and sharing.may_edit(who.user, carte),
        # the animateur a « carte à valider » notification brings here decides here
        "may_validate": not embed and sharing.may_validate(who.user, carte),
        "config": config,
        "query": query,
        "downloads": _downloads(carte, cql),
        "oembed_url": request.build_absolute_uri(reverse("layers:oembed"))
        + "?"
        + urlencode(
            {
                "url": request.build_absolute_uri(reverse("layers:viewer", args=[carte.slug])),
                "format": "json",
            }
        ),
    }
    template = "layers/embed.html" if embed else "layers/viewer.html"
    return feed_response(render(request, template, context, status=status), who)


def _downloads(carte: Map, cql: str) -> list[dict]:
    """Per layer, a link per format to exactly what the layer shows with the viewer's filter."""
    out = []
    for layer in carte.ordered_layers():
        combined = combine(layer.cql, cql)
        query = ("?" + urlencode({"filter": combined})) if combined else ""
        out.append(
            {
                "layer": layer,
                "links": [
                    {
                        "label": fmt.label,
                        "url": reverse("exports:export", args=[layer.collection, name]) + query,
                    }
                    for name, fmt in FORMATS.items()
                ],
            }
        )
    return out


@require_GET
def viewer(request: HttpRequest, slug: str) -> HttpResponse:
    return _viewer(request, slug, embed=False)


@require_GET
@xframe_options_exempt
def embed(request: HttpRequest, slug: str) -> HttpResponse:
    return framable(_viewer(request, slug, embed=True))


@require_GET
def oembed(request: HttpRequest) -> HttpResponse:
    """oEmbed (rich type) for a map URL of this site, filter included."""
    match, who, failure = oembed_target(
        request,
        ("layers:viewer", "layers:embed"),
        _("Paramètre « url » : ce n'est pas l'adresse d'une carte du site."),
    )
    if failure:
        return failure
    carte = Map.objects.visible_to(who.user).filter(slug=match.kwargs["slug"]).first()
    if carte is None:
        return feed_error(404, _("Paramètre « url » : carte introuvable."))
    src = request.build_absolute_uri(reverse("layers:embed", args=[carte.slug]))
    query = urlsplit(request.GET["url"]).query
    if query:
        src += "?" + query
    return oembed_response(request, who, title=carte.title, src=src, size=EMBED_SIZE)


@require_http_methods(["GET", "HEAD", "POST"])
def umap_export(request: HttpRequest, slug: str) -> HttpResponse:
    """The map as a uMap file: live layers on our OGC API, or inline data with ``inline=1``.
    A live file of a map the anonymous do not see asks its reader which key to embed (a page
    with their keys, « new key uMap » and « none »), then answers the POSTed choice."""
    who, failure = _who_or_401(request)
    if failure:
        return failure
    user = who.user
    carte = _visible_map(user, slug)
    inline = request.GET.get("inline") == "1"
    key = ""
    if needs_key(carte, user, inline):
        key = umap_keys.key_of_request(request)
        if key is None and request.method != "POST":
            return _umap_key_page(request, carte)
        if key is None:
            try:
                key = umap_keys.chosen_key(user, request.POST.get("cle", ""))
            except ValidationError as exc:
                return _umap_key_page(request, carte, " ".join(exc.messages), status=400)
    document = umap_document(
        carte, user, request.build_absolute_uri("/").rstrip("/"), inline=inline, key=key
    )
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=1), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{carte.slug}.umap"'
    return feed_response(response, who)


def _umap_key_page(request: HttpRequest, carte: Map, error: str = "", status: int = 200):
    return render(
        request,
        "layers/umap_key.html",
        {
            "carte": carte,
            "keys": list(umap_keys.usable_keys(request.user)[:50]),
            "error": error,
            "NEW": umap_keys.NEW,
            "NONE": umap_keys.NONE,
        },
        status=status,
    )
