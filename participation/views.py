"""The public side: the form (also framed on other sites), the follow-up page by secret
link, the e-mail confirmation, the map of accepted contributions, oEmbed and the QR code.
Views parse, call :mod:`.services`, render."""

from __future__ import annotations

import io
import json
from typing import Any
from urllib.parse import urlencode

import segno
from django.contrib.gis.db.models.functions import AsGeoJSON
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from observatoire.models import Resource
from workgroups.edge import feed_error, framable, oembed_response, oembed_target
from workgroups.markdown import render_markdown
from workgroups.pagination import paginate

from . import abuse, services
from .models import Form, Place, Submission, SubmissionPhoto
from .photos import thumbnail

#: Contributions the map draws at most (the list pages through all of them).
MAP_LIMIT = 500
EMBED_SIZE = (480, 760)
FIELD_ORDER = ("pseudonyme", "titre", "description", "lieu", "photos", "email", "consentement")


def accepted_resources(form: Form, user) -> Any:
    """The resources born of ``form``'s accepted contributions that ``user`` may see: the
    one rule decides (a contribution published at « groupe » level stays in the group)."""
    return Resource.objects.visible_to(user).filter(
        source=services.SOURCE, source_id__startswith=f"formulaire-{form.pk}/"
    )


def _bounds(form: Form) -> str:
    """The extent the map opens on (``xmin,ymin,xmax,ymax``): the accepted area, else the group's
    territory (an inhabitant of the Nord should not start from the whole of France)."""
    area = form.allowed_area() or form.group.territory
    return ",".join(f"{v:.5f}" for v in area.extent) if area is not None else ""


def _form_context(request: HttpRequest, form: Form, *, embedded: bool, errors=None, data=None):
    errors = errors or {}
    data = data or {}
    asked = [
        {**field, "key": f"attr_{field['name']}", "value": data.get(f"attr_{field['name']}", "")}
        for field in form.fields
    ]
    summary = [
        (key, errors[key]) for key in (*FIELD_ORDER, *[a["key"] for a in asked]) if key in errors
    ]
    summary += [(k, v) for k, v in errors.items() if k not in dict(summary)]
    return {
        "form": form,
        "intro": render_markdown(form.introduction),
        "asked": asked,
        "errors": errors,
        "summary": summary,
        "data": data,
        "token": abuse.started_token(form),
        "honeypot": abuse.HONEYPOT,
        "embedded": embedded,
        "is_open": form.is_open(),
        "Place": Place,
        "action": request.path,
        "map_url": reverse("participation:map", args=[form.slug]),
        "bounds": _bounds(form),
    }


def _submit(request: HttpRequest, form: Form, embedded: bool) -> HttpResponse:
    data = request.POST
    try:
        outcome = services.submit(
            form, data, request.FILES.getlist("photos"), address=abuse.address_of(request)
        )
    except abuse.Refused as refusal:
        context = _form_context(
            request, form, embedded=embedded, errors={refusal.field: refusal.message}, data=data
        )
        return _page(request, context, status=refusal.status)
    except ValidationError as error:
        errors = {k: " ".join(v) for k, v in error.message_dict.items()}
        context = _form_context(request, form, embedded=embedded, errors=errors, data=data)
        return _page(request, context, status=400)
    url = reverse("participation:status", args=[outcome.submission.secret])
    return redirect(url + ("?integre=1" if embedded else "?nouvelle=1"))


def _page(request: HttpRequest, context: dict, status: int = 200) -> HttpResponse:
    template = "participation/embed.html" if context["embedded"] else "participation/form.html"
    response = render(request, template, context, status=status)
    return framable(response) if context["embedded"] else response


def _form(request: HttpRequest, slug: str, *, embedded: bool) -> HttpResponse:
    form = get_object_or_404(Form.objects.select_related("group"), slug=slug)
    if request.method == "POST":
        return _submit(request, form, embedded)
    return _page(request, _form_context(request, form, embedded=embedded))


# anonymous and stateless (no session is read): the honeypot and the signed start time guard it
@csrf_exempt
@require_http_methods(["GET", "POST"])
def form_page(request: HttpRequest, slug: str) -> HttpResponse:
    return _form(request, slug, embedded=False)


@csrf_exempt
@xframe_options_exempt
@require_http_methods(["GET", "POST"])
def embed(request: HttpRequest, slug: str) -> HttpResponse:
    """The same form, framed by a commune's site (any origin may frame it)."""
    return _form(request, slug, embedded=True)


@require_GET
def oembed(request: HttpRequest) -> HttpResponse:
    """oEmbed (rich) of a form's address: the iframe of its embeddable page."""
    match, who, failure = oembed_target(
        request,
        ("participation:form", "participation:embed"),
        _("Paramètre « url » : ce n'est pas l'adresse d'un formulaire participatif du site."),
    )
    if failure:
        return failure
    form = Form.objects.filter(slug=match.kwargs["slug"]).first()
    if form is None:
        return feed_error(404, _("Paramètre « url » : formulaire introuvable."))
    src = request.build_absolute_uri(reverse("participation:embed", args=[form.slug]))
    return oembed_response(request, who, title=form.title, src=src, size=EMBED_SIZE)


@require_GET
@xframe_options_exempt
def status(request: HttpRequest, secret: str) -> HttpResponse:
    """Where the contribution stands: whoever holds the secret link sees it, nobody else."""
    submission = get_object_or_404(
        Submission.objects.select_related("form", "resource"), secret=secret[:64]
    )
    context = {
        "submission": submission,
        "form": submission.form,
        "link": request.build_absolute_uri(request.path),
        "new": "nouvelle" in request.GET or "integre" in request.GET,
        "embedded": "integre" in request.GET,
    }
    response = render(request, "participation/status.html", context)
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return framable(response) if context["embedded"] else response


@require_GET
def confirm(request: HttpRequest, secret: str) -> HttpResponse:
    submission = services.confirm(secret[:64])
    if submission is None:
        raise Http404
    return redirect(reverse("participation:status", args=[submission.secret]))


@require_GET
def map_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Accepted contributions the visitor may see: a map of at most ``MAP_LIMIT`` and the
    paginated list that is its alternative."""
    form = get_object_or_404(Form.objects.select_related("group"), slug=slug)
    rows = accepted_resources(form, request.user).order_by("-created_at", "-id")
    drawn = rows.annotate(gj=AsGeoJSON("geom", precision=6)).values_list("pk", "title", "gj")
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": json.loads(geometry),
                "properties": {"title": title, "url": reverse("observatoire:detail", args=[pk])},
            }
            for pk, title, geometry in drawn[:MAP_LIMIT]
            if geometry
        ],
    }
    context = {
        "form": form,
        "pages": paginate(request, rows.only("title", "kind", "created_at", "attributes")),
        "geojson": collection,
        "map_limit": MAP_LIMIT,
    }
    return render(request, "participation/map.html", context)


def _qr_target(request: HttpRequest, slug: str) -> str:
    form = get_object_or_404(Form, slug=slug)
    return request.build_absolute_uri(reverse("participation:form", args=[form.slug]))


@require_GET
def qr_png(request: HttpRequest, slug: str) -> HttpResponse:
    out = io.BytesIO()
    segno.make(_qr_target(request, slug), error="m").save(out, kind="png", scale=8, border=4)
    response = HttpResponse(out.getvalue(), content_type="image/png")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
def qr_svg(request: HttpRequest, slug: str) -> HttpResponse:
    out = io.BytesIO()
    segno.make(_qr_target(request, slug), error="m").save(
        out, kind="svg", scale=8, border=4, title=_("QR code du formulaire")
    )
    response = HttpResponse(out.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
def photo(request: HttpRequest, pk: int) -> HttpResponse:
    """A pending contribution's photo (``?taille=vignette``: its thumbnail), for the group's
    moderators only."""
    stored = get_object_or_404(
        SubmissionPhoto, pk=pk, submission__in=Submission.objects.moderable_by(request.user)
    )
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    if request.GET.get("taille") == "vignette":
        with handle:
            response = HttpResponse(thumbnail(handle), content_type="image/jpeg")
    else:
        response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response


def share_links(request: HttpRequest, form: Form) -> dict[str, str]:
    """Addresses an animateur hands out: the form, its iframe, its oEmbed, its QR codes."""
    page = request.build_absolute_uri(reverse("participation:form", args=[form.slug]))
    oembed_url = reverse("participation:oembed") + "?" + urlencode({"url": page, "format": "json"})
    return {
        "page": page,
        "embed": request.build_absolute_uri(reverse("participation:embed", args=[form.slug])),
        "oembed": request.build_absolute_uri(oembed_url),
        "qr_png": reverse("participation:qr-png", args=[form.slug]),
        "qr_svg": reverse("participation:qr-svg", args=[form.slug]),
    }
