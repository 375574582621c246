"""The participation pages hold volumes: with 3,000 contributions waiting and 3,000 published,
the queue (group page, Mon espace, REST), the form's map and the portal's block read the same
number of SQL queries as with a few rows, and stay under a size bound."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import Point
from django.db import connection
from django.test.utils import CaptureQueriesContext

from observatoire.models import Resource
from participation.models import Submission, system_account
from participation.views import MAP_LIMIT
from workgroups.roles import Level

pytestmark = pytest.mark.django_db
MAX_BYTES = 400_000


def seed(form, start: int, n: int) -> None:
    author = system_account()
    Submission.objects.bulk_create(
        Submission(
            form=form,
            state="pending",
            title=f"Attente {i}",
            geom=Point(3.0 + i % 100 / 1000, 50.6, srid=4326),
            pseudonym="p",
        )
        for i in range(start, start + n)
    )
    Resource.objects.bulk_create(
        Resource(
            title=f"Publiée {i}",
            base="observatoire",
            kind="marqueur",
            geom=Point(3.0 + i % 100 / 1000, 50.7, srid=4326),
            group=form.group,
            author=author,
            level=Level.PUBLIC,
            validated_at="2026-12-01T00:00:00Z",
            source="participation",
            source_id=f"formulaire-{form.pk}/contribution-{i}",
            attributes={"contributeur": "p"},
        )
        for i in range(start, start + n)
    )


def measure(client, path: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries), len(response.content)


def test_pages_read_as_many_queries_with_thousands_of_rows(client, cast, form):
    slug = cast.group.slug
    paths = [
        f"/groupes/{slug}/contributions/",
        "/mon-espace/contributions/",
        f"/api/v1/groups/{slug}/submissions/?state=pending",
        f"/participer/{form.slug}/carte/",
        f"/portails/{slug}/",
        f"/groupes/{slug}/",
    ]
    client.force_login(cast["animateur"])
    seed(form, 0, 5)
    small = {path: measure(client, path) for path in paths}
    seed(form, 5, 3000)
    for path in paths:
        queries, size = measure(client, path)
        assert queries == small[path][0], path
        assert size <= MAX_BYTES, (path, size)
    page = client.get(f"/participer/{form.slug}/carte/").content.decode()
    assert page.count('"type": "Feature"') == MAP_LIMIT  # the map is capped, the list pages
    assert "3005 résultats" in page.replace("\u202f", "").replace("\xa0", "")
