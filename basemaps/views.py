"""``/basemaps/``: MapLibre styles of the catalogue (tiles and WMTS come from MapProxy)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from .mapproxy import wsgi_app
from .models import OFFLINE_SLUG, Basemap
from .services import maplibre_style


@require_GET
def style(request: HttpRequest, slug: str) -> JsonResponse:
    basemap = Basemap.objects.filter(slug=slug, enabled=True).first()
    if basemap is None and slug != OFFLINE_SLUG:
        raise Http404("Fond de carte introuvable.")
    return JsonResponse(maplibre_style(basemap))


@require_GET
def mapproxy(request: HttpRequest, path: str) -> HttpResponse:
    """Tiles and capabilities from the in-process MapProxy (cached under var/)."""
    environ = dict(request.META, PATH_INFO="/" + path, SCRIPT_NAME="/basemaps")
    answer: dict = {}

    def start_response(status: str, headers: list, exc_info=None):
        answer["status"], answer["headers"] = int(status.split(" ", 1)[0]), headers

    body = b"".join(wsgi_app()(environ, start_response))
    response = HttpResponse(body, status=answer["status"])
    for name, value in answer["headers"]:
        response[name] = value
    return response
