"""``load_demo_maps`` (run by ``make demo``): the basemap catalogue with the offline default,
and three public example maps — markers, clusters, heatmap — added once."""

from __future__ import annotations

import pytest

from basemaps.models import Basemap
from basemaps.services import default_basemap
from layers.demo import load_demo_maps
from layers.models import Map
from tests.factories import GroupFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_three_demo_maps_once(client):
    GroupFactory(slug="demo-nord", name="Démo Nord")
    UserFactory(username="anim")
    assert load_demo_maps() == 3
    assert load_demo_maps() == 0  # idempotent
    styles = {m.slug: m.ordered_layers()[0].style for m in Map.objects.all()}
    assert sorted(styles.values()) == ["clusters", "heatmap", "markers"]
    assert default_basemap().is_offline and Basemap.objects.count() == 4
    for slug in styles:  # public and validated: anyone can open them
        assert client.get(f"/cartes/{slug}/").status_code == 200
