"""The feeds of a group read back by real parsers: Atom (feedparser, with GeoRSS points) and
iCalendar (icalendar). Bounded at 50 items, 404 on an unknown group."""

from __future__ import annotations

from datetime import UTC, timedelta

import feedparser
import pytest
from django.contrib.gis.geos import Point, Polygon
from django.utils import timezone
from icalendar import Calendar

from actualites.models import Event, NewsItem
from workgroups.roles import Level

from ..factories import GroupFactory, ResourceFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def group():
    return GroupFactory(slug="demo-feeds", name="Groupe des flux")


def _public(group, **extra) -> dict:
    return {
        "group": group,
        "author": extra.pop("author", None) or UserFactory(username="redac"),
        "level": Level.PUBLIC,
        "validated_at": timezone.now(),
        **extra,
    }


def test_news_atom_parses_with_titles_links_and_sanitized_html(client, group):
    old = NewsItem.objects.create(
        title="Ancienne & « première »",
        body="Bonjour",
        published_at=timezone.now() - timedelta(days=5),
        **_public(group),
    )
    new = NewsItem.objects.create(
        title="Nouvelle", body="<script>alert(1)</script>**gras**", **_public(group)
    )
    response = client.get("/portails/demo-feeds/actualites.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title == "Actualités — Groupe des flux"
    assert [e.title for e in feed.entries] == ["Nouvelle", "Ancienne & « première »"]
    assert feed.entries[0].link == f"http://testserver/portails/demo-feeds/actualites/{new.pk}/"
    assert feed.entries[1].link.endswith(f"/actualites/{old.pk}/")
    assert "<strong>gras</strong>" in feed.entries[0].summary
    assert "<script" not in response.content.decode()


def test_resources_atom_has_georss_points(client, group):
    ResourceFactory(
        title="Beffroi de Lille",
        geom=Point(3.0573, 50.6292, srid=4326),
        summary="Un beffroi.",
        **_public(group),
    )
    ResourceFactory(
        title="Parc",
        geom=Polygon(((3.0, 50.0), (3.2, 50.0), (3.2, 50.2), (3.0, 50.2), (3.0, 50.0)), srid=4326),
        **_public(group),
    )
    ResourceFactory(title="Brouillon", group=group, level=Level.PUBLIC)  # not validated
    response = client.get("/portails/demo-feeds/ressources.atom")
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    by_title = {e.title: e for e in feed.entries}
    assert set(by_title) == {"Beffroi de Lille", "Parc"}
    lon, lat = by_title["Beffroi de Lille"].where["coordinates"]
    assert (round(lon, 4), round(lat, 4)) == (3.0573, 50.6292)
    assert by_title["Beffroi de Lille"].where["type"] == "Point"
    lon, lat = by_title["Parc"].where["coordinates"]
    assert 3.0 < lon < 3.2 and 50.0 < lat < 50.2
    assert by_title["Beffroi de Lille"].link.startswith("http://testserver/ressources/")
    assert response["Access-Control-Allow-Origin"] == "*"


def test_agenda_ics_parses_with_utc_dates_geo_and_stable_uid(client, group):
    start = timezone.now().replace(microsecond=0) + timedelta(days=2)
    with_place = Event.objects.create(
        title="Balade",
        description="Départ à la mairie",
        start=start,
        end=start + timedelta(hours=3),
        place=Point(3.487, 50.389, srid=4326),
        place_name="Mairie de Raismes",
        registration_url="https://example.org/inscription",
        **_public(group),
    )
    Event.objects.create(
        title="Réunion", start=start, end=start + timedelta(hours=1), **_public(group)
    )
    response = client.get("/portails/demo-feeds/agenda.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"Balade", "Réunion"}
    balade = events["Balade"]
    assert balade.decoded("DTSTART") == start.astimezone(UTC)
    assert balade.decoded("DTSTART").tzinfo is not None
    assert balade.decoded("DTSTART").utcoffset() == timedelta(0)
    assert balade["DTSTART"].to_ical().endswith(b"Z")
    assert balade.decoded("DTEND") == (start + timedelta(hours=3)).astimezone(UTC)
    geo = balade["GEO"]
    assert (round(geo.latitude, 3), round(geo.longitude, 3)) == (50.389, 3.487)
    assert str(balade["LOCATION"]) == "Mairie de Raismes"
    assert "GEO" not in events["Réunion"]
    uid = str(balade["UID"])
    again = Calendar.from_ical(client.get("/portails/demo-feeds/agenda.ics").content)
    assert uid in {str(e["UID"]) for e in again.walk("VEVENT")}
    assert uid == f"evenement-{with_place.pk}@spass-territoires"


@pytest.mark.parametrize(
    "url",
    [
        "/portails/inconnu/actualites.atom",
        "/portails/inconnu/ressources.atom",
        "/portails/inconnu/agenda.ics",
        "/portails/inconnu/actualites/",
        "/portails/inconnu/agenda/",
        "/api/v1/groups/inconnu/news/",
        "/api/v1/groups/inconnu/events/",
    ],
)
def test_unknown_group_is_404(client, url):
    assert client.get(url).status_code == 404


def test_feeds_hold_at_most_fifty_items(client, group):
    author = UserFactory(username="prolixe")
    start = timezone.now()
    NewsItem.objects.bulk_create(
        NewsItem(title=f"Actu {i}", **_public(group, author=author)) for i in range(55)
    )
    Event.objects.bulk_create(
        Event(
            title=f"Événement {i}",
            start=start + timedelta(days=i),
            end=start + timedelta(days=i, hours=1),
            **_public(group, author=author),
        )
        for i in range(55)
    )
    ResourceFactory.create_batch(55, **_public(group, author=author))
    for url in ("actualites.atom", "ressources.atom"):
        feed = feedparser.parse(client.get(f"/portails/demo-feeds/{url}").content)
        assert len(feed.entries) == 50
    calendar = Calendar.from_ical(client.get("/portails/demo-feeds/agenda.ics").content)
    assert len(calendar.walk("VEVENT")) == 50


def test_wrong_feed_key_is_401(client, group):
    response = client.get("/portails/demo-feeds/actualites.atom?key=nimporte")
    assert response.status_code == 401
