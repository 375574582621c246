"""One date semantics: ``date_from``/``date_to`` select the resources whose period overlaps
them, through every channel — REST, OGC API ``datetime``, tiles, downloads, a saved map."""

from __future__ import annotations

import datetime as dt
import json

import mapbox_vector_tile
import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.gis.geos import Point
from django.utils import timezone

from layers.filters import SimpleFilter, from_cql2
from layers.models import Layer, Map, MapLayer
from layers.services import map_features
from observatoire.catalogue import period_cql2, period_q
from observatoire.cql import cql2_to_q
from observatoire.models import Resource
from tests.factories import ResourceFactory
from tiles.grid import HALF_WORLD, tile_size, to_mercator
from workgroups.roles import Level

pytestmark = pytest.mark.django_db

BOUND = dt.date(2020, 1, 1)
LILLE = (3.0573, 50.6292)


@pytest.fixture
def periods(settings, tmp_path):
    """Four public resources side by side: one whose period straddles BOUND, one entirely
    before it, one entirely after it (open-ended: no date_end), one known only by the day
    it ended (after BOUND: it meets every ``date_from``, no ``date_to``)."""
    settings.SPASS = {**settings.SPASS, "VAR_DIR": tmp_path}  # tiles cached per test

    def public(title: str, i: int, start: dt.date | None, end: dt.date | None) -> Resource:
        return ResourceFactory(
            title=title,
            date_start=start,
            date_end=end,
            level=Level.PUBLIC,
            validated_at=timezone.now(),
            geom=Point(LILLE[0] + i / 10000, LILLE[1], srid=4326),
        )

    return {
        r.title: r
        for r in (
            public("straddles", 0, dt.date(2019, 6, 1), dt.date(2021, 6, 1)),
            public("before", 1, dt.date(2018, 1, 1), dt.date(2018, 12, 31)),
            public("after", 2, dt.date(2022, 1, 1), None),
            public("ends only", 3, None, dt.date(2021, 6, 1)),
        )
    }


#: What each bound keeps: the straddling period always, the one on the other side never.
EXPECTED = {
    "date_from": {"straddles", "after", "ends only"},
    "date_to": {"straddles", "before"},
}


def _rest(client, name: str) -> set[str]:
    response = client.get("/api/v1/resources/", {name: BOUND.isoformat()})
    assert response.status_code == 200
    return {f["properties"]["title"] for f in response.json()["features"]}


def _ogc(client, params: dict) -> set[str]:
    response = client.get("/ogc/collections/observatoire/items", {"f": "json", **params})
    assert response.status_code == 200, response.content
    return {f["properties"]["title"] for f in response.json()["features"]}


def _tile(client, params: dict, by_id: dict[int, str]) -> set[str]:
    mx, my = to_mercator(*LILLE)
    size = tile_size(14)
    x, y = int((mx + HALF_WORLD) // size), int((HALF_WORLD - my) // size)
    response = client.get(f"/tiles/observatoire/14/{x}/{y}.pbf", params)
    assert response.status_code in (200, 204)
    layers = mapbox_vector_tile.decode(response.content) if response.content else {}
    features = layers.get("resources", {"features": []})["features"]
    return {by_id[f["properties"]["id"]] for f in features}


def _export(client, cql: str) -> set[str]:
    response = client.get("/exports/observatoire.geojson", {"filter": cql})
    assert response.status_code == 200
    data = json.loads(b"".join(response.streaming_content))
    return {f["properties"]["titre"] for f in data["features"]}


def _saved_map(name: str, stale: bool = False) -> set[str]:
    """What a public map with one layer filtered on ``name`` shows (the viewer's list);
    ``stale``: the layer's stored text is the one composed before the overlap."""
    layer = Layer.objects.create(name="Dates", base="observatoire", **{name: BOUND})
    if stale:
        old = {"date_from": ">=", "date_to": "<="}[name]
        Layer.objects.filter(pk=layer.pk).update(
            cql_filter=f"date_start {old} DATE('{BOUND.isoformat()}')"
        )
        layer.refresh_from_db()
    resource = Resource.objects.first()
    carte = Map.objects.create(
        slug=f"dates-{name}-{stale}",
        title="Dates",
        group=resource.group,
        author=resource.author,
        level=Level.PUBLIC,
        validated_at=timezone.now(),
        center=Point(*LILLE, srid=4326),
        zoom=12,
    )
    MapLayer.objects.create(map=carte, layer=layer)
    return set(map_features(carte, AnonymousUser()).values_list("title", flat=True))


@pytest.mark.parametrize("name", ["date_from", "date_to"])
def test_every_channel_agrees_on_the_overlap(client, periods, name):
    expected = EXPECTED[name]
    by_id = {r.pk: title for title, r in periods.items()}
    day = BOUND.isoformat()
    bounds = {name: BOUND}
    (cql,) = period_cql2(**bounds)
    interval = f"{day}/.." if name == "date_from" else f"../{day}"
    got = {
        "period_q": set(
            Resource.objects.filter(period_q(**bounds)).values_list("title", flat=True)
        ),
        "period_cql2": set(Resource.objects.filter(cql2_to_q(cql)).values_list("title", flat=True)),
        "REST": _rest(client, name),
        "OGC datetime": _ogc(client, {"datetime": interval}),
        "tiles": _tile(client, {name: day}, by_id),
        "tiles filter": _tile(client, {"filter": cql}, by_id),
        "export filter": _export(client, cql),
        "saved map": _saved_map(name),
        "saved map (stored before the overlap)": _saved_map(name, stale=True),
        "map form": set(
            Resource.objects.filter(cql2_to_q(SimpleFilter(**bounds).to_cql2())).values_list(
                "title", flat=True
            )
        ),
    }
    assert got == dict.fromkeys(got, expected)


def test_ogc_interval_is_the_overlap_of_both_bounds(client, periods):
    """``datetime=start/end`` keeps what overlaps the interval, and an instant what holds it."""
    assert _ogc(client, {"datetime": "2019-01-01/2019-12-31"}) == {"straddles"}
    assert _ogc(client, {"datetime": "2020-06-01"}) == {"straddles"}
    assert _ogc(client, {"datetime": "2018-06-01"}) == {"before"}


def test_the_map_form_composes_the_overlap_and_reads_old_filters_back():
    text = SimpleFilter(date_from=BOUND, date_to=dt.date(2021, 1, 1)).to_cql2()
    assert text == (
        "(date_end >= DATE('2020-01-01') OR (date_end IS NULL AND date_start >= "
        "DATE('2020-01-01'))) AND date_start <= DATE('2021-01-01')"
    )
    back = from_cql2(text)
    assert (back.date_from, back.date_to, back.advanced) == (BOUND, dt.date(2021, 1, 1), "")
    alone = from_cql2(SimpleFilter(date_from=BOUND).to_cql2())
    assert (alone.date_from, alone.advanced) == (BOUND, "")
    # filters composed before the overlap (bookmarked viewer URLs) still read back
    old = from_cql2("kind IN ('marqueur') AND date_start >= DATE('2019-05-06')")
    assert (old.kinds, old.date_from, old.advanced) == (["marqueur"], dt.date(2019, 5, 6), "")
    # two different days are not the overlap: left as an advanced clause
    odd = (
        "(date_end >= DATE('2020-01-01') OR "
        "(date_end IS NULL AND date_start >= DATE('2020-01-02')))"
    )
    assert from_cql2(odd).date_from is None and from_cql2(odd).advanced == odd
