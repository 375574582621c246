"""The home page, the French admin with its local map widget, system checks and the demo."""

import re

import pytest
from django.core.checks import run_checks
from django.core.management import call_command

from geo.checks import check_var_writable
from observatoire import demo
from observatoire.kinds import KINDS_OF_BASE
from observatoire.models import Resource
from workgroups.models import Group, Membership, User

from .factories import ResourceFactory, UserFactory


def test_home_page_is_french_and_links_to_the_admin(db, client):
    """The home page says what the platform is, in French, and links to the admin."""
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr">' in html
    assert "plateforme participative du réseau des CAUE" in html
    assert 'href="/admin/"' in html


def test_home_page_in_english_on_request(db, client):
    """English is the second language (Accept-Language)."""
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in html
    assert "participatory platform" in html


@pytest.fixture
def operator(db, client):
    admin = UserFactory(username="operatrice", is_staff=True, is_superuser=True)
    client.force_login(admin)
    return admin


def test_admin_lists_resources_with_french_filters(client, operator):
    """Operators filter resources by base, kind, group, level and validation."""
    ResourceFactory(title="Beffroi d'Arras", level="utilisateur")
    ResourceFactory(title="Citadelle de Lille", level="public")  # a second group: the filter shows
    html = client.get("/admin/observatoire/resource/").content.decode()
    assert "Beffroi d&#x27;Arras" in html
    for label in ("Par base", "Par type", "Par groupe", "Par niveau de partage", "Par validation"):
        assert label in html
    filtered = client.get("/admin/observatoire/resource/?validated=no&level=utilisateur")
    assert filtered.status_code == 200


def test_admin_map_widget_uses_only_local_files(client, operator):
    """The map widget's script, styles and base layer come from this site (no CDN)."""
    resource = ResourceFactory()
    html = client.get(f"/admin/observatoire/resource/{resource.pk}/change/").content.decode()
    assert "/static/vendor/ol/ol.js" in html
    assert "/geo/contours.geojson" in html
    external = re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
    assert external == []
    assert "ol.source.OSM" not in html


def test_admin_group_page_has_memberships_inline(client, operator):
    group = Group.objects.create(name="Groupe admin", slug="groupe-admin", family="theme")
    html = client.get(f"/admin/workgroups/group/{group.pk}/change/").content.decode()
    assert "Adhésions" in html or "adhésions" in html


def test_outlines_are_geojson(client, db):
    response = client.get("/geo/contours.geojson")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert response.json()["type"] == "FeatureCollection"


def test_system_checks_pass_on_this_machine(db):
    """GDAL, PROJ, PostGIS and var/ are all in place (spass.E001–E004)."""
    errors = [
        m
        for m in run_checks(include_deployment_checks=False, databases=["default"])
        if m.id.startswith("spass.")
    ]
    assert errors == []


def test_unwritable_var_dir_is_reported(settings, tmp_path):
    """spass.E004 names the directory when var/ cannot be written."""
    blocked = tmp_path / "fichier"
    blocked.write_text("pas un dossier")
    settings.SPASS = {**settings.SPASS, "VAR_DIR": blocked / "var"}
    [error] = check_var_writable()
    assert error.id == "spass.E004"
    assert "fichier" in error.msg


def test_demo_loads_once_with_every_kind_and_level(db, settings):
    """load_demo builds the documented cast and 300+ resources; a second run adds nothing."""
    call_command("load_demo")
    count = Resource.objects.count()
    assert count >= 300
    kinds = set(Resource.objects.values_list("kind", flat=True))
    assert kinds == {k for kinds in KINDS_OF_BASE.values() for k in kinds}
    assert set(Resource.objects.values_list("level", flat=True)) == {
        "utilisateur",
        "groupe",
        "communaute",
        "public",
    }
    beyond = Resource.objects.filter(level__in=["communaute", "public"])
    assert beyond.filter(validated_at__isnull=True).exists()
    assert beyond.filter(validated_at__isnull=False).exists()
    assert Resource.objects.filter(
        geom__intersects="POLYGON((55 -21.5, 56 -21.5, 56 -20.5, 55 -20.5, 55 -21.5))"
    ).exists()
    roles = dict(
        Membership.objects.filter(group__slug="demo-nord").values_list("user__username", "role")
    )
    assert roles == {
        "anim": "animateur",
        "expert": "expert",
        "contrib": "contributeur",
        "lecteur": "lecteur",
    }
    assert not Membership.objects.filter(user__username="visiteur").exists()
    assert (
        Membership.objects.filter(user__username="anim2", role="animateur")
        .exclude(group__slug="demo-nord")
        .exists()
    )
    assert User.objects.get(username="contrib").check_password(settings.SPASS["DEMO_PASSWORD"])
    call_command("load_demo")
    assert Resource.objects.count() == count
    assert demo.is_loaded()


def test_migrations_are_up_to_date(db):
    """Models and migrations agree (no forgotten makemigrations)."""
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_error_pages_speak_french_and_keep_the_site_around(client, cast):
    """A wrong address gets the site's page in French (navigation, search, sign-in for an
    anonymous visitor), not the framework's bare English one; so does a refused action."""
    response = client.get("/nexiste-pas/")
    page = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="fr">' in page and "<h1>Page introuvable</h1>" in page
    assert 'href="/recherche/"' in page and "/connexion/?next=/nexiste-pas/" in page
    client.force_login(cast["lecteur"])
    page = client.get("/nexiste-pas/").content.decode()
    assert "Page introuvable" in page and "/connexion/?next=" not in page
