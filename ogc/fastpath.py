"""WSGI fast path: the GeoJSON of ``items`` and ``item`` answered before Django.

GIS clients page through ``/ogc/collections/{id}/items`` anonymously or with a feed key in
the URL (``?key=``). Such a request needs no session, middleware or URL resolution: it is
answered here with the view's own functions (``items_document`` / ``item_document`` over the
provider, so the same ``visible_to(user)`` SQL, checks and document), the view's headers and
those the middleware stack adds. The feed key is resolved by one prepared statement
(:func:`~workgroups.auth.feed_key_owner`) at every request: a revoked key or a deactivated
account is refused at once.

Anything else goes to Django unchanged: another method, an ``Authorization`` header, a cookie,
a language asked for (``Accept-Language``, ``lang``), a format other than GeoJSON, a wrong key
(401), a bad parameter (400) or a hidden feature (404), whose answers Django words. The
lifecycle signals and the headers Django's middleware adds come from the edge's
:class:`~workgroups.edge.FastPath`; who asks from :func:`~workgroups.edge.fast_person`.
"""

from __future__ import annotations

import re

from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.urls import reverse
from pygeoapi import l10n
from pygeoapi.api import FORMAT_TYPES
from pygeoapi.util import get_choice_from_headers

from observatoire.catalogue import COLLECTIONS
from workgroups.edge import FastAnswer, FastPath, fast_person, mark_personal

from .api import get_api
from .features import NotFound, item_document, items_document
from .params import ParameterError
from .views import VARY

ITEMS_PATH = re.compile(r"^/ogc/collections/([^/]+)/items(?:/([^/]+))?$")
#: pygeoapi's formats by media type, as its ``APIRequest`` reads ``Accept``.
FORMAT_OF_TYPE = {mime: fmt for fmt, mime in FORMAT_TYPES.items()}


def negotiated_format(f: str | None, accept: str) -> str | None:
    """The format pygeoapi's ``APIRequest`` would pick: ``f``, else the first ``Accept``
    type it knows (None: nothing asked, GeoJSON)."""
    if f and f.strip():
        return f.strip()
    types = get_choice_from_headers({"accept": accept}, "accept", all=True) if accept else None
    return next((FORMAT_OF_TYPE[t] for t in types or () if t in FORMAT_OF_TYPE), None)


class OgcFeatures(FastPath):
    """Wraps the Django WSGI application (``config/wsgi.py``)."""

    #: Django answers these with its message (400, 404, 400).
    deferred = (ParameterError, NotFound, DisallowedHost)

    def eligible(self, environ: dict) -> bool:
        """A GET of items or an item that no header credential, cookie or language
        accompanies."""
        if (
            environ.get("REQUEST_METHOD") != "GET"
            or environ.get("HTTP_AUTHORIZATION")
            or environ.get("HTTP_COOKIE")
            or environ.get("HTTP_ACCEPT_LANGUAGE")
        ):
            return False
        match = ITEMS_PATH.match(environ.get("PATH_INFO", ""))
        return match is not None and match[1] in COLLECTIONS

    def answer(self, environ: dict) -> FastAnswer | None:
        match = ITEMS_PATH.match(environ["PATH_INFO"])
        # A copy: WSGIRequest writes the decoded path back into the environ it is given,
        # and Django, answering when this path does not, must read the server's original
        # (a decoded « Ⱥ » cannot be read back as WSGI bytes: it was a 500).
        request = WSGIRequest(dict(environ))
        params = request.GET
        fmt = negotiated_format(params.get("f"), environ.get("HTTP_ACCEPT", ""))
        if "lang" in params or fmt not in (None, "json"):
            return None
        user = fast_person(environ, params)
        if user is None:
            return None  # Django answers 401 with its message
        api = get_api(request.build_absolute_uri(reverse("ogc:landing")).rstrip("/"))
        locale = l10n.str2locale(api.locales[0])
        if match[2] is None:
            headers, body = items_document(api, fmt, locale, params, match[1], user)
        else:
            headers, body = item_document(api, fmt, locale, params, match[1], match[2], user)
        data = body.encode() if isinstance(body, str) else body
        mark_personal(headers, personal=user.is_authenticated, vary=VARY)
        return FastAnswer(200, headers, data)
