"""DRF authentication for the API, built on :mod:`workgroups.auth` (one way to read credentials).

``Authorization: Token …`` works for every method; HTTP Basic (QGIS, GDAL) and feed keys are
read-only credentials, accepted on safe methods only. Sessions go through DRF's
``SessionAuthentication`` (which enforces CSRF), listed after this class in the settings.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request

from workgroups.auth import FEED_KEY_PARAM, BadCredentials, request_user


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
            user = request_user(request._request)
        except BadCredentials as exc:
            raise exceptions.AuthenticationFailed(str(exc)) from exc
        return (user, None) if user.is_authenticated else None

    def authenticate_header(self, request: Request) -> str:
        return "Token"
