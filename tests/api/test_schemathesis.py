"""Property-based run of the whole API from its OpenAPI document (schemathesis): every
operation, with generated parameters and bodies, as an anonymous visitor and as accounts of
each role — no server error, and every documented response matches its schema."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import response_schema_conformance

from workgroups.roles import Level

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

#: Fuzzing only (the coverage phase alone sends hundreds of requests per operation).
CONFIG = SchemathesisConfig.from_dict(
    {"phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}}}
)
ROLES = ("anonymous", "account", "lecteur", "contributeur", "expert", "animateur", "author")


@pytest.fixture
def a_map(cast):
    """A public map of the cast's group, made through the editor's service, so that the maps
    operations answer with a map and not only with empty lists."""
    from layers import editor

    carte = editor.create_map(
        cast["animateur"],
        cast.group,
        title="Carte de la matrice",
        layers=[editor.LayerSpec(base="observatoire", kinds=["marqueur"])],
        level=Level.PUBLIC,
    )
    return carte


@pytest.fixture
def api_schema(cast, states, a_map):
    """The live OpenAPI document, served by the project's WSGI application. The test
    database transaction stays open across requests, as with Django's test client."""
    from config.wsgi import application

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/schema/", application, config=CONFIG)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def role_headers(cast) -> dict[str, dict[str, str]]:
    headers = {"anonymous": {}}
    for role in ROLES[1:]:
        key = Token.objects.get_or_create(user=cast[role])[0].key
        headers[role] = {"Authorization": f"Token {key}"}
    return headers


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=5,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_honours_its_schema(case, role_headers):
    """Each generated request, sent by each role: never a 5xx, always a conforming body."""
    for headers in role_headers.values():
        response = case.call(headers={**(case.headers or {}), **headers})
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
