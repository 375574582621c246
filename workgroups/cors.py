"""CORS on the read-only feeds that other sites' browsers fetch (a uMap instance reading our
OGC API items for a live layer): ``Access-Control-Allow-Origin: *``, never credentials — a
private feed is read with a feed key in its URL, not with cookies."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

#: Path prefixes of the feeds (the OGC API; exports and .umap files set it themselves).
FEED_PREFIXES = ("/ogc/",)


class FeedCorsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method in ("GET", "HEAD") and request.path.startswith(FEED_PREFIXES):
            response.setdefault("Access-Control-Allow-Origin", "*")
        return response


def feed_headers(language: str) -> list[tuple[str, str]]:
    """The headers this stack (security, locale, clickjacking, CORS) adds to a GET of a feed,
    for the WSGI fast paths that answer before it; ``language``: the one answered in."""
    headers = [("Access-Control-Allow-Origin", "*"), ("Content-Language", language)]
    if settings.X_FRAME_OPTIONS:
        headers.append(("X-Frame-Options", settings.X_FRAME_OPTIONS))
    if settings.SECURE_CONTENT_TYPE_NOSNIFF:
        headers.append(("X-Content-Type-Options", "nosniff"))
    if settings.SECURE_REFERRER_POLICY:
        policy = settings.SECURE_REFERRER_POLICY
        policy = policy if isinstance(policy, str) else ",".join(policy)
        headers.append(("Referrer-Policy", policy))
    if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
        headers.append(("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY))
    return headers
