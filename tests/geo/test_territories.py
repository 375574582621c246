"""The French territories reference: loading, look-ups and the départements outline layer."""

import json

import pytest
from django.contrib.gis.geos import Point
from django.core.management import call_command

from geo.models import Commune, Departement
from geo.territories import (
    CommuneIndex,
    commune_at,
    commune_by_insee,
    commune_by_name,
    departements_geojson,
    name_key,
)

pytestmark = pytest.mark.django_db


def test_every_commune_and_departement_is_loaded(territories):
    """All current communes (incl. Corsica and overseas), arrondissements and former
    communes are loaded with a town-hall point and a simplified outline; the 101
    départements get an outline."""
    assert Commune.objects.filter(type="COM").count() == 34875
    assert Commune.objects.filter(type="ARM").count() == 45
    assert Commune.objects.filter(type__in=["COMD", "COMA"]).count() == 2576
    assert Departement.objects.count() == 101
    assert not Departement.objects.filter(geom__isnull=True).exists()
    ajaccio = commune_by_insee("2a004")
    assert ajaccio.name == "Ajaccio" and ajaccio.departement == "2A"
    assert commune_by_insee("97411").departement == "974"  # Saint-Denis (La Réunion)
    assert Commune.objects.filter(type="COM", mairie__isnull=False).count() > 34800
    # every outline has its simplified one, for the maps that draw many communes
    assert not Commune.objects.filter(geom__isnull=False, outline__isnull=True).exists()
    lille = commune_by_insee("59350")
    assert 4 <= lille.outline.num_points <= lille.geom.num_points


def test_load_if_empty_does_nothing_when_loaded(territories, capsys):
    """``load_territories --if-empty`` leaves a loaded reference alone (for make run)."""
    call_command("load_territories", "--if-empty")
    assert "déjà chargé" in capsys.readouterr().out
    assert Commune.objects.filter(type="COM").count() == 34875


def test_lookups_by_code_name_and_point(territories):
    """INSEE codes (current first, else the former commune), names whatever the accents,
    case or index form, and points resolve to the right commune."""
    assert commune_by_insee("67482").name == "Strasbourg"
    assert commune_by_insee("99999") is None
    assert commune_by_name("STRASBOURG").insee == "67482"
    assert commune_by_name("Petite-Pierre (La)", "67").name == "La Petite-Pierre"
    assert commune_by_name("grenoble", "38").insee == "38185"
    assert commune_by_name("Saint-Denis") is None  # several communes: ambiguous
    assert commune_by_name("Saint-Denis", "974").insee == "97411"
    assert commune_at(Point(7.7521, 48.5734, srid=4326)).insee == "67482"
    assert commune_at(Point(-4.0, 47.0, srid=4326)) is None  # at sea
    assert commune_at(Point(651000, 6862000, srid=2154)).name == "Paris"


def test_name_key_folds_accents_articles_and_saints():
    assert name_key("Étréchy") == "etrechy"
    assert name_key("Oudon (L')") == name_key("L'Oudon") == "oudon"
    assert name_key("Petite-Pierre (La)") == name_key("La Petite-Pierre") == "petite pierre"
    assert name_key("St-Gervais") == name_key("Saint Gervais") == "saint gervais"


def test_commune_index_for_bulk_importers(territories):
    """The in-memory index resolves codes and names and tells France from elsewhere."""
    index = CommuneIndex()
    lon, lat = index.points["67482"]
    assert 7.6 < lon < 7.9 and 48.5 < lat < 48.7
    assert index.insee_by_name("Rovon", "38") == "38345"
    assert index.in_france(55.45, -20.88)  # La Réunion
    assert not index.in_france(-73.57, 45.50)  # Montréal


def test_departements_outline_layer(territories, client):
    """/geo/contours.geojson serves the 101 simplified département outlines."""
    response = client.get("/geo/contours.geojson")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    doc = response.json()
    assert doc == json.loads(departements_geojson())
    assert len(doc["features"]) == 101
    codes = {f["properties"]["code"] for f in doc["features"]}
    assert {"2A", "2B", "971", "976", "59"} <= codes
    assert all(f["geometry"]["type"] == "MultiPolygon" for f in doc["features"])
