"""``/basemaps/``: MapLibre styles of the catalogue (tiles and WMTS come from MapProxy)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from .models import OFFLINE_SLUG, Basemap
from .services import maplibre_style


@require_GET
def style(request: HttpRequest, slug: str) -> JsonResponse:
    basemap = Basemap.objects.filter(slug=slug, enabled=True).first()
    if basemap is None and slug != OFFLINE_SLUG:
        raise Http404("Fond de carte introuvable.")
    return JsonResponse(maplibre_style(basemap))
