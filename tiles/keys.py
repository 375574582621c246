"""Where a feed key is pasted to read the vector tiles (:mod:`workgroups.hooks`): the
TileJSON of the observatoire, for QGIS (« Tuiles vectorielles ») or MapLibre."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _


def addresses(request: HttpRequest, key: str) -> list[tuple[str, str]]:
    tilejson = request.build_absolute_uri(reverse("tiles:tilejson", args=["observatoire"]))
    return [(_("QGIS — tuiles vectorielles (TileJSON)"), f"{tilejson}?{urlencode({'key': key})}")]
