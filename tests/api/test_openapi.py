"""The OpenAPI document and its Swagger UI: self-contained, served from our static files."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db


def _refs(node) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [r for value in node.values() for r in _refs(value)]
    if isinstance(node, list):
        return [r for value in node for r in _refs(value)]
    return []


def test_schema_is_openapi_3_with_local_refs_only(client):
    """``/api/v1/schema/`` is OpenAPI 3 with every ``$ref`` inside the document, and documents
    the contract's paths."""
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    refs = _refs(schema)
    assert refs and all(ref.startswith("#/") for ref in refs)
    for path in (
        "/api/v1/resources/",
        "/api/v1/resources/{id}/",
        "/api/v1/resources/{id}/share/",
        "/api/v1/resources/{id}/validate/",
        "/api/v1/resources/{id}/review/",
        "/api/v1/groups/",
        "/api/v1/groups/{slug}/members/",
        "/api/v1/groups/{slug}/members/{user_id}/approve/",
        "/api/v1/groups/{slug}/members/{user_id}/role/",
        "/api/v1/me/",
        "/api/v1/auth/token/",
        "/api/v1/maps/",
        "/api/v1/maps/{slug}/",
        "/api/v1/maps/{slug}/share/",
        "/api/v1/maps/{slug}/validate/",
        "/api/v1/maps/{slug}/duplicate/",
    ):
        assert path in schema["paths"], path
    assert {"get", "post"} <= set(schema["paths"]["/api/v1/groups/"])
    assert "patch" in schema["paths"]["/api/v1/groups/{slug}/"]
    assert {"get", "post"} <= set(schema["paths"]["/api/v1/maps/"])
    assert {"get", "put", "patch", "delete"} <= set(schema["paths"]["/api/v1/maps/{slug}/"])
    params = {p["name"] for p in schema["paths"]["/api/v1/resources/"]["get"]["parameters"]}
    assert {"bbox", "near", "q", "filter", "ordering", "limit", "offset"} <= params


def test_swagger_ui_uses_local_static_files(client):
    """The Swagger UI page loads its scripts from the project's static files, not a CDN."""
    html = client.get("/api/v1/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "cdn" not in html.lower()
