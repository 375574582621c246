"""Territories derived by PostgreSQL from each resource's geometry, on every write."""

import pytest
from django.contrib.gis.geos import LineString, Point, Polygon
from django.db import connection

from geo.models import Commune, CommunePart, Epci, Region
from observatoire import services
from observatoire.models import Resource
from observatoire.territories import rederive

pytestmark = pytest.mark.django_db

LILLE = Point(3.0573, 50.6292, srid=4326)  # Grand-Place de Lille
MEL = "200093201"  # Métropole Européenne de Lille


def _create(cast, **fields):
    values = {"title": "Beffroi", "base": "observatoire", "kind": "marqueur", "geom": LILLE}
    return services.create_resource(cast["contributeur"], cast.group, **{**values, **fields})


def test_reference_has_epci_regions_and_pieces(territories):
    assert Region.objects.count() == 18
    assert Region.objects.get(code="04").name == "La Réunion"
    assert Epci.objects.get(siren=MEL).name == "Métropole Européenne de Lille"
    assert not Epci.objects.filter(geom__isnull=True).exists()
    lille = Commune.objects.get(insee="59350", type="COM")
    assert (lille.epci, lille.region, lille.departement) == (MEL, "32", "59")
    assert CommunePart.objects.filter(insee="59350").exists()


def test_point_gets_its_commune_epci_departement_region(cast, territories):
    resource = _create(cast)
    assert resource.communes == ["59350"]
    assert resource.epcis == [MEL]
    assert resource.departements == ["59"]
    assert resource.regions == ["32"]
    stored = Resource.objects.get(pk=resource.pk)
    assert stored.communes == ["59350"]


def test_line_gets_every_commune_it_crosses(cast, territories):
    line = LineString((3.0573, 50.6292), (3.2, 50.7), srid=4326)
    resource = _create(cast, geom=line)
    assert {"59350", "59512"} <= set(resource.communes)  # Lille … Roubaix
    assert len(resource.communes) > 3
    assert resource.epcis == [MEL]


def test_polygon_gets_the_communes_it_covers_not_those_it_touches(cast, territories):
    lille = Commune.objects.get(insee="59350", type="COM").geom
    inside = lille.buffer(-0.002)
    inside = inside if inside.geom_type == "Polygon" else inside[0]
    resource = _create(cast, geom=Polygon(inside.exterior_ring, srid=4326))
    assert resource.communes == ["59350"]
    exact = _create(cast, geom=lille[0])
    assert exact.communes == ["59350"]  # the neighbours merely touch it


def test_no_geometry_falls_back_to_typed_insee(cast, territories):
    resource = services.create_resource(
        cast["contributeur"],
        cast.group,
        title="Guide",
        base="mediatheque",
        kind="publication",
        geom=None,
        attributes={},
    )
    assert resource.communes == []
    Resource.objects.filter(pk=resource.pk).update(attributes={"commune_insee": "97411"})
    resource.refresh_from_db()
    assert resource.communes == ["97411"]
    assert resource.departements == ["974"]
    assert resource.regions == ["04"]


def test_update_of_the_geometry_rederives_and_other_updates_keep(cast, territories):
    resource = _create(cast)
    services.update_resource(
        cast["contributeur"], resource, geom=Point(55.4481, -20.8823, srid=4326)
    )
    assert resource.communes == ["97411"]  # Saint-Denis (La Réunion)
    assert resource.departements == ["974"]
    # a writer sending stale territories cannot overwrite them
    Resource.objects.filter(pk=resource.pk).update(communes=["75056"], title="Autre")
    resource.refresh_from_db()
    assert resource.communes == ["97411"]


def test_at_sea_nothing(cast, territories):
    assert _create(cast, geom=Point(-5.0, 46.0, srid=4326)).communes == []


def test_rederive_is_set_based(cast, territories):
    resource = _create(cast)
    with connection.cursor() as cursor:
        cursor.execute("SET spass.territories_written = 'on'")
        cursor.execute(
            "UPDATE observatoire_resource SET communes = '{}' WHERE id = %s", [resource.pk]
        )
        cursor.execute("RESET spass.territories_written")
    assert Resource.objects.get(pk=resource.pk).communes == []
    assert rederive("r.id = %s", [resource.pk]) == 1
    assert Resource.objects.get(pk=resource.pk).communes == ["59350"]


def test_rederive_writes_only_what_changes_and_equals_the_trigger(cast, territories):
    """Derived by joins, the territories of a point, a line, a polygon, a typed code and a
    whole EPCI equal the trigger's; a second pass changes nothing, so writes nothing (no
    version in the history for a reload of the territories that moved no row)."""
    made = [
        _create(cast),
        _create(cast, geom=LineString((3.0573, 50.6292), (3.2, 50.7), srid=4326)),
        _create(cast, geom=None, base="mediatheque", kind="article",
                attributes={"commune_insee": "59350"}),
        _create(cast, base="activite", kind="formation", attributes={"territoire": MEL}),
    ]  # fmt: skip
    by_trigger = {r.pk: (r.communes, r.epcis, r.departements, r.regions) for r in made}
    ids = list(by_trigger)
    with connection.cursor() as cursor:
        cursor.execute("SET spass.territories_written = 'on'")
        cursor.execute(
            "UPDATE observatoire_resource SET communes = '{}', epcis = '{}' WHERE id = ANY(%s)",
            [ids],
        )
        cursor.execute("RESET spass.territories_written")
    assert rederive("r.id = ANY(%s)", [ids]) == len(ids)
    again = {
        r.pk: (r.communes, r.epcis, r.departements, r.regions)
        for r in Resource.objects.filter(pk__in=ids)
    }
    assert again == by_trigger
    assert rederive("r.id = ANY(%s)", [ids]) == 0


@pytest.mark.parametrize(
    ("sql_geom", "expected"),
    [
        ("ST_SetSRID(ST_Point(-61.53, 16.24), 4326)", "971"),
        ("ST_SetSRID(ST_Point(-61.07, 14.61), 4326)", "972"),
        ("ST_SetSRID(ST_Point(-52.33, 4.93), 4326)", "973"),
        ("ST_SetSRID(ST_Point(55.45, -20.88), 4326)", "974"),
        ("ST_SetSRID(ST_Point(45.23, -12.78), 4326)", "976"),
    ],
)
def test_overseas_departements(territories, sql_geom, expected):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT departements FROM spass_territories({sql_geom}, NULL, NULL)")
        assert cursor.fetchone()[0] == [expected]
