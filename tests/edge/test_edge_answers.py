"""The edge's own answers (400 for hostile input, 429 past the Basic limit) carry what every
answer of the stack carries (security headers, Content-Language, the feeds' CORS), and JSON
bodies holding a NUL escape are refused there, not by PostgreSQL (a 500)."""

from __future__ import annotations

import base64
import json

import pytest
from rest_framework.test import APIClient

from workgroups.auth import issue_api_token

pytestmark = pytest.mark.django_db

#: Headers the middleware stack adds to every answer (compared with a plain answer's).
STACK_HEADERS = (
    "X-Content-Type-Options",
    "X-Frame-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "Content-Language",
)


def _assert_stack_headers(response, reference) -> None:
    for name in STACK_HEADERS:
        assert response.get(name) == reference[name], name
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "path", ["/ogc/collections?key=%00", "/recherche/?q=%00", "/tiles/observatoire.json?x=%FF"]
)
def test_hostile_input_answer_has_the_stacks_headers(client, path):
    reference = client.get("/ogc/collections", {"f": "json"})
    assert reference.status_code == 200
    response = client.get(path)
    assert response.status_code == 400
    _assert_stack_headers(response, reference)
    if path.startswith("/ogc/"):
        assert response["Access-Control-Allow-Origin"] == "*"
        assert set(response.json()) == {"code", "description"}


def test_too_many_attempts_answer_has_the_stacks_headers(client, settings):
    settings.SPASS = {**settings.SPASS, "BASIC_AUTH_MAX_FAILURES": 1}
    reference = client.get("/ogc/collections", {"f": "json"})
    bad = "Basic " + base64.b64encode(b"personne:faux").decode()
    assert client.get("/ogc/collections", HTTP_AUTHORIZATION=bad).status_code == 401
    response = client.get("/ogc/collections", HTTP_AUTHORIZATION=bad)
    assert response.status_code == 429
    assert response["Retry-After"]
    _assert_stack_headers(response, reference)
    assert set(response.json()) == {"code", "description"}


@pytest.mark.parametrize(
    "body",
    [
        '{"title": "a\\u0000b", "base": "observatoire"}',
        '{"title": "ok", "properties": {"note": ["x", "\\u0000"]}}',
        '{"ti\\u0000tle": "ok"}',
    ],
)
def test_json_bodies_with_a_nul_escape_are_refused_at_the_edge(cast, body):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {issue_api_token(cast['author'])}")
    response = client.post("/api/v1/resources/", body, content_type="application/json")
    assert response.status_code == 400
    document = json.loads(response.content)
    assert document["code"] == "InvalidParameterValue"
    assert "caractère nul" in document["description"]
    assert response["X-Frame-Options"] and response["Content-Language"] == "fr"


def test_an_escaped_backslash_is_not_a_nul(cast):
    """``"\\\\u0000"`` is the six characters ``\\u0000``, not a NUL: the API answers it."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {issue_api_token(cast['author'])}")
    response = client.post(
        "/api/v1/resources/", '{"title": "a\\\\u0000b"}', content_type="application/json"
    )
    assert response.status_code == 400  # the API's own validation (fields missing)
    assert "code" not in response.json()
