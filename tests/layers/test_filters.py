"""The panel's simple fields compose CQL2 that the CQL2 module applies, and read back."""

from datetime import date

import pytest

from layers.filters import SimpleFilter, combine, from_cql2
from observatoire.cql import cql2_to_q
from observatoire.models import Resource


def test_round_trip_and_advanced_kept():
    """Every simple field survives compose → read back; foreign clauses stay advanced."""
    original = SimpleFilter(
        bases=["observatoire"],
        kinds=["marqueur", "projet"],
        groups=["demo-nord"],
        themes=["patrimoine", "eau"],
        date_from=date(2020, 1, 1),
        date_to=date(2021, 1, 1),
        territory="59",
        text="l'eau",
        advanced="attributes.epoque = 'XIXe' OR kind = 'action'",
    )
    text = original.to_cql2()
    cql2_to_q(text)  # applicable
    back = from_cql2(text)
    assert back.kinds == original.kinds and back.groups == original.groups
    assert back.bases == ["observatoire"] and back.themes == ["patrimoine", "eau"]
    assert (back.date_from, back.date_to) == (original.date_from, original.date_to)
    assert back.territory == "59" and back.text == "l'eau"
    assert back.advanced == "(attributes.epoque = 'XIXe' OR kind = 'action')"
    assert from_cql2("").advanced == "" and SimpleFilter().to_cql2() == ""
    assert combine("a = 1", "", "b = 2") == "(a = 1) AND (b = 2)"


@pytest.mark.django_db
def test_composed_filter_selects_in_postgis(territories):
    """Territory (derived from the geometry: commune, EPCI, département) and text clauses
    select the right rows in PostGIS; filters composed before still apply."""
    from django.contrib.gis.geos import Point

    from tests.factories import ResourceFactory

    ResourceFactory(title="Moulin de l'eau")  # Lille
    ResourceFactory(title="Moulin de l'eau", geom=Point(2.7777, 50.2910, srid=4326))  # Arras
    ResourceFactory(title="Beffroi")
    for territory in ("59", "59350", "200093201"):
        q = cql2_to_q(SimpleFilter(territory=territory, text="l'eau").to_cql2())
        assert Resource.objects.filter(q).count() == 1, territory
        assert from_cql2(SimpleFilter(territory=territory).to_cql2()).territory == territory
    assert from_cql2("attributes.commune_insee = '59350'").territory == "59350"


@pytest.mark.django_db
def test_base_and_themes_select_in_postgis():
    """``themes IN (…)`` keeps resources with at least one of the themes (array overlap),
    ``NOT IN`` the others; ``base IN (…)`` narrows by base."""
    from tests.factories import ResourceFactory

    ResourceFactory(title="A", themes=["eau", "paysage"])
    ResourceFactory(title="B", themes=["patrimoine"])
    ResourceFactory(title="C", themes=[])

    def titles(text: str) -> set[str]:
        return set(Resource.objects.filter(cql2_to_q(text)).values_list("title", flat=True))

    assert titles(SimpleFilter(themes=["eau", "patrimoine"]).to_cql2()) == {"A", "B"}
    assert titles("themes NOT IN ('eau')") == {"B", "C"}
    assert titles(SimpleFilter(bases=["observatoire"], themes=["paysage"]).to_cql2()) == {"A"}
