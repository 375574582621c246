"""schemathesis against the live server (WSGI edge and fast paths included, as ``make run``
serves): the OGC API document and the REST API schema, each generated request sent
anonymously, with a Token, with HTTP Basic and with a feed key: no server error."""

from __future__ import annotations

import base64

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig

from workgroups.auth import create_feed_key

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

#: Fuzzing only (the coverage phase alone sends hundreds of requests per operation).
CONFIG = SchemathesisConfig.from_dict(
    {"phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}}}
)
#: The three bases, and the documents of the API.
OGC_PATHS = r"^/(openapi|conformance|collections(/(observatoire|mediatheque|activite)(/.*)?)?)?$"
#: The collections per kind: their items take the kind's own attributes as typed parameters
#: and CQL2 names (``attributes__…`` lookups), code the bases never run.
OGC_KIND_PATHS = r"^/collections/(observatoire|mediatheque|activite)-[a-z-]+(/.*)?$"
PASSWORD = "mot-de-passe-test"


@pytest.fixture
def credentials(cast) -> list[tuple[dict[str, str], dict[str, str]]]:
    """(headers, query) of each way to say who asks: none, Token, Basic, feed key."""
    person = cast["animateur"]
    token = Token.objects.get_or_create(user=person)[0].key
    basic = base64.b64encode(f"{person.username}:{PASSWORD}".encode()).decode()
    return [
        ({}, {}),
        ({"Authorization": f"Token {token}"}, {}),
        ({"Authorization": f"Basic {basic}"}, {}),
        ({}, {"key": create_feed_key(person).key}),
    ]


@pytest.fixture
def ogc_schema(live_server, cast):
    schema = schemathesis.openapi.from_url(f"{live_server.url}/ogc/openapi?f=json", config=CONFIG)
    return schema.include(path_regex=OGC_PATHS)


@pytest.fixture
def ogc_kind_schema(live_server, cast):
    schema = schemathesis.openapi.from_url(f"{live_server.url}/ogc/openapi?f=json", config=CONFIG)
    return schema.include(path_regex=OGC_KIND_PATHS)


@pytest.fixture
def api_schema(live_server, cast):
    return schemathesis.openapi.from_url(f"{live_server.url}/api/v1/schema/", config=CONFIG)


EXAMPLES = settings(
    max_examples=10,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


def _never_a_server_error(case, credentials) -> None:
    for headers, query in credentials:
        response = case.call(
            headers={**(case.headers or {}), **headers},
            params={**(case.query or {}), **query},
        )
        case.validate_response(response, checks=[not_a_server_error])


ogc = schemathesis.pytest.from_fixture("ogc_schema")
ogc_kinds = schemathesis.pytest.from_fixture("ogc_kind_schema")
api = schemathesis.pytest.from_fixture("api_schema")


@ogc.parametrize()
@EXAMPLES
def test_ogc_api_never_answers_a_server_error(case, credentials):
    _never_a_server_error(case, credentials)


@ogc_kinds.parametrize()
@settings(EXAMPLES, max_examples=4)
def test_ogc_kind_collections_never_answer_a_server_error(case, credentials):
    _never_a_server_error(case, credentials)


@api.parametrize()
@EXAMPLES
def test_rest_api_never_answers_a_server_error(case, credentials):
    _never_a_server_error(case, credentials)
