"""The writes described by the OpenAPI document, driven by schemathesis against the live
server (WSGI edge and fast paths included): a creation from generated properties, then the
GET of its Location, a generated JSON merge patch of it, its DELETE — and, around them, the
generated bodies of POST, PUT and PATCH as they come. Never a server error; every answer's
status is one the document lists, with the documented body."""

from __future__ import annotations

import base64
import json
from urllib.parse import urlsplit

import pytest
import schemathesis
from hypothesis import given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from observatoire.models import Resource

from ..edge.test_schemathesis_live import EXAMPLES
from .conftest import PASSWORD

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

CONFIG = SchemathesisConfig.from_dict(
    {"phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}}}
)
ITEMS = "/collections/observatoire-marqueur/items"
ITEM = ITEMS + "/{featureId}"
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]

#: Generated properties of a marqueur: its schema's types, valid or not.
PROPERTIES = st.fixed_dictionaries(
    {"title": st.text(min_size=1, max_size=80)},
    optional={
        "summary": st.text(max_size=200),
        "epoque": st.one_of(st.none(), st.text(max_size=20), st.integers()),
        "protection": st.sampled_from(["aucune", "classe", "inexistante"]),
        "themes": st.lists(st.text(max_size=30), max_size=3),
        "date_start": st.one_of(st.dates().map(str), st.text(max_size=12)),
        "level": st.sampled_from(["utilisateur", "groupe", "public", "secret"]),
    },
)
POINTS = st.tuples(st.floats(-5.0, 9.5, allow_nan=False), st.floats(41.5, 51.0, allow_nan=False))


@pytest.fixture
def ogc_schema(live_server, nord):
    return schemathesis.openapi.from_url(f"{live_server.url}/ogc/openapi?f=json", config=CONFIG)


def _auth(user) -> dict[str, str]:
    token = base64.b64encode(f"{user.username}:{PASSWORD}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def test_create_get_patch_delete_never_a_server_error(live_server, nord, ogc_schema):
    """As contrib (Basic): a generated creation, its GET, a generated patch, its DELETE;
    and generated POST, PUT and PATCH bodies as they come."""
    auth = _auth(nord["contrib"])
    post = ogc_schema[ITEMS]["POST"]
    put = ogc_schema[ITEM]["PUT"]
    patch = ogc_schema[ITEM]["PATCH"]
    get = ogc_schema[ITEM]["GET"]
    delete = ogc_schema[ITEM]["DELETE"]
    seen: dict[int, int] = {}

    def call(case, **headers):
        response = case.call(headers={**(case.headers or {}), **auth, **headers})
        case.validate_response(response, checks=CHECKS)
        seen[response.status_code] = seen.get(response.status_code, 0) + 1
        return response

    @given(
        properties=PROPERTIES,
        point=POINTS,
        raw_post=post.as_strategy(),
        raw_put=put.as_strategy(),
        raw_patch=patch.as_strategy(),
    )
    @settings(EXAMPLES, max_examples=25)
    def scenario(properties, point, raw_post, raw_put, raw_patch):
        call(raw_post)
        body = {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": list(point)},
            "properties": properties,
        }
        created = post.Case(body=body, media_type="application/geo+json")
        response = call(created)
        if response.status_code != 201:
            assert response.status_code == 400, response.text
            return
        pk = urlsplit(response.headers["location"][0]).path.rsplit("/", 1)[1]
        assert json.loads(response.text)["id"] == int(pk)
        got = call(get.Case(path_parameters={"featureId": pk}))
        assert got.status_code == 200
        raw_patch.path_parameters = {"featureId": pk}
        call(raw_patch)
        raw_put.path_parameters = {"featureId": pk}
        call(raw_put)
        gone = call(delete.Case(path_parameters={"featureId": pk}))
        assert gone.status_code == 204
        assert not Resource.objects.filter(pk=int(pk)).exists()

    scenario()
    assert seen.get(201, 0) >= 5, seen  # the chain ran, not only refusals
    # and nothing of contrib's was left behind
    assert not Resource.objects.filter(author=nord["contrib"]).exclude(pk=nord.own.pk).exists()
