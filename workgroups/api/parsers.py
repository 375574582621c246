"""Request body parsing with the configured size limit (``SPASS_MAX_BODY_BYTES``).

DRF's parsers read the raw stream, bypassing Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` check,
so the limit is enforced here and answered with 413.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers, status


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


class JSONParser(parsers.JSONParser):
    """JSON and GeoJSON bodies, refused with 413 beyond the configured size."""

    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        data = stream.read(limit + 1) if stream is not None else b""
        if limit is not None and len(data) > limit:
            raise RequestTooLarge(
                _("Le corps de la requête dépasse la taille maximale (%(limit)s octets).")
                % {"limit": limit}
            )
        return super().parse(io.BytesIO(data), media_type, parser_context)


class GeoJSONParser(JSONParser):
    media_type = "application/geo+json"
