"""Harvests (issue 21, item 4): a source URL re-imported on a schedule, each run an import
job whose report counts created / updated / unchanged / removed-at-source rows; rows gone
from the source are kept and flagged, never deleted; a failed download is a failed run that
writes nothing. The sources are served by a real HTTP server the tests start on 127.0.0.1."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import CommandError, call_command

from importers import tasks
from importers.harvests import REMOVED_FLAG, add_harvest, run_harvest
from importers.mapping import ColumnMapping
from importers.models import Harvest, ImportIssue, ImportJob
from importers.profiles import save_profile
from importers.undo import undo_import
from observatoire.models import Resource
from workgroups.errors import NotAllowed
from workgroups.models import User

PLACES = {
    "p1": ("Halle aux grains", 1.4442, 43.6045),
    "p2": ("Pont Neuf", 1.4380, 43.5997),
    "p3": ("Capitole", 1.4437, 43.6045),
}


def collection(places: dict, links: list | None = None) -> bytes:
    features = [
        {
            "type": "Feature",
            "properties": {"id": sid, "nom": title},
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
        }
        for sid, (title, lon, lat) in places.items()
    ]
    body = {"type": "FeatureCollection", "features": features}
    if links is not None:
        body["links"] = links
    return json.dumps(body).encode()


class Source:
    """What the test server answers: path → (status, content type, body, send its length)."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, str, bytes, bool]] = {}
        self.base = ""

    def serve(self, path: str, body: bytes, media="application/geo+json", status=200, sized=True):
        self.routes[path] = (status, media, body, sized)
        return self.base + path


@pytest.fixture
def source() -> Iterator[Source]:
    """A real HTTP server on a free port of 127.0.0.1, in a thread, for the test's duration."""
    served = Source()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def do_GET(self) -> None:
            status, media, body, sized = served.routes.get(
                self.path, (404, "text/plain", b"absent", True)
            )
            self.send_response(status)
            self.send_header("Content-Type", media)
            if sized:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    served.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield served
    server.shutdown()
    server.server_close()


def harvest_of(group, user, url, name="Lieux de Toulouse", **options) -> Harvest:
    return add_harvest(user, name=name, url=url, group=group, kind="marqueur", **options)


def rows(harvest: Harvest) -> dict[str, tuple[str, dict]]:
    return {
        r.source_id: (r.title, r.attributes)
        for r in Resource.objects.filter(source=f"moisson:{harvest.pk}")
    }


def counts(job: ImportJob) -> tuple[int, int, int, int]:
    return job.created, job.updated, job.unchanged, job.removed


@pytest.mark.django_db
def test_first_run_creates_then_an_unchanged_source_is_unchanged_row_by_row(heritage_group, source):
    """The first run creates every row; the second, of the same source, reports every row
    « unchanged » (nothing created, updated or removed) — through the command too."""
    group, animateur = heritage_group
    harvest = harvest_of(group, animateur, source.serve("/lieux.geojson", collection(PLACES)))

    first = run_harvest(harvest)
    assert first.status == ImportJob.Status.SUCCEEDED and first.harvest == harvest
    assert counts(first) == (3, 0, 0, 0)
    assert {sid: title for sid, (title, _a) in rows(harvest).items()} == {
        sid: p[0] for sid, p in PLACES.items()
    }
    assert first.file_name == source.base + "/lieux.geojson"

    out = io.StringIO()
    call_command("harvest", "run", harvest.name, stdout=out)
    assert "read=3 created=0 updated=0 unchanged=3 rejected=0" in out.getvalue()
    assert "removed=0" in out.getvalue()
    second = harvest.jobs.order_by("-id").first()
    assert counts(second) == (0, 0, 3, 0)
    assert Resource.objects.filter(import_job=second).count() == 0  # no row rewritten


@pytest.mark.django_db(transaction=True)
def test_rows_gone_from_the_source_are_kept_flagged_counted_and_undone_with_the_run(
    heritage_group, source, client
):
    """One row removed and one changed at the source: updated 1, removed-at-source 1; the
    removed row stays, flagged with the run's date, named in the report and on its page; the
    next run counts it again without rewriting it; undoing the run lifts the flag; a row back
    at the source loses it."""
    group, animateur = heritage_group
    url = source.serve("/lieux.geojson", collection(PLACES))
    harvest = harvest_of(group, animateur, url)
    run_harvest(harvest)

    changed = {"p1": ("Halle aux grains (salle de concert)", *PLACES["p1"][1:]), "p2": PLACES["p2"]}
    source.serve("/lieux.geojson", collection(changed))
    job = run_harvest(harvest)
    assert counts(job) == (0, 1, 1, 1)
    kept = Resource.objects.get(source_id="p3", source=f"moisson:{harvest.pk}")
    assert kept.title == "Capitole" and REMOVED_FLAG in kept.attributes
    assert rows(harvest)["p1"][0] == "Halle aux grains (salle de concert)"
    issue = ImportIssue.objects.get(job=job, level=ImportIssue.Level.REMOVED)
    assert issue.source_id == "p3" and "Capitole" in issue.message
    assert "Absente de la source" in issue.message
    client.force_login(animateur)
    assert REMOVED_FLAG in client.get(f"/ressources/{kept.pk}/").content.decode()
    assert 'data-count="removed">1<' in client.get(f"/imports/{job.pk}/").content.decode()

    again = run_harvest(harvest)
    assert counts(again) == (0, 0, 2, 1)
    assert Resource.objects.get(pk=kept.pk).import_job_id == job.pk  # not rewritten

    undo_import(animateur, again)  # nothing it wrote: the undo changes nothing
    undo_import(animateur, job)
    restored = Resource.objects.get(pk=kept.pk)
    assert REMOVED_FLAG not in restored.attributes
    assert rows(harvest)["p1"][0] == "Halle aux grains"

    source.serve("/lieux.geojson", collection(changed))
    flagged = run_harvest(harvest)
    assert counts(flagged)[3] == 1
    source.serve("/lieux.geojson", collection(PLACES))
    back = run_harvest(harvest)
    assert counts(back) == (0, 2, 1, 0)  # p3 unflagged, p1 back to its old title
    assert all(REMOVED_FLAG not in attributes for _t, attributes in rows(harvest).values())


def snapshot() -> list[tuple]:
    return list(Resource.objects.order_by("pk").values_list("pk", "title", "updated_at"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("serve", "words"),
    [
        (None, ["Source injoignable", "127.0.0.1:9"]),
        (("/ailleurs.geojson", b"", "text/plain", 404), ["Source introuvable", "HTTP 404"]),
        (("/page.geojson", b"<html></html>", "text/html", 200), ["Type inattendu", "text/html"]),
    ],
    ids=["unreachable", "not-found", "html"],
)
def test_a_source_that_cannot_be_read_fails_the_run_and_writes_nothing(
    heritage_group, source, serve, words
):
    """Unreachable, missing or of an unexpected type: the run is a failed job whose French
    error names the URL, and the resources are as they were."""
    group, animateur = heritage_group
    harvest = harvest_of(group, animateur, source.serve("/lieux.geojson", collection(PLACES)))
    run_harvest(harvest)
    before = snapshot()
    if serve is None:
        url = "http://127.0.0.1:9/lieux.geojson"  # the discard port: nothing listens
    else:
        path, body, media, status = serve
        url = source.serve(path, body, media=media, status=status)
        if status == 404:
            del source.routes[path]
    Harvest.objects.filter(pk=harvest.pk).update(url=url)
    harvest.refresh_from_db()

    job = run_harvest(harvest)
    assert job.status == ImportJob.Status.FAILED
    assert url in job.error and all(word in job.error for word in words), job.error
    assert snapshot() == before
    assert ImportIssue.objects.filter(job=job, message=job.error).exists()
    with pytest.raises(CommandError, match=words[0]):
        call_command("harvest", "run", harvest.name, stdout=io.StringIO())


@pytest.mark.django_db
@pytest.mark.parametrize("sized", [True, False], ids=["announced", "streamed"])
def test_an_oversized_source_fails_the_run_and_writes_nothing(
    heritage_group, source, settings, sized
):
    """Beyond ``IMPORT_MAX_BYTES`` — said by its length or found while streaming — the run
    fails naming the URL and the limit; nothing is written."""
    group, animateur = heritage_group
    body = collection(PLACES)
    url = source.serve("/lieux.geojson", body, sized=sized)
    harvest = harvest_of(group, animateur, url)
    settings.SPASS = {**settings.SPASS, "IMPORT_MAX_BYTES": len(body) - 1}
    job = run_harvest(harvest)
    assert job.status == ImportJob.Status.FAILED
    assert "Source trop volumineuse" in job.error and url in job.error
    assert str(len(body) - 1) in job.error
    assert not Resource.objects.exists()


@pytest.mark.django_db
def test_an_ogc_api_collection_is_read_page_by_page(heritage_group, source):
    """An OGC API Features ``…/items`` address: the ``next`` links are followed (relative or
    absolute) and every page's rows imported; past the page cap the run fails whole."""
    group, animateur = heritage_group
    first, second = dict(list(PLACES.items())[:2]), dict(list(PLACES.items())[2:])
    source.serve(
        "/collections/lieux/items?offset=2",
        collection(second, links=[{"rel": "self", "href": "items?offset=2"}]),
    )
    url = source.serve(
        "/collections/lieux/items",
        collection(first, links=[{"rel": "next", "href": "items?offset=2"}]),
    )
    harvest = harvest_of(group, animateur, url)
    assert harvest.format == Harvest.Format.OGC
    job = run_harvest(harvest)
    assert job.status == ImportJob.Status.SUCCEEDED, job.error
    assert counts(job) == (3, 0, 0, 0) and set(rows(harvest)) == set(PLACES)


@pytest.mark.django_db
def test_ogc_pages_beyond_the_cap_fail_the_run(heritage_group, source, settings):
    """A collection longer than ``HARVEST_MAX_PAGES`` (here: one whose ``next`` loops) fails:
    a partial read would flag the rest as removed."""
    group, animateur = heritage_group
    url = source.serve(
        "/collections/lieux/items",
        collection(PLACES, links=[{"rel": "next", "href": "/collections/lieux/items"}]),
    )
    settings.SPASS = {**settings.SPASS, "HARVEST_MAX_PAGES": 5}
    job = run_harvest(harvest_of(group, animateur, url))
    assert job.status == ImportJob.Status.FAILED and "Trop de pages" in job.error
    assert not Resource.objects.exists()


@pytest.mark.django_db
def test_a_csv_source_runs_with_the_groups_mapping_profile(heritage_group, source):
    """A CSV with a saved profile of the group: its columns map as the profile says."""
    group, animateur = heritage_group
    csv = b"code,intitule,lon,lat\nc1,Basilique Saint-Sernin,1.4419,43.6085\n"
    mapping = ColumnMapping({"source_id": "code", "title": "intitule"})
    save_profile(animateur, group, "Lieux CSV", mapping, ["code", "intitule", "lon", "lat"])
    url = source.serve("/lieux.csv", csv, media="text/csv; charset=utf-8")
    harvest = harvest_of(group, animateur, url, profile="Lieux CSV")
    assert harvest.format == Harvest.Format.CSV
    job = run_harvest(harvest)
    assert counts(job) == (1, 0, 0, 0), job.error
    assert rows(harvest)["c1"][0] == "Basilique Saint-Sernin"


@pytest.mark.django_db
def test_the_periodic_task_runs_the_due_harvests_only(heritage_group, source):
    """Called with a fixed time, the periodic task runs the harvest due then (its next run a
    day later) and not the one due later."""
    group, animateur = heritage_group
    url = source.serve("/lieux.geojson", collection(PLACES))
    noon = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)
    due = harvest_of(group, animateur, url, name="due", now=noon - timedelta(minutes=5))
    later = harvest_of(
        group, animateur, url, name="plus tard", every="weekly", now=noon + timedelta(hours=1)
    )
    tasks.run_due_harvests(int(noon.timestamp()))
    assert [counts(j) for j in due.jobs.all()] == [(3, 0, 0, 0)]
    assert not later.jobs.exists()
    due.refresh_from_db()
    assert due.next_run_at == noon + timedelta(days=1)
    tasks.run_due_harvests(int((noon + timedelta(hours=2)).timestamp()))
    assert due.jobs.count() == 1 and later.jobs.count() == 1
    later.refresh_from_db()
    assert later.next_run_at == noon + timedelta(hours=2, days=7)


@pytest.mark.django_db
def test_only_an_animateur_of_the_group_adds_a_harvest(heritage_group, source):
    """A contributeur may not add a harvest (service and command); an animateur may, and
    ``harvest list`` shows it with its last and next run."""
    group, _animateur = heritage_group
    url = source.serve("/lieux.geojson", collection(PLACES))
    contributeur = User.objects.get(username="contrib")
    with pytest.raises(NotAllowed):
        harvest_of(group, contributeur, url)
    with pytest.raises(CommandError, match="n'est pas animateur"):
        call_command(
            "harvest", "add", "Lieux", "--url", url, "--group", group.slug,
            "--as", "contrib", "--kind", "marqueur",
        )  # fmt: skip
    assert not Harvest.objects.exists()
    out = io.StringIO()
    call_command(
        "harvest", "add", "Lieux", "--url", url, "--group", group.slug,
        "--as", "anim", "--kind", "marqueur", "--every", "weekly", stdout=out,
    )  # fmt: skip
    assert "Moisson « Lieux » ajoutée" in out.getvalue()
    listing = io.StringIO()
    call_command("harvest", "list", stdout=listing)
    assert "Lieux\tpatrimoine\tgeojson\tweekly" in listing.getvalue()
    assert "dernière : jamais" in listing.getvalue()
    with pytest.raises(CommandError, match="http et https"):
        call_command(
            "harvest", "add", "Local", "--url", "file:///etc/passwd", "--group", group.slug,
            "--as", "anim", "--kind", "marqueur",
        )  # fmt: skip
