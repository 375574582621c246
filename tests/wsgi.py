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


#: Headers that may differ between two answers to the same request whichever side gives
#: them, each with the reason; every other header must be identical (name and value).
VOLATILE_HEADERS = {
    # The clock: added by the server (granian) to every answer, or by a proxy; neither Django
    # nor a fast path sets it in process, but a test through a live server would see it.
    "Date": "the time of the answer",
    # Named by the server, never by the application.
    "Server": "the server's name",
}


def comparable(headers: dict) -> dict:
    """``headers`` without the :data:`VOLATILE_HEADERS`."""
    return {name: value for name, value in headers.items() if name not in VOLATILE_HEADERS}


def credentials(user, kind: str) -> tuple[str, dict]:
    """Query string and headers (for :func:`wsgi_get`) that identify ``user`` by ``kind``:
    ``anonymous``, ``key``, ``token``, ``basic`` or ``session``."""
    import base64

    from django.conf import settings
    from django.test import Client

    from workgroups.auth import create_feed_key, issue_api_token

    if kind == "anonymous":
        return "", {}
    if kind == "key":
        return f"key={create_feed_key(user).key}", {}
    if kind == "token":
        return "", {"authorization": f"Token {issue_api_token(user)}"}
    if kind == "basic":
        pair = base64.b64encode(f"{user.username}:mot-de-passe-test".encode()).decode()
        return "", {"authorization": f"Basic {pair}"}
    if kind == "session":
        client = Client()
        client.force_login(user)
        name = settings.SESSION_COOKIE_NAME
        return "", {"cookie": f"{name}={client.cookies[name].value}"}
    raise ValueError(kind)
