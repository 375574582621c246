"""``application/geo+json`` bodies, parsed like JSON (and, like JSON, read through Django's
``request.body``, so ``SPASS_MAX_BODY_BYTES`` applies: see the exception handler)."""

from rest_framework.parsers import JSONParser


class GeoJSONParser(JSONParser):
    media_type = "application/geo+json"
