"""The order of ``config/wsgi.py``'s composed application, and the ledger the live server of
the client tests keeps of which layer answered (tests/conftest.py): the edge first, then the
OGC API fast path, then the tile fast path, then Django."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone

from config.wsgi import application, django_application, with_fast_paths
from ogc.fastpath import OgcFeatures
from tiles.fastpath import AnonymousTiles
from workgroups.edge import InputEdge
from workgroups.roles import Level

from .conftest import FastPathLedger, served_as_deployed
from .factories import ResourceFactory
from .tiles.conftest import tile_of
from .wsgi import CountingApp, wsgi_get

pytestmark = pytest.mark.django_db(transaction=True)

TILE = "/tiles/observatoire/{}/{}/{}.pbf".format(*tile_of(3.0574, 50.6292, 14))
ITEMS = "/ogc/collections/observatoire/items"


def test_the_deployed_application_is_edge_ogc_tiles_django():
    """``InputEdge(OgcFeatures(AnonymousTiles(django)), django=django)``, nothing else."""
    for app, inner in ((application, django_application), (with_fast_paths(id), id)):
        assert type(app) is InputEdge
        assert type(app.app) is OgcFeatures
        assert type(app.app.app) is AnonymousTiles
        assert app.app.app.app is inner and app.django is inner


@pytest.fixture
def spied(settings, tmp_path):
    settings.SPASS = {**settings.SPASS, "VAR_DIR": tmp_path}
    ledger = FastPathLedger()
    inner = CountingApp()
    return ledger, inner, served_as_deployed(inner, ledger)


def test_each_request_goes_down_the_layers_in_order(spied):
    """A tile passes the OGC fast path and is answered by the tile one; an items page by the
    OGC one; the landing page falls through both to Django; a hostile request skips both."""
    ledger, inner, app = spied
    ResourceFactory(
        level=Level.PUBLIC, validated_at=timezone.now(), geom=Point(3.0574, 50.6292, srid=4326)
    )
    assert wsgi_get(app, TILE)[0] == 200
    assert wsgi_get(app, ITEMS)[0] == 200
    assert wsgi_get(app, ITEMS, "key=nope")[0] == 401  # unknown key: Django says why
    assert wsgi_get(app, "/ogc/")[0] == 200
    assert wsgi_get(app, TILE, "x=%00")[0] == 400  # the edge refuses a NUL byte
    assert ledger.routes == [
        (TILE, ("ogc", "tiles")),
        (ITEMS, ("ogc",)),
        (ITEMS, ("ogc", "tiles", "django")),
        ("/ogc/", ("ogc", "tiles", "django")),
        (TILE, ("django",)),
    ]
    assert ledger.since(0, "django") == [ITEMS, "/ogc/", TILE]
    assert inner.calls == 3  # Django answered exactly the three the ledger says


def test_personal_requests_never_take_a_fast_path(spied, cast):
    """A session cookie or credentials in headers reach Django, for tiles and pages alike."""
    ledger, inner, app = spied
    for path in (TILE, ITEMS):
        wsgi_get(app, path, authorization="Basic eDp5")
        wsgi_get(app, path, cookie="sessionid=abc")
    assert {by for _path, by in ledger.answers} == {"django"}
    assert inner.calls == 4
