"""DRF authentication for the API, built on the edge's :func:`~workgroups.edge.person` (one way
to read credentials, the one of every channel).

``Authorization: Token …`` works for every method; HTTP Basic (QGIS, GDAL) and feed keys are
read-only credentials, accepted on safe methods only. Sessions go through DRF's
``SessionAuthentication`` (which enforces CSRF), listed after this class in the settings.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request

from workgroups.auth import FEED_KEY_PARAM, is_personal
from workgroups.edge import Unauthorized, mark_personal, person


class HeaderAuthentication(authentication.BaseAuthentication):
    """Token (any method), Basic and ``?key=`` (safe methods only) through ``request_user``."""

    def authenticate(self, request: Request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        scheme = header.split(" ", 1)[0].lower() if header else ""
        has_key = bool(request.query_params.get(FEED_KEY_PARAM))
        if scheme not in ("basic", "token") and not has_key:
            return None
        if scheme != "token" and request.method not in SAFE_METHODS:
            raise exceptions.AuthenticationFailed(
                _(
                    "L'authentification Basic et les clés de flux ne servent qu'à la lecture ; "
                    "pour écrire, utilisez un jeton (Authorization: Token …)."
                )
            )
        try:
            user = person(request._request).user
        except Unauthorized as exc:
            raise exceptions.AuthenticationFailed(exc.message) from exc
        return (user, None) if user.is_authenticated else None

    def authenticate_header(self, request: Request) -> str:
        return "Token"


class PersonalResponseMixin:
    """Answers that depend on who asks must not be shared by caches: ``Vary`` on the
    credentials, and ``Cache-Control: private`` when the request carries some."""

    def finalize_response(self, request: Request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        return mark_personal(response, is_personal(request._request))
