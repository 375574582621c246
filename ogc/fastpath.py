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
(401), a bad parameter (400) or a hidden feature (404), whose answers Django words.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest, get_script_name
from django.core.signals import request_finished, request_started
from django.urls import reverse, set_script_prefix
from django.utils import translation
from pygeoapi import l10n
from pygeoapi.api import FORMAT_TYPES
from pygeoapi.util import get_choice_from_headers

from observatoire.catalogue import COLLECTIONS
from workgroups.auth import FEED_KEY_PARAM, feed_key_owner
from workgroups.cors import feed_headers
from workgroups.models import User

from .api import get_api
from .features import NotFound, item_document, items_document
from .pagesql import remember
from .params import ParameterError
from .views import VARY

ITEMS_PATH = re.compile(r"^/ogc/collections/([^/]+)/items(?:/([^/]+))?$")
#: pygeoapi's formats by media type, as its ``APIRequest`` reads ``Accept``.
FORMAT_OF_TYPE = {mime: fmt for fmt, mime in FORMAT_TYPES.items()}

logger = logging.getLogger(__name__)


def negotiated_format(f: str | None, accept: str) -> str | None:
    """The format pygeoapi's ``APIRequest`` would pick: ``f``, else the first ``Accept``
    type it knows (None: nothing asked, GeoJSON)."""
    if f and f.strip():
        return f.strip()
    types = get_choice_from_headers({"accept": accept}, "accept", all=True) if accept else None
    return next((FORMAT_OF_TYPE[t] for t in types or () if t in FORMAT_OF_TYPE), None)


def _person(key: str) -> User | None:
    """The account behind a valid feed key. The object is kept per process: it only names
    the person whose visibility SQL is compiled (memberships are read by that SQL)."""
    owner = feed_key_owner(key)
    if owner is None:
        return None
    return remember(("person", owner), lambda: User.objects.get(pk=owner))


class OgcFeatures:
    """Wraps the Django WSGI application (``config/wsgi.py``)."""

    def __init__(self, app: Callable) -> None:
        self.app = app

    def _plain(self, environ: dict) -> bool:
        """A GET that nothing personal but a feed key, nor any language, accompanies."""
        return (
            environ.get("REQUEST_METHOD") == "GET"
            and not environ.get("HTTP_AUTHORIZATION")
            and not environ.get("HTTP_COOKIE")
            and not environ.get("HTTP_ACCEPT_LANGUAGE")
        )

    def _answer(self, environ: dict) -> tuple[list[tuple[str, str]], bytes] | None:
        """Headers and body of the answer, or None when Django must answer."""
        if not self._plain(environ):
            return None
        match = ITEMS_PATH.match(environ.get("PATH_INFO", ""))
        if match is None or match[1] not in COLLECTIONS:
            return None
        # A copy: WSGIRequest writes the decoded path back into the environ it is given,
        # and Django, answering when this path does not, must read the server's original
        # (a decoded « Ⱥ » cannot be read back as WSGI bytes: it was a 500).
        request = WSGIRequest(dict(environ))
        params = request.GET
        fmt = negotiated_format(params.get("f"), environ.get("HTTP_ACCEPT", ""))
        if "lang" in params or fmt not in (None, "json"):
            return None
        set_script_prefix(get_script_name(environ))
        request_started.send(sender=self.__class__, environ=environ)
        key = params.get(FEED_KEY_PARAM)
        user = _person(key) if key else AnonymousUser()
        if user is None:
            return None  # Django answers 401 with its message
        api = get_api(request.build_absolute_uri(reverse("ogc:landing")).rstrip("/"))
        translation.activate(settings.LANGUAGE_CODE)
        locale = l10n.str2locale(api.locales[0])
        if match[2] is None:
            headers, body = items_document(api, fmt, locale, params, match[1], user)
        else:
            headers, body = item_document(api, fmt, locale, params, match[1], match[2], user)
        data = body.encode() if isinstance(body, str) else body
        if key:
            headers["Cache-Control"] = "private"
        headers["Vary"] = ", ".join(VARY)
        return [
            *headers.items(),
            *feed_headers(settings.LANGUAGE_CODE),
            ("Content-Length", str(len(data))),
        ], data

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        try:
            answer = self._answer(environ)
        except (ParameterError, NotFound, DisallowedHost):
            answer = None  # Django answers 400/404 with its message
        except Exception:
            logger.warning("OGC request %s left to Django", environ.get("PATH_INFO"), exc_info=True)
            answer = None
        if answer is None:
            return self.app(environ, start_response)
        headers, data = answer
        start_response("200 OK", headers)
        request_finished.send(sender=self.__class__)
        return [data]
