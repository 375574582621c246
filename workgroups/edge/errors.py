"""One error body for every machine channel (OGC API, tiles, exports, feeds, maps' machine
answers, the edge's own 400 and 429): ``{"code": …, "description": …}``, the exception
document of OGC API Features (pygeoapi answers with it, plus a ``type`` repeating ``code``).

DRF's REST API (``/api/v1/``) keeps DRF's ``{"detail": …}`` and its per-field validation
errors (``{"title": ["…"]}``): they carry which field is wrong, which this shape cannot, and
its OpenAPI schema and clients are written against them.
"""

from __future__ import annotations

import json

from django.http import HttpResponse

#: The code of each status when the caller names none (OGC API exception codes).
CODES = {
    400: "InvalidParameterValue",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    412: "PreconditionFailed",
    413: "PayloadTooLarge",
    415: "UnsupportedMediaType",
    429: "TooManyRequests",
    501: "NotImplemented",
}
#: What a 401 asks for: the browser's and QGIS's password dialog.
WWW_AUTHENTICATE = 'Basic realm="S-PASS Territoires"'


def error_body(code: str, description: str) -> bytes:
    return json.dumps({"code": code, "description": description}, ensure_ascii=False).encode()


def error_response(status: int, description: str, code: str | None = None) -> HttpResponse:
    """The JSON error answer; a 401 carries ``WWW-Authenticate``."""
    response = HttpResponse(
        error_body(code or CODES.get(status, "ServerError"), description),
        status=status,
        content_type="application/json; charset=utf-8",
    )
    if status == 401:
        response["WWW-Authenticate"] = WWW_AUTHENTICATE
    return response


def reshaped(content: str | bytes) -> bytes | None:
    """An exception document of pygeoapi (``code``, ``type``, ``description``) in the one
    shape, or None when ``content`` is not one."""
    try:
        document = json.loads(content)
    except (TypeError, ValueError):
        return None
    if not isinstance(document, dict) or not {"code", "description"} <= document.keys():
        return None
    return error_body(str(document["code"]), str(document["description"]))
