"""Where a feed key is pasted to read the OGC API (a key-address contributor of
:mod:`workgroups.hooks`): the QGIS connection (« OGC API - Entités ») and the uMap remote
data of a collection."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _


def addresses(request: HttpRequest, key: str) -> list[tuple[str, str]]:
    landing = request.build_absolute_uri(reverse("ogc:landing"))
    items = request.build_absolute_uri(reverse("ogc:items", args=["observatoire"]))
    return [
        (_("QGIS — connexion « OGC API - Entités » (URL)"), f"{landing}?{urlencode({'key': key})}"),
        (
            _("uMap — données distantes (GeoJSON de l'observatoire, 1 000 objets)"),
            f"{items}?{urlencode({'f': 'json', 'limit': 1000, 'key': key})}",
        ),
    ]
