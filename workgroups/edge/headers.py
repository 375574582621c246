"""The headers Django's middleware stack adds to an answer, computed once from the settings,
for the answers given before or outside that stack: the WSGI fast paths, and the edge's own
400 and 429 (which :class:`~workgroups.edge.input.EdgeMiddleware` returns before the locale,
clickjacking and CORS middleware could add theirs).

What the stack of ``config/settings.py`` adds to a GET:

- ``SecurityMiddleware``: ``X-Content-Type-Options``, ``Referrer-Policy``,
  ``Cross-Origin-Opener-Policy`` (and ``Strict-Transport-Security`` on secure requests when
  ``SECURE_HSTS_SECONDS`` is set);
- ``LocaleMiddleware``: ``Content-Language`` and ``Accept-Language`` in ``Vary``;
- ``XFrameOptionsMiddleware``: ``X-Frame-Options``;
- :class:`FeedCorsMiddleware` (below): ``Access-Control-Allow-Origin: *`` on the feeds;
- ``CommonMiddleware``: ``Content-Length`` (the fast paths send it with their body).

CORS on the read-only feeds that other sites' browsers fetch (a uMap instance reading our
OGC API items for a live layer): ``Access-Control-Allow-Origin: *``, never credentials — a
private feed is read with a feed key in its URL, not with cookies.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from functools import cache

from django.conf import settings
from django.core.signals import setting_changed
from django.http import HttpRequest, HttpResponse

#: Path prefixes of the feeds (the OGC API; exports and .umap files set it themselves).
FEED_PREFIXES = ("/ogc/",)
_SECURITY_MIDDLEWARE = "django.middleware.security.SecurityMiddleware"
_LOCALE_MIDDLEWARE = "django.middleware.locale.LocaleMiddleware"
_XFRAME_MIDDLEWARE = "django.middleware.clickjacking.XFrameOptionsMiddleware"
_CORS_MIDDLEWARE = "workgroups.edge.FeedCorsMiddleware"
#: Settings the headers are computed from (the cache is dropped when a test changes one).
_SOURCES = {
    "MIDDLEWARE",
    "USE_I18N",
    "X_FRAME_OPTIONS",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
}


class FeedCorsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method in ("GET", "HEAD") and request.path.startswith(FEED_PREFIXES):
            response.setdefault("Access-Control-Allow-Origin", "*")
        return response


@cache
def _static() -> tuple[tuple[tuple[str, str], ...], bool, bool, str | None]:
    """(headers every answer gets, locale middleware on, feed CORS on, HSTS value)."""
    installed = set(settings.MIDDLEWARE)
    headers: list[tuple[str, str]] = []
    hsts = None
    if _SECURITY_MIDDLEWARE in installed:
        if settings.SECURE_CONTENT_TYPE_NOSNIFF:
            headers.append(("X-Content-Type-Options", "nosniff"))
        policy = settings.SECURE_REFERRER_POLICY
        if policy:
            values = [v.strip() for v in policy.split(",")] if isinstance(policy, str) else policy
            headers.append(("Referrer-Policy", ",".join(values)))
        if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
            headers.append(
                ("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY)
            )
        if settings.SECURE_HSTS_SECONDS:
            hsts = f"max-age={settings.SECURE_HSTS_SECONDS}"
            if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
                hsts += "; includeSubDomains"
            if settings.SECURE_HSTS_PRELOAD:
                hsts += "; preload"
    if _XFRAME_MIDDLEWARE in installed:
        headers.append(("X-Frame-Options", getattr(settings, "X_FRAME_OPTIONS", "DENY").upper()))
    locale = _LOCALE_MIDDLEWARE in installed and settings.USE_I18N
    return tuple(headers), locale, _CORS_MIDDLEWARE in installed, hsts


def _forget(setting: str, **kwargs) -> None:
    if setting in _SOURCES:
        _static.cache_clear()


setting_changed.connect(_forget)


def _is_secure(environ: dict) -> bool:
    """``HttpRequest.is_secure()`` read from a WSGI environ."""
    proxy = settings.SECURE_PROXY_SSL_HEADER
    if proxy:
        header, secure_value = proxy
        value = environ.get(header)
        if value is not None:
            return value.split(",", 1)[0].strip() == secure_value
    return environ.get("wsgi.url_scheme") == "https"


def add_vary(headers: MutableMapping[str, str], names: tuple[str, ...]) -> None:
    """``patch_vary_headers`` on a plain mapping (or a response)."""
    current = headers.get("Vary", "")
    present = [v.strip() for v in current.split(",") if v.strip()]
    lower = {v.lower() for v in present}
    added = [n for n in names if n.lower() not in lower]
    if added:
        headers["Vary"] = ", ".join([*present, *added])


def middleware_headers(
    headers: MutableMapping[str, str], environ: dict, language: str
) -> MutableMapping[str, str]:
    """Add to ``headers`` (a dict or a Django response, names as Django spells them) what
    the middleware stack would add to a GET of ``environ``'s path answered in ``language``;
    headers already set are kept, as the middleware does."""
    static, locale, cors, hsts = _static()
    path = environ.get("PATH_INFO", "")
    if (
        cors
        and environ.get("REQUEST_METHOD") in ("GET", "HEAD")
        and path.startswith(FEED_PREFIXES)
        and "Access-Control-Allow-Origin" not in headers
    ):
        headers["Access-Control-Allow-Origin"] = "*"
    if locale:
        add_vary(headers, ("Accept-Language",))
        if "Content-Language" not in headers:
            headers["Content-Language"] = language
    if hsts and "Strict-Transport-Security" not in headers and _is_secure(environ):
        headers["Strict-Transport-Security"] = hsts
    for name, value in static:
        if name not in headers:
            headers[name] = value
    return headers
