"""Pages other sites show in an iframe (a map, a portal's latest items) and their oEmbed
answers: the frame headers and the « rich » oEmbed document, written once for every
embeddable page (https://oembed.com, section 2.3.4)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import Resolver404, ResolverMatch, resolve
from django.utils.html import format_html
from django.utils.translation import gettext as _

from .person import Person, allow_any_origin, feed_error, feed_response, person_or_401


def framable(response: HttpResponse) -> HttpResponse:
    """Any site may frame this answer (the view is also ``xframe_options_exempt``)."""
    response["Content-Security-Policy"] = "frame-ancestors *"
    return response


def dimension(request: HttpRequest, name: str, default: int) -> int:
    """``maxwidth``/``maxheight``: a positive integer, never more than ``default``."""
    value = request.GET.get(name, "")
    return min(int(value), default) if value.isdigit() and int(value) > 0 else default


def oembed_target(
    request: HttpRequest, view_names: tuple[str, ...], not_ours: str
) -> tuple[ResolverMatch | None, Person | None, HttpResponse | None]:
    """The page the oEmbed ``url`` parameter names, when it is one of ``view_names``, and
    who asks: ``(match, who, None)``, or ``(None, None, the answer)`` — 501 for a ``format``
    other than json (as the spec asks), 404 with ``not_ours`` for any other address, 401 for
    wrong credentials."""
    if request.GET.get("format", "json") != "json":
        return None, None, feed_error(501, _("Paramètre « format » : seul json est proposé."))
    url = request.GET.get("url", "")
    try:
        match = resolve(urlsplit(url).path) if url else None
    except Resolver404:
        match = None
    if match is None or match.view_name not in view_names:
        return None, None, feed_error(404, not_ours)
    who, failure = person_or_401(request)
    if failure:
        return None, None, allow_any_origin(failure)
    return match, who, None


def oembed_response(
    request: HttpRequest, who: Person, *, title: str, src: str, size: tuple[int, int]
) -> HttpResponse:
    """The rich oEmbed document whose HTML is an iframe of ``src``, at most ``size``."""
    width = dimension(request, "maxwidth", size[0])
    height = dimension(request, "maxheight", size[1])
    html = format_html(
        '<iframe src="{}" width="{}" height="{}" title="{}" style="border:0" '
        'loading="lazy" allowfullscreen></iframe>',
        src,
        width,
        height,
        title,
    )
    payload = {
        "version": "1.0",
        "type": "rich",
        "title": title,
        "provider_name": "S-PASS Territoires",
        "provider_url": request.build_absolute_uri("/"),
        "html": html,
        "width": width,
        "height": height,
    }
    return feed_response(JsonResponse(payload), who)
