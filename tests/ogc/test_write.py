"""OGC API Features Part 4 (create, replace, update, delete) through the services: who may
do what (``Allow`` per person and per feature), the answers of each write, optimistic
locking, ``Content-Crs``, and the bad input of the issue — each a French error body and
nothing written."""

from __future__ import annotations

import base64
import json

import pytest
from django.contrib.gis.geos import Point
from pyproj import Transformer

from observatoire.models import Resource
from workgroups.auth import create_feed_key
from workgroups.roles import Level, Role

from ..factories import GroupFactory, MembershipFactory
from .conftest import basic

MARQUEURS = "/ogc/collections/observatoire-marqueur/items"
L93 = "http://www.opengis.net/def/crs/EPSG/0/2154"
GEOJSON = "application/geo+json"
#: Lille's belfry, in lon/lat and in Lambert-93.
LILLE = (3.0573, 50.6292)
LILLE_L93 = Transformer.from_crs(4326, 2154, always_xy=True).transform(*LILLE)


def feature(title="Nouveau marqueur", coordinates=LILLE, **properties) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": list(coordinates)},
        "properties": {"title": title, **properties},
    }


def send(client, method, url, user=None, body=None, ctype=GEOJSON, **headers):
    data = body if isinstance(body, str | bytes) or body is None else json.dumps(body)
    kwargs = {"content_type": ctype} if data is not None else {}
    return getattr(client, method.lower())(
        url, data=data, **kwargs, **(basic(user) if user else {}), **headers
    )


def allow(response) -> set[str]:
    return {m.strip() for m in response["Allow"].split(",")}


def error(response, status) -> str:
    """The one French error body of the channel, with ``status``."""
    assert response.status_code == status, response.content[:500]
    body = response.json()
    assert set(body) == {"code", "description"}
    return body["description"]


READ = {"GET", "HEAD", "OPTIONS"}
ALL = READ | {"PUT", "PATCH", "DELETE"}


def test_conformance_and_collection_announce_parts_4_and_5(client, db):
    """conformsTo lists the Part 4 and Part 5 classes we serve; each collection links to its
    schema (application/schema+json)."""
    classes = set(client.get("/ogc/conformance").json()["conformsTo"])
    spec = "http://www.opengis.net/spec/"
    assert {
        f"{spec}ogcapi-features-4/1.0/conf/create-replace-delete",
        f"{spec}ogcapi-features-4/1.0/conf/update",
        f"{spec}ogcapi-features-4/1.0/conf/optimistic-locking-etags",
        f"{spec}ogcapi-features-5/1.0/conf/schemas",
        f"{spec}ogcapi-features-2/1.0/conf/crs",
    } <= classes
    links = client.get("/ogc/collections/observatoire-marqueur").json()["links"]
    schema = [link for link in links if link["rel"].endswith("/rel/ogc/1.0/schema")]
    assert len(schema) == 1 and schema[0]["type"] == "application/schema+json"
    assert schema[0]["href"].endswith("/collections/observatoire-marqueur/schema")


@pytest.mark.parametrize(
    ("who", "on_items", "own", "others", "private", "unknown"),
    [
        ("anonymous", READ, READ, READ, READ, READ),
        ("lecteur", READ, READ, READ, READ, READ),
        ("contrib", READ | {"POST"}, ALL, READ, ALL, ALL),
        ("anim", READ | {"POST"}, ALL, ALL, ALL, ALL),
    ],
)
def test_options_tell_each_person_what_they_may_do(
    client, nord, who, on_items, own, others, private, unknown
):
    """OPTIONS answers 2xx with Allow computed per person and per feature: the lecteur reads,
    contrib adds and edits their own, anim edits the group's; on an id one cannot see
    (anim's private draft for contrib, or no such id), what one may do on one's own."""
    user = None if who == "anonymous" else nord[who]
    response = send(client, "OPTIONS", MARQUEURS, user)
    assert response.status_code == 204 and allow(response) == on_items
    for resource, expected in (
        (nord.own, own),
        (nord.others, others),
        (nord.private, private if who == "anim" else unknown),
        ("unknown_id", unknown),
    ):
        pk = getattr(resource, "pk", resource)
        response = send(client, "OPTIONS", f"{MARQUEURS}/{pk}", user)
        assert response.status_code == 204 and allow(response) == expected, (who, resource)


def test_a_feed_key_only_reads(client, nord):
    """With a feed key: Allow read-only, and a write is a 403 that writes nothing."""
    key = create_feed_key(nord["contrib"]).key
    assert allow(client.options(f"{MARQUEURS}?key={key}")) == READ
    count = Resource.objects.count()
    response = client.post(f"{MARQUEURS}?key={key}", json.dumps(feature()), GEOJSON)
    assert "clé de flux" in error(response, 403).lower() and allow(response) == READ
    assert Resource.objects.count() == count


def test_anonymous_write_asks_for_credentials(client, nord):
    """401 with WWW-Authenticate and a truthful Allow, on the collection and on any item
    (existing or not: nothing learnt); wrong credentials too."""
    for method, url in (
        ("POST", MARQUEURS),
        ("PUT", f"{MARQUEURS}/{nord.own.pk}"),
        ("DELETE", f"{MARQUEURS}/{nord.private.pk}"),
        ("PATCH", f"{MARQUEURS}/999999999"),
    ):
        response = send(client, method, url, body=feature())
        error(response, 401)
        assert response["WWW-Authenticate"].startswith("Basic")
        assert allow(response) == READ
    wrong = {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(b"contrib:faux").decode()}
    response = client.post(MARQUEURS, json.dumps(feature()), GEOJSON, **wrong)
    assert error(response, 401) and allow(response) == READ
    assert Resource.objects.filter(title="Nouveau marqueur").count() == 0


def test_create_in_lambert93_lands_at_the_right_place_as_contrib(client, nord):
    """POST with Content-Crs Lambert-93: 201, Location ending in /items/{id} whose GET gives
    the feature (with its ETag); it is contrib's, in demo-nord (contrib's only group where
    they contribute), level utilisateur, at Lille's lon/lat."""
    response = send(
        client,
        "POST",
        MARQUEURS,
        nord["contrib"],
        feature(coordinates=LILLE_L93, epoque="XVIIe", themes=["beffroi"]),
        HTTP_CONTENT_CRS=f"<{L93}>",
    )
    assert response.status_code == 201, response.content
    location = response["Location"]
    assert location.startswith("http://testserver/ogc/collections/observatoire-marqueur/items/")
    pk = int(location.rsplit("/items/", 1)[1])
    created = Resource.objects.get(pk=pk)
    assert (created.author, created.group, created.level) == (
        nord["contrib"],
        nord.group,
        Level.UTILISATEUR,
    )
    assert created.kind == "marqueur" and created.base == "observatoire"
    assert created.attributes == {"epoque": "XVIIe"} and created.themes == ["beffroi"]
    assert created.geom.x == pytest.approx(LILLE[0], abs=1e-6)
    assert created.geom.y == pytest.approx(LILLE[1], abs=1e-6)
    got = client.get(location.removeprefix("http://testserver"), **basic(nord["contrib"]))
    assert got.status_code == 200 and got.json()["properties"]["title"] == "Nouveau marqueur"
    assert got["ETag"] == response["ETag"]


def test_group_comes_from_the_property_or_is_asked_for(client, nord):
    """With several groups where one contributes and no « group »: 400 naming « group »;
    « group » names it; a group where one is only lecteur: 403; an unknown one: 400."""
    other = GroupFactory(slug="demo-est")
    MembershipFactory(group=other, role=Role.CONTRIBUTEUR, user=nord["contrib"])
    count = Resource.objects.count()
    assert "« group »" in error(send(client, "POST", MARQUEURS, nord["contrib"], feature()), 400)
    lecteur = send(client, "POST", MARQUEURS, nord["contrib"], feature(group="demo-sud"))
    assert "contributeur" in error(lecteur, 403)
    assert "inconnu" in error(
        send(client, "POST", MARQUEURS, nord["contrib"], feature(group="nulle-part")), 400
    )
    assert Resource.objects.count() == count
    response = send(client, "POST", MARQUEURS, nord["contrib"], feature(group="demo-est"))
    assert response.status_code == 201
    assert Resource.objects.get(title="Nouveau marqueur").group == other


def test_base_collections_need_a_kind_of_their_base(client, nord):
    """A feature POSTed to a base collection says its kind; it must be of that base."""
    url = "/ogc/collections/observatoire/items"
    assert "« kind »" in error(send(client, "POST", url, nord["contrib"], feature()), 400)
    wrong = send(client, "POST", url, nord["contrib"], feature(kind="article"))
    assert "article" in error(wrong, 400)
    response = send(client, "POST", url, nord["contrib"], feature(kind="projet"))
    assert response.status_code == 201
    assert Resource.objects.get(title="Nouveau marqueur").kind == "projet"


def test_put_replaces_patch_merges_delete_removes(client, nord):
    """PUT replaces the content (what QGIS sends: every field, read-only ones included,
    ignored), keeping the attributes outside the kind's schema; PATCH is a JSON merge
    patch; DELETE removes; each answers 204 and the new ETag."""
    own, contrib = nord.own, nord["contrib"]
    url = f"{MARQUEURS}/{own.pk}"
    doc = client.get(url, **basic(contrib)).json()
    doc["properties"].update(title="Beffroi restauré", protection="inscrit", epoque=None)
    doc["properties"]["created"] = "1999-01-01T00:00:00Z"  # read-only: ignored
    doc["geometry"] = {"type": "Point", "coordinates": [3.06, 50.63]}
    response = send(client, "PUT", url, contrib, doc)
    assert response.status_code == 204, response.content
    own.refresh_from_db()
    assert own.title == "Beffroi restauré" and own.geom.coords == (3.06, 50.63)
    assert own.attributes == {"protection": "inscrit", "note_import": "gardée"}
    assert own.level == Level.GROUPE and own.created_at.year > 1999
    assert client.get(url, **basic(contrib))["ETag"] == response["ETag"]

    patch = {"properties": {"summary": "Sur la Grand-Place", "epoque": "XXe"}}
    response = send(client, "PATCH", url, contrib, patch, "application/merge-patch+json")
    assert response.status_code == 204
    own.refresh_from_db()
    assert own.summary == "Sur la Grand-Place" and own.title == "Beffroi restauré"
    assert own.attributes["epoque"] == "XXe" and own.attributes["protection"] == "inscrit"

    assert send(client, "DELETE", url, contrib).status_code == 204
    assert not Resource.objects.filter(pk=own.pk).exists()
    assert client.get(url, **basic(contrib)).status_code == 404


def test_stale_write_is_412_and_changes_nothing(client, nord):
    """If-Match with the ETag of an older version: 412, French, nothing written; with the
    current one (or *), the write goes through."""
    url, contrib = f"{MARQUEURS}/{nord.own.pk}", nord["contrib"]
    old = client.get(url, **basic(contrib))["ETag"]
    assert send(client, "PATCH", url, contrib, {"properties": {"summary": "v2"}}).status_code == 204
    stale = send(client, "PUT", url, contrib, feature("Écrasé"), HTTP_IF_MATCH=old)
    assert "modifié depuis" in error(stale, 412)
    assert send(client, "DELETE", url, contrib, HTTP_IF_MATCH=old).status_code == 412
    nord.own.refresh_from_db()
    assert nord.own.title == "Beffroi de contrib" and nord.own.summary == "v2"
    current = client.get(url, **basic(contrib))["ETag"]
    ok = send(
        client, "PATCH", url, contrib, {"properties": {"summary": "v3"}}, HTTP_IF_MATCH=current
    )
    assert ok.status_code == 204
    assert (
        send(client, "PATCH", url, contrib, {"properties": {}}, HTTP_IF_MATCH="*").status_code
        == 204
    )


def test_lecteur_and_contrib_on_others_get_403_and_nothing_changes(client, nord):
    """The lecteur's forced writes, and contrib's on anim's feature: 403, read-only Allow."""
    for user, resource in ((nord["lecteur"], nord.own), (nord["contrib"], nord.others)):
        url = f"{MARQUEURS}/{resource.pk}"
        for method in ("PUT", "PATCH", "DELETE"):
            response = send(client, method, url, user, feature("Piraté"))
            error(response, 403)
            assert allow(response) == READ
        resource.refresh_from_db()
        assert resource.title != "Piraté"
    response = send(client, "POST", MARQUEURS, nord["lecteur"], feature())
    error(response, 403)
    assert allow(response) == READ
    assert not Resource.objects.filter(title__in=["Piraté", "Nouveau marqueur"]).exists()


#: The bad input of the issue (and its neighbours): (why, request kwargs, status, words).
BAD = [
    (
        "invalid geometry (a self-intersecting polygon)",
        {
            "body": {
                **feature(),
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[3, 50], [3.1, 50.1], [3.1, 50], [3, 50.1], [3, 50]]],
                },
            }
        },
        400,
        "invalide",
    ),
    (
        "Lambert-93 coordinates without Content-Crs",
        {"body": feature(coordinates=LILLE_L93)},
        400,
        "Content-Crs",
    ),
    (
        "lon/lat sent as Lambert-93",
        {"body": feature(), "HTTP_CONTENT_CRS": L93},
        400,
        "EPSG:2154",
    ),
    ("a kind that does not fit the collection", {"body": feature(kind="projet")}, 400, "kind"),
    ("a group where one is lecteur", {"body": feature(group="demo-sud")}, 403, "contributeur"),
    ("an unknown property", {"body": feature(couleur="rouge")}, 400, "couleur"),
    ("a wrong type", {"body": feature(date_start=2020)}, 400, "date_start"),
    ("a bad date", {"body": feature(date_start="2020-13-45")}, 400, "date_start"),
    ("a wrong enum", {"body": feature(protection="sacrée")}, 400, "protection"),
    ("an empty title", {"body": feature(title="")}, 400, "title"),
    (
        "no geometry key",
        {"body": {"type": "Feature", "properties": {"title": "x"}}},
        400,
        "geometry",
    ),
    ("a marqueur without a place", {"body": {**feature(), "geometry": None}}, 400, "geometry"),
    ("not JSON", {"body": "{pas du json"}, 400, "JSON"),
    (
        "a lone surrogate",
        {"body": '{"type": "Feature", "properties": {"title": "\\ud800"}}'},
        400,
        "JSON",
    ),
    (
        "NaN",
        {"body": '{"type": "Feature", "geometry": {"type": "Point", "coordinates": [NaN, 1]}}'},
        400,
        "JSON",
    ),
    ("not a Feature", {"body": [1, 2]}, 400, "objet"),
    ("a form", {"body": "a=1", "ctype": "application/x-www-form-urlencoded"}, 415, "Content-Type"),
    (
        "an unknown Content-Crs",
        {"body": feature(), "HTTP_CONTENT_CRS": "EPSG:9999"},
        400,
        "Content-Crs",
    ),
    ("an unknown parameter", {"body": feature(), "url": f"{MARQUEURS}?x=1"}, 400, "x"),
]


@pytest.mark.parametrize(("why", "request_", "status", "words"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_is_a_french_error_and_writes_nothing(client, nord, why, request_, status, words):
    """Each bad POST: the one error body naming what is wrong; no row added."""
    request_ = dict(request_)
    url = request_.pop("url", MARQUEURS)
    count = Resource.objects.count()
    response = send(client, "POST", url, nord["contrib"], **request_)
    assert words in error(response, status)
    assert Resource.objects.count() == count


def test_body_over_the_limit_is_413_and_writes_nothing(client, nord, settings):
    """A body over SPASS_MAX_BODY_BYTES: 413 in French, on POST and PUT."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    big = feature(description="x" * 2000)
    count = Resource.objects.count()
    assert "taille maximale" in error(send(client, "POST", MARQUEURS, nord["contrib"], big), 413)
    url = f"{MARQUEURS}/{nord.own.pk}"
    error(send(client, "PUT", url, nord["contrib"], big), 413)
    assert Resource.objects.count() == count
    nord.own.refresh_from_db()
    assert nord.own.description == ""


def test_bad_replace_writes_nothing(client, nord):
    """PUT with an invalid geometry, a change of group or another id: 400, unchanged."""
    url, contrib = f"{MARQUEURS}/{nord.own.pk}", nord["contrib"]
    for body, words in (
        (feature("Autre", coordinates=LILLE_L93), "Content-Crs"),
        (feature("Autre", group="demo-sud"), "groupe"),
        ({**feature("Autre"), "id": nord.others.pk}, "id"),
        (feature("Autre", level="nulle-part"), "level"),
    ):
        assert words in error(send(client, "PUT", url, contrib, body), 400)
    nord.own.refresh_from_db()
    assert nord.own.title == "Beffroi de contrib"


def test_only_the_author_changes_the_level(client, nord):
    """The animateur edits contrib's feature but not its level (the services' rule)."""
    url = f"{MARQUEURS}/{nord.own.pk}"
    patch = {"properties": {"level": "public"}}
    assert "auteur" in error(send(client, "PATCH", url, nord["anim"], patch), 400)
    response = send(client, "PATCH", url, nord["contrib"], patch)
    assert response.status_code == 204
    nord.own.refresh_from_db()
    assert nord.own.level == Level.PUBLIC and nord.own.validated_at is None


def test_session_writes_need_the_csrf_token(client, nord):
    """A browser session writes only with its CSRF token (Basic and Token need none)."""
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(nord["contrib"])
    response = browser.post(MARQUEURS, json.dumps(feature()), GEOJSON)
    assert "CSRF" in error(response, 403)
    assert not Resource.objects.filter(title="Nouveau marqueur").exists()


def test_methods_outside_part_4_are_405_with_allow(client, nord):
    """PUT on the collection, POST on an item: 405, with the person's Allow."""
    response = send(client, "PUT", MARQUEURS, nord["contrib"], feature())
    error(response, 405)
    assert "POST" in allow(response)
    response = send(client, "POST", f"{MARQUEURS}/{nord.own.pk}", nord["contrib"], feature())
    error(response, 405)
    assert allow(response) == ALL


def test_reads_keep_their_point_geometry_after_a_write(client, nord):
    """The item GET after a PATCH of the geometry answers the new place."""
    url = f"{MARQUEURS}/{nord.own.pk}"
    patch = {"geometry": {"type": "Point", "coordinates": [2.35, 48.85]}}
    assert send(client, "PATCH", url, nord["contrib"], patch).status_code == 204
    assert client.get(url, **basic(nord["contrib"])).json()["geometry"]["coordinates"] == [
        2.35,
        48.85,
    ]
    nord.own.refresh_from_db()
    assert nord.own.geom.equals(Point(2.35, 48.85, srid=4326))
