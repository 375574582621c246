"""An import never writes outside the importer's rights (issue « imports must not write
outside one's rights »).

The key ``(source, source_id)`` is global: a file row whose key is held by a resource the
importer may not edit — of another group, or of their own group but not theirs to edit — is a
conflict: not written, counted (``conflicts=N``) and named in the report with its group.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser

from importers.models import ImportIssue, ImportJob
from observatoire.models import Resource
from workgroups.roles import Role

from ..factories import GroupFactory, MembershipFactory, UserFactory
from ..tiles.conftest import ids_in, tile_of
from .conftest import MERIMEE_FILES, run_command
from .test_web_import import run_worker, upload

pytestmark = pytest.mark.django_db

#: the real 2013 Mérimée extract holds PA00078014 (a chapel of Aix-en-Othe)
MONUMENT = "PA00078014"


def deface_file(path: Path, ref: str = MONUMENT, title: str = "Tagué par un autre groupe") -> Path:
    """A one-feature GeoJSON that claims the monument's Mérimée reference."""
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"ref": ref, "nom": title},
                        "geometry": {"type": "Point", "coordinates": [2.35, 48.85]},
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    return path


def import_deface(path: Path, group: str, username: str, *extra: str):
    return run_command(
        "import_geodata",
        str(path),
        "--group",
        group,
        "--as",
        username,
        "--base",
        "observatoire",
        "--kind",
        "marqueur",
        "--source",
        "merimee",
        "--map",
        "source_id=ref",
        "--map",
        "title=nom",
        *extra,
    )


@pytest.fixture
def neighbours(heritage):
    """``patrimoine`` (heritage fixture, animateur ``anim``) holding the 2013 extract, and a
    neighbouring group whose animateur ``anim2`` is no member of it."""
    run_command("import_merimee", str(MERIMEE_FILES["2013"]), "--group", "patrimoine")
    other = GroupFactory(slug="voisins", name="CAUE voisin")
    MembershipFactory(group=other, role=Role.ANIMATEUR, user=UserFactory(username="anim2"))
    return heritage[0], other


def snapshot(ref: str = MONUMENT) -> dict:
    return Resource.objects.filter(source="merimee", source_id=ref).values().get()


def test_another_groups_animateur_cannot_overwrite_a_monument(neighbours, tmp_path):
    """The reported scenario: anim2 imports into their own group a feature with the
    reference of a public, validated monument of another group. Nothing of the monument
    changes; one conflict is counted and named in the report with the holding group."""
    before = snapshot()
    assert before["level"] == "public" and before["validated_at"] is not None
    counts, report = import_deface(deface_file(tmp_path / "deface.geojson"), "voisins", "anim2")
    assert counts == dict(
        read=1, created=0, updated=0, unchanged=0, rejected=0, warnings=0, conflicts=1
    )
    assert snapshot() == before
    assert Resource.objects.filter(source="merimee", source_id=MONUMENT).count() == 1
    issue = ImportIssue.objects.get(level=ImportIssue.Level.CONFLICT)
    assert issue.source_id == MONUMENT and issue.row == 1
    assert "appartient au groupe « Patrimoine »" in issue.message
    assert "conflit" in report.read_text(encoding="utf-8")
    assert ImportJob.objects.latest("id").conflicts == 1


def test_dry_run_reports_the_same_conflict(neighbours, tmp_path):
    before = snapshot()
    counts, _report = import_deface(
        deface_file(tmp_path / "deface.geojson"), "voisins", "anim2", "--dry-run"
    )
    assert counts["conflicts"] == 1 and counts["updated"] == 0
    assert snapshot() == before


def test_the_owning_animateur_still_updates_their_rows(neighbours, tmp_path):
    """A re-import by the group's own animateur updates the row, in place, in its group."""
    before = snapshot()
    counts, _report = import_deface(
        deface_file(tmp_path / "fix.geojson", title="Chapelle Saint-Avit (restaurée)"),
        "patrimoine",
        "anim",
    )
    assert (counts["updated"], counts["conflicts"], counts["created"]) == (1, 0, 0)
    after = snapshot()
    assert after["title"] == "Chapelle Saint-Avit (restaurée)"
    for kept in ("id", "group_id", "author_id", "level", "validated_at", "validated_by_id"):
        assert after[kept] == before[kept], kept


def test_new_rows_beside_conflicts_are_still_created(neighbours, tmp_path):
    """A file mixing a taken reference and a new one: the new one is created in the
    importer's group, the taken one is a conflict; both counted."""
    path = tmp_path / "mix.geojson"
    deface_file(path)
    data = json.loads(path.read_text())
    data["features"].append(
        {
            "type": "Feature",
            "properties": {"ref": "PA99999999", "nom": "Lavoir du voisin"},
            "geometry": {"type": "Point", "coordinates": [2.4, 48.8]},
        }
    )
    path.write_text(json.dumps(data))
    before = snapshot()
    counts, _report = import_deface(path, "voisins", "anim2")
    assert (counts["created"], counts["conflicts"], counts["updated"]) == (1, 1, 0)
    assert snapshot() == before
    assert Resource.objects.get(source_id="PA99999999").group.slug == "voisins"


def test_animateur_of_both_groups_does_not_move_a_row(neighbours, tmp_path):
    """Even an animateur of both groups importing into the second group leaves the first
    group's monument where it is: an import writes only in its own group."""
    _first, second = neighbours
    MembershipFactory(
        group=second, role=Role.ANIMATEUR, user=Resource.objects.get(source_id=MONUMENT).author
    )
    before = snapshot()
    counts, _report = import_deface(deface_file(tmp_path / "d.geojson"), "voisins", "anim")
    assert counts["conflicts"] == 1 and snapshot() == before


def test_a_contributeur_cannot_overwrite_the_animateurs_rows(neighbours, tmp_path):
    """Inside the group too: a contributeur may create, not rewrite someone else's row."""
    before = snapshot()
    counts, _report = import_deface(deface_file(tmp_path / "c.geojson"), "patrimoine", "contrib")
    assert counts["conflicts"] == 1 and counts["updated"] == 0
    assert snapshot() == before
    issue = ImportIssue.objects.get(level=ImportIssue.Level.CONFLICT)
    assert "ne vous est pas modifiable" in issue.message


@pytest.mark.django_db(transaction=True)
def test_web_import_reports_the_conflict_and_writes_nothing(client, tmp_path, territories):
    """The same scenario through ``/imports/nouveau/`` and the real worker."""
    owners = GroupFactory(slug="demo-nord", name="Démo Nord")
    anim = MembershipFactory(
        group=owners, role=Role.ANIMATEUR, user=UserFactory(username="anim")
    ).user
    monument = Resource.objects.create(
        base="observatoire",
        kind="marqueur",
        title="Beffroi",
        group=owners,
        author=anim,
        level="public",
        validated_by=anim,
        validated_at="2026-01-01T00:00:00Z",
        source="fichier:lieux",  # the web import's provenance for « lieux.geojson »
        source_id="s1",
        geom="SRID=4326;POINT(3.06 50.63)",
    )
    before = Resource.objects.filter(pk=monument.pk).values().get()
    other = GroupFactory(slug="patrimoine-paysages", name="Patrimoine et paysages")
    anim2 = MembershipFactory(
        group=other, role=Role.ANIMATEUR, user=UserFactory(username="anim2")
    ).user
    client.force_login(anim2)
    assert upload(client, other).status_code == 302
    run_worker(tmp_path)
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.SUCCEEDED, job.error
    assert (job.read, job.created, job.conflicts, job.updated) == (3, 2, 1, 0)
    assert Resource.objects.filter(pk=monument.pk).values().get() == before
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert 'data-count="conflicts">1<' in page and "Démo Nord" in page
    assert monument in Resource.objects.visible_to(AnonymousUser())


def test_a_cli_import_refreshes_the_cached_anonymous_tile(heritage, client, tmp_path):
    """``manage.py import_*`` writes with SQL and no model signal: it announces what it wrote
    (``resources_changed``), so the tile cached before the import shows the new public point
    afterwards — and again after a re-import that moves it away."""
    lon, lat = 2.35, 48.85
    z, x, y = tile_of(lon, lat, 14)
    url = f"/tiles/observatoire/{z}/{x}/{y}.pbf"
    assert ids_in(client.get(url).content) == set()
    assert list(tmp_path.glob("tiles/**/*.pbf")), "the empty tile was not cached"
    path = deface_file(tmp_path / "public.geojson", ref="PA00000001", title="Nouveau")
    counts, _report = import_deface(path, "patrimoine", "anim", "--level", "public")
    assert counts["created"] == 1
    (new_id,) = Resource.objects.filter(source_id="PA00000001").values_list("id", flat=True)
    assert ids_in(client.get(url).content) == {new_id}

    data = json.loads(path.read_text())
    data["features"][0]["geometry"]["coordinates"] = [5.37, 43.30]  # to Marseille
    path.write_text(json.dumps(data))
    assert import_deface(path, "patrimoine", "anim", "--level", "public")[0]["updated"] == 1
    assert ids_in(client.get(url).content) == set()
