"""CORS on the read-only feeds that other sites' browsers fetch (a uMap instance reading our
OGC API items for a live layer): ``Access-Control-Allow-Origin: *``, never credentials — a
private feed is read with a feed key in its URL, not with cookies."""

from __future__ import annotations

from collections.abc import Callable

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
