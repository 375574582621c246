"""Driving a WSGI application in process, for the tests of the WSGI fast paths."""

from __future__ import annotations

import io
from wsgiref.util import setup_testing_defaults

from django.core.wsgi import get_wsgi_application


class CountingApp:
    """The real Django application, counting the requests that reach it."""

    def __init__(self) -> None:
        self.django = get_wsgi_application()
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        return self.django(environ, start_response)


def wsgi_get(app, path: str, query: str = "", **headers) -> tuple[int, dict, bytes]:
    """Status, headers and body of a GET of ``path`` (``headers``: ``accept_language="en"``…)."""
    environ = {"PATH_INFO": path, "QUERY_STRING": query, "wsgi.input": io.BytesIO()}
    environ.update({f"HTTP_{name.upper()}": value for name, value in headers.items()})
    setup_testing_defaults(environ)
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = int(status.split()[0]), dict(headers)

    body = b"".join(app(environ, start_response))
    return answer["status"], answer["headers"], body
