"""Filters, pagination and bad input of ``/api/v1/resources/``."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.gis.geos import Point
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from observatoire.models import Resource
from workgroups.roles import Level

from ..factories import ResourceFactory
from .test_workflow import feature

pytestmark = pytest.mark.django_db


def _public(cast, **fields) -> Resource:
    return ResourceFactory(
        group=cast.group,
        author=cast["author"],
        level=Level.PUBLIC,
        validated_at=timezone.now(),
        **fields,
    )


def _titles(client, query: str) -> set[str]:
    response = client.get(f"/api/v1/resources/?{query}")
    assert response.status_code == 200, response.json()
    return {f["properties"]["title"] for f in response.json()["features"]}


@pytest.fixture
def places(cast):
    _public(
        cast,
        title="Église Saint-Maurice",
        geom=Point(3.0639, 50.6366, srid=4326),
        date_start=dt.date(2020, 1, 1),
        date_end=dt.date(2020, 12, 31),
        attributes={"epoque": "XVe siècle"},
    )
    _public(
        cast,
        title="Beffroi de Douai",
        geom=Point(3.0806, 50.3714, srid=4326),
        kind="projet",
        date_start=dt.date(2023, 5, 1),
    )
    _public(
        cast,
        title="Cilaos, cirque",
        geom=Point(55.4719, -21.1353, srid=4326),
        summary="Paysage de l'île de La Réunion",
    )
    _public(cast, title="Guide des façades", base="mediatheque", kind="publication", geom=None)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=eglise", {"Église Saint-Maurice"}),
        ("q=REUNION", {"Cilaos, cirque"}),
        ("kind=projet,publication", {"Beffroi de Douai", "Guide des façades"}),
        ("base=mediatheque", {"Guide des façades"}),
        ("bbox=2.9,50.5,3.2,50.7", {"Église Saint-Maurice"}),
        ("near=3.0573,50.6292,1000", {"Église Saint-Maurice"}),
        ("near=3.0573,50.6292,40000", {"Église Saint-Maurice", "Beffroi de Douai"}),
        ("date_from=2021-01-01", {"Beffroi de Douai"}),
        ("date_to=2021-01-01", {"Église Saint-Maurice"}),
        ("date_from=2020-06-01&date_to=2020-06-30", {"Église Saint-Maurice"}),
        (
            "group=groupe-matrice,autre",
            {"Église Saint-Maurice", "Beffroi de Douai", "Cilaos, cirque", "Guide des façades"},
        ),
        ("group=autre-groupe", set()),
        (
            "author=author&validated=true&level=public",
            {"Église Saint-Maurice", "Beffroi de Douai", "Cilaos, cirque", "Guide des façades"},
        ),
        (
            "filter=kind = 'projet' OR title LIKE 'Guide%'",
            {"Beffroi de Douai", "Guide des façades"},
        ),
        ("filter=attributes.epoque = 'XVe siècle'", {"Église Saint-Maurice"}),
        ("filter=S_INTERSECTS(geometry, BBOX(55, -22, 56, -20))", {"Cilaos, cirque"}),
    ],
)
def test_filters(query, expected, client_for, places):
    """Each filter narrows the list as documented (accent- and case-insensitive ``q``)."""
    assert _titles(client_for("anonymous"), query) == expected


def test_ordering(client_for, places):
    """``ordering`` sorts by the documented names, ``-`` for descending."""
    body = client_for("anonymous").get("/api/v1/resources/?ordering=title").json()
    titles = [f["properties"]["title"] for f in body["features"]]
    assert titles == sorted(titles)
    body = client_for("anonymous").get("/api/v1/resources/?ordering=-title").json()
    assert [f["properties"]["title"] for f in body["features"]] == sorted(titles, reverse=True)


@pytest.mark.parametrize(
    ("query", "param"),
    [
        ("colour=red", "colour"),
        ("kind=chateau", "kind"),
        ("base=", "base"),
        ("level=prive", "level"),
        ("validated=peut-etre", "validated"),
        ("bbox=1,2,3", "bbox"),
        ("bbox=3,50,2,51", "bbox"),
        ("bbox=200,0,210,10", "bbox"),
        ("near=3,50", "near"),
        ("near=3,50,-5", "near"),
        ("date_from=2020-13-01", "date_from"),
        ("date_to=hier", "date_to"),
        ("q=%20", "q"),
        ("filter=titre = 'x'", "filter"),
        ("filter=title = ", "filter"),
        ("filter=title LIKE 'a'&filter-lang=sql", "filter"),
        ("ordering=couleur", "ordering"),
        ("limit=0", "limit"),
        ("limit=5000", "limit"),
        ("limit=dix", "limit"),
        ("offset=-1", "offset"),
    ],
)
def test_bad_parameters_answer_400_naming_them(query, param, client_for, places):
    """A wrong or unknown parameter answers 400 with a French message keyed by its name."""
    response = client_for("account").get(f"/api/v1/resources/?{query}")
    assert response.status_code == 400
    body = response.json()
    assert param in body
    assert body[param]


def test_pages_links_and_estimated_count(client_for, cast, settings):
    """limit/offset pages with next/previous links; beyond the exact-count threshold the
    count is an estimate, flagged numberMatchedExact: false."""
    for _ in range(5):
        _public(cast)
    client = client_for("anonymous")
    first = client.get("/api/v1/resources/?limit=2").json()
    assert first["numberMatched"] == 5 and first["numberMatchedExact"] is True
    assert first["numberReturned"] == 2 and first["previous"] is None
    second = client.get(first["next"]).json()
    assert "offset=2" in first["next"] and second["previous"]
    last = client.get("/api/v1/resources/?limit=2&offset=4").json()
    assert last["next"] is None and last["numberReturned"] == 1
    ids = [f["id"] for page in (first, second, last) for f in page["features"]]
    assert len(set(ids)) == 5

    settings.SPASS = {**settings.SPASS, "API_EXACT_COUNT_LIMIT": 3}
    estimated = client.get("/api/v1/resources/?limit=2").json()
    assert estimated["numberMatchedExact"] is False
    assert estimated["numberMatched"] >= 4
    assert estimated["next"]


def test_list_query_count_does_not_grow_with_the_page(client_for, cast):
    """No N+1: listing 3 or 30 resources costs the same number of queries."""
    client = client_for("author")
    counts = []
    for total in (3, 30):
        while Resource.objects.count() < total:
            _public(cast, validated_by=cast["animateur"], checked_by=cast["expert"])
        with CaptureQueriesContext(connection) as queries:
            body = client.get("/api/v1/resources/").json()
        assert body["numberReturned"] == total
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[1] <= 4


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": None}, "title"),
        ({"title": "x" * 300}, "title"),
        ({"kind": "chateau"}, "kind"),
        ({"kind": "publication"}, "kind"),
        ({"group": "inexistant"}, "group"),
        ({"level": "secret"}, "level"),
        ({"date_start": "2020-02-30"}, "date_start"),
        ({"date_start": "2021-01-01", "date_end": "2020-01-01"}, "date_end"),
        ({"attributes": {"protection": "imaginaire"}}, "attributes"),
        ({"attributes": "texte"}, "attributes"),
        ({"themes": "patrimoine"}, "themes"),
        ({"couleur": "rouge"}, "couleur"),
    ],
)
def test_bad_feature_answers_400_naming_the_field(change, field, client_for, cast):
    """A wrong property answers 400 keyed by the property, and nothing is written."""
    body = feature(cast.group.slug)
    body["properties"].update(change)
    body["properties"] = {k: v for k, v in body["properties"].items() if v is not None}
    response = client_for("author").post("/api/v1/resources/", body, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not Resource.objects.exists()


def test_a_nul_in_a_json_body_is_refused_at_the_edge(client_for, cast):
    """A NUL escape anywhere in the JSON body (PostgreSQL refuses it) is refused before the
    API reads it, in the edge's shape, naming the field by its path; nothing is written."""
    body = feature(cast.group.slug)
    body["properties"]["attributes"] = {"note": "a\u0000b"}
    response = client_for("author").post("/api/v1/resources/", body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "InvalidParameterValue"
    assert "« properties.attributes.note »" in response.json()["description"]
    assert not Resource.objects.exists()


@pytest.mark.parametrize(
    "geometry",
    [
        None,
        {"type": "Point", "coordinates": [650000, 6860000]},
        {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]},
        {"type": "Cercle", "coordinates": [1, 2]},
        "POINT(3 50)",
    ],
)
def test_bad_geometry_answers_400_on_geometry(geometry, client_for, cast):
    """Missing (Observatoire), projected, self-intersecting or unreadable geometries → 400."""
    body = feature(cast.group.slug)
    body["geometry"] = geometry
    response = client_for("author").post("/api/v1/resources/", body, format="json")
    assert response.status_code == 400
    assert "geometry" in response.json(), response.json()


@pytest.mark.parametrize("payload", ["[1, 2]", '{"properties": 3}', "{nope", '"texte"'])
def test_malformed_bodies_answer_400(payload, client_for):
    """Bodies that are not a Feature (or not JSON) answer 400, never 500."""
    response = client_for("author").generic(
        "POST", "/api/v1/resources/", payload, content_type="application/json"
    )
    assert response.status_code == 400


def test_oversized_body_answers_413(client_for, cast, settings):
    """A body over SPASS_MAX_BODY_BYTES answers 413 and writes nothing."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = feature(cast.group.slug, description="x" * 2000)
    response = client_for("author").post("/api/v1/resources/", body, format="json")
    assert response.status_code == 413
    assert "taille" in response.json()["detail"]
    assert not Resource.objects.exists()


def test_geojson_media_type_is_accepted(client_for, cast):
    """Clients may send ``application/geo+json``."""
    import json

    response = client_for("author").generic(
        "POST",
        "/api/v1/resources/",
        json.dumps(feature(cast.group.slug)),
        content_type="application/geo+json",
    )
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("language", "message"),
    [("fr", "Ce champ est obligatoire."), ("en", "This field is required.")],
)
def test_messages_follow_accept_language(language, message, client_for, cast):
    """Messages are French by default; Accept-Language: en gives Django/DRF's English ones."""
    body = feature(cast.group.slug)
    del body["properties"]["title"]
    response = client_for("author").post(
        "/api/v1/resources/", body, format="json", HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.json()["title"] == [message]


def test_unknown_ids_answer_404(client_for):
    """Ids that do not exist, or are not numbers, answer 404."""
    client = client_for("author")
    assert client.get("/api/v1/resources/999999999/").status_code == 404
    assert client.get("/api/v1/resources/abc/").status_code == 404
    assert client.get("/api/v1/resources/99999999999999999999999/").status_code == 404
    assert client.get("/api/v1/groups/inexistant/").status_code == 404


def test_near_works_on_lines_and_polygons(client_for, cast):
    """``near`` measures the spheroid distance to any geometry type, not only points."""
    from django.contrib.gis.geos import LineString, Polygon

    _public(cast, title="Parc", geom=Polygon.from_bbox((3.0, 50.6, 3.1, 50.7)))
    _public(cast, title="Canal", geom=LineString((3.0, 50.6), (3.1, 50.7), srid=4326))
    _public(cast, title="Loin", geom=Point(5.0, 45.0, srid=4326))
    assert _titles(client_for("anonymous"), "near=3.05,50.65,100") == {"Parc", "Canal"}
