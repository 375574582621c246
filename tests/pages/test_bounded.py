"""No page renders an unbounded list: with 5,000 resources (inserted in bulk into the real
PostGIS), every list page stays under 200 kB and reads the same number of SQL queries as
with 50 rows."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import Point
from django.db import connection
from django.test.utils import CaptureQueriesContext

from importers.models import ImportJob
from layers.models import Layer, Map
from observatoire.kinds import Base, Kind
from observatoire.models import Resource
from tests.factories import MembershipFactory, UserFactory
from tests.layers.maps_fixtures import make_map
from workgroups.models import Membership
from workgroups.roles import Level, Role

MAX_BYTES = 200_000
MAX_QUERIES = 30


def seed(cast, job: ImportJob, start: int, n: int) -> None:
    """``n`` resources of the cast's group in one bulk INSERT: public and waiting for
    validation (so in every queue), authored by the animateur and by the contributeur."""
    authors = [cast["animateur"], cast["contributeur"]]
    Resource.objects.bulk_create(
        [
            Resource(
                title=f"Église n° {i}",
                base=Base.OBSERVATOIRE,
                kind=Kind.MARQUEUR,
                geom=Point(3.0 + (i % 100) / 1000, 50.6 + (i // 100) / 1000, srid=4326),
                group=cast.group,
                author=authors[i % 2],
                level=Level.PUBLIC,
                import_job=job,
            )
            for i in range(start, start + n)
        ],
        batch_size=2000,
    )
    ImportJob.objects.bulk_create(
        [
            ImportJob(source="merimee", group=cast.group, created_by=cast["animateur"])
            for _ in range(n // 50)
        ]
    )
    for i in range(max(1, n // 100)):  # at least one: an empty list reads no row at all
        MembershipFactory(
            group=cast.group,
            user=UserFactory(username=f"candidat{start + i}"),
            state=Membership.State.REQUESTED,
            role=Role.CONTRIBUTEUR,
        )


@pytest.fixture
def carte(cast) -> Map:
    layer = Layer.objects.create(name="Marqueurs", base=Base.OBSERVATOIRE, kinds=[Kind.MARQUEUR])
    return make_map(
        cast,
        layer,
        "carte-volume",
        "Carte volumineuse",
        author=cast["animateur"],
        level=Level.GROUPE,
        center=Point(3.05, 50.6, srid=4326),
        zoom=10,
    )


def pages(cast, job: ImportJob, carte: Map) -> dict[str, str]:
    group = cast.group
    return {
        "mon-espace": "/mon-espace/",
        "mes-ressources": "/mon-espace/ressources/",
        "a-valider": f"/mon-espace/a-valider/?groupe={group.pk}&etat=en-attente&tri=titre&page=3",
        "a-relire": "/mon-espace/a-relire/?q=glise&page=2",
        "moderation": f"/mon-espace/moderation/?import={job.pk}&tri=groupe",
        "adhesions": "/mon-espace/adhesions/",
        "groupe": f"/groupes/{group.slug}/",
        "groupe-page-2": f"/groupes/{group.slug}/?page=2&membres=2",
        "imports": "/imports/",
        "cartes": "/cartes/",
        "carte": f"/cartes/{carte.slug}/?page=4",
    }


def measure(client, urls: dict[str, str]) -> dict[str, tuple[int, int]]:
    """Per page: (queries, bytes)."""
    out = {}
    for name, url in urls.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        out[name] = (len(queries), len(response.content))
    return out


def test_every_list_page_is_bounded_and_reads_as_many_queries_at_5000_rows(
    client, cast, carte, django_assert_max_num_queries
):
    job = ImportJob.objects.create(source="merimee", group=cast.group, created_by=cast["animateur"])
    seed(cast, job, 0, 50)
    client.force_login(cast["animateur"])
    urls = pages(cast, job, carte)
    small = measure(client, urls)

    seed(cast, job, 50, 4950)
    assert Resource.objects.count() == 5000
    large = measure(client, urls)
    for name, (queries, size) in large.items():
        assert size < MAX_BYTES, (name, size)
        assert queries == small[name][0], (name, small[name][0], queries)
        with django_assert_max_num_queries(MAX_QUERIES):
            client.get(urls[name])
    body = client.get("/mon-espace/a-valider/").content.decode()
    assert "5000 résultats" in body.replace("\u202f", "").replace("\xa0", "")
    assert 'aria-label="Pages de la liste"' in body and 'aria-current="page"' in body


def test_contributor_space_is_bounded_too(client, cast, django_assert_max_num_queries):
    job = ImportJob.objects.create(source="merimee", group=cast.group, created_by=cast["animateur"])
    seed(cast, job, 0, 5000)
    client.force_login(cast["contributeur"])
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get("/mon-espace/")
    assert len(response.content) < MAX_BYTES
    body = client.get("/mon-espace/ressources/?tri=titre&page=40").content.decode()
    assert "2500 résultats" in body.replace("\u202f", "").replace("\xa0", "")
    assert body.count('name="ids"') == 25


def test_counts_stop_at_the_cap(client, cast, settings, monkeypatch):
    """Past the cap a list says « plus de N » and offers no last page, and the count reads
    at most cap + 1 rows."""
    from workgroups import pagination

    monkeypatch.setattr(pagination, "COUNT_CAP", 100)
    job = ImportJob.objects.create(source="merimee", group=cast.group, created_by=cast["animateur"])
    seed(cast, job, 0, 300)
    client.force_login(cast["animateur"])
    body = client.get("/mon-espace/moderation/").content.decode()
    assert "Plus de 100 résultats" in body
    assert "?page=12" not in body and "?page=2" in body
    page_4 = client.get("/mon-espace/moderation/?page=4").content.decode()
    assert 'aria-current="page">4<' in page_4
