"""Imports get their territories derived by joins over the whole stage, equal to what the row
trigger derives on every other write: the Mérimée 2017 extract (2,830 rows, Corsica and
overseas included), placed by coordinates or town halls."""

import pytest
from django.db import connection
from django.db.models import Q

from observatoire.models import Resource
from tests.importers.conftest import heritage, heritage_group  # noqa: F401 (fixtures)
from tests.importers.test_merimee import merimee

pytestmark = pytest.mark.django_db


def test_imported_rows_have_derived_territories(heritage):  # noqa: F811
    counts, _report = merimee("2017")
    assert counts["created"] > 2800
    imported = Resource.objects.filter(source="merimee")
    placed = imported.exclude(geom__isnull=True)
    # every placed monument on land has its commune; the few left are at sea or abroad
    assert placed.filter(communes=[]).count() < placed.count() / 100
    assert imported.filter(departements__contains=["2A"]).exists()  # Corsica
    assert imported.filter(Q(departements__overlap=["971", "972", "973", "974", "976"])).exists()
    # derived departement and region follow the commune
    row = placed.exclude(communes=[]).first()
    assert row.departements and row.regions
    # a re-import that changes nothing keeps them
    before = dict(placed.values_list("id", "communes")[:50])
    merimee("2017")
    after = dict(Resource.objects.filter(pk__in=before).values_list("id", "communes"))
    assert after == before


def test_set_based_derivation_equals_the_row_functions(heritage):  # noqa: F811
    """Every imported row holds what ``spass_territories()`` — the row trigger's function —
    computes for it, whichever way it was placed (point, town hall, typed code, at sea)."""
    merimee("2017")
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT count(*),
                      count(*) FILTER (WHERE (r.communes::text[], r.epcis::text[],
                                              r.departements::text[], r.regions::text[])
                                   IS DISTINCT FROM (t.communes, t.epcis, t.departements,
                                                     t.regions))
                 FROM observatoire_resource r
                CROSS JOIN LATERAL spass_territories(r.geom, r.attributes ->> 'commune_insee',
                                                     r.attributes ->> 'territoire') t
                WHERE r.source = 'merimee'"""
        )
        rows, different = cursor.fetchone()
    assert rows > 2800 and different == 0
