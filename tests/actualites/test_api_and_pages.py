"""Writing news and events: who may post (contributeur+, not lecteur), first-share validation by
an animateur (API and « Valider » button), bad input refused in French, Markdown stripped on
the pages, and the demo items of demo-nord."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from actualites.models import Event, NewsItem
from workgroups.roles import Level, Role

from ..factories import GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

SLUG = "groupe-matrice"
NEWS = f"/api/v1/groups/{SLUG}/news/"
EVENTS = f"/api/v1/groups/{SLUG}/events/"


def _event(**properties) -> dict:
    start = timezone.now() + timedelta(days=1)
    base = {
        "title": "Balade",
        "start": start.isoformat(),
        "end": (start + timedelta(hours=2)).isoformat(),
        "level": "public",
    }
    return {"type": "Feature", "geometry": None, "properties": {**base, **properties}}


@pytest.mark.parametrize(
    ("actor", "status"),
    [("anonymous", 401), ("account", 403), ("lecteur", 403), ("other_animateur", 403)],
)
def test_post_refused_below_contributeur(cast, client_for, actor, status):
    news = client_for(actor).post(NEWS, {"title": "Non"}, format="json")
    event = client_for(actor).post(EVENTS, _event(), format="json")
    assert news.status_code == event.status_code == status
    assert not NewsItem.objects.exists() and not Event.objects.exists()


def test_contributeur_posts_and_it_waits_for_an_animateur(cast, client_for):
    contrib = client_for("contributeur")
    created = contrib.post(
        NEWS, {"title": "Fête du patrimoine", "body": "**Venez**", "level": "public"}, format="json"
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["validated"] is False and body["level"] == "public"
    assert body["group"] == SLUG and body["author"] == "contributeur"
    assert "<strong>Venez</strong>" in body["html"]
    pk = body["id"]
    anonymous = Client()
    assert (
        "Fête du patrimoine"
        not in anonymous.get(f"/portails/{SLUG}/actualites.atom").content.decode()
    )
    assert client_for("anonymous").get(f"{NEWS}{pk}/").status_code == 404
    refused = contrib.post(f"{NEWS}{pk}/validate/")
    assert refused.status_code == 403
    validated = client_for("animateur").post(f"{NEWS}{pk}/validate/")
    assert validated.status_code == 200
    assert validated.json()["validated"] is True
    assert validated.json()["validated_by"] == "animateur"
    assert (
        "Fête du patrimoine" in anonymous.get(f"/portails/{SLUG}/actualites.atom").content.decode()
    )
    again = client_for("animateur").post(f"{NEWS}{pk}/validate/")
    assert again.status_code == 400


def test_event_with_place_as_geojson_feature(cast, client_for):
    response = client_for("contributeur").post(
        EVENTS,
        _event(place_name="Mairie", registration_url="https://exemple.org/inscription")
        | {"geometry": {"type": "Point", "coordinates": [3.48, 50.39]}},
        format="json",
    )
    assert response.status_code == 201, response.json()
    feature = response.json()
    assert feature["geometry"]["coordinates"] == [3.48, 50.39]
    assert feature["properties"]["validated"] is False
    event = Event.objects.get()
    assert (event.place.x, event.place.y) == (3.48, 50.39)


def test_animateur_sharing_publicly_validates_at_once(cast, client_for):
    response = client_for("animateur").post(EVENTS, _event(), format="json")
    assert response.status_code == 201
    assert response.json()["properties"]["validated"] is True


def test_end_before_start_refused_in_french(cast, client_for):
    start = timezone.now() + timedelta(days=1)
    response = client_for("contributeur").post(
        EVENTS,
        _event(start=start.isoformat(), end=(start - timedelta(hours=1)).isoformat()),
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["end"] == ["La fin de la manifestation ne peut pas précéder son début."]
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x", "ftp://exemple.org/"]
)
def test_registration_link_must_be_http(cast, client_for, url):
    response = client_for("contributeur").post(EVENTS, _event(registration_url=url), format="json")
    assert response.status_code == 400
    assert "registration_url" in response.json()
    assert not Event.objects.exists()


def test_unknown_property_and_bad_geometry_refused(cast, client_for):
    contrib = client_for("contributeur")
    assert contrib.post(NEWS, {"title": "x", "titel": "y"}, format="json").status_code == 400
    line = {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}
    response = contrib.post(EVENTS, _event() | {"geometry": line}, format="json")
    assert response.status_code == 400 and "geometry" in response.json()


def test_pages_strip_script_iframe_and_javascript_links(cast):
    hostile = (
        "<script>alert('x')</script>\n\n<iframe src=\"https://evil.example\"></iframe>\n\n"
        "[clic](javascript:alert(1)) <img src=x onerror=alert(1)> **ok**"
    )
    sharing = {
        "group": cast.group,
        "author": cast["author"],
        "level": Level.PUBLIC,
        "validated_at": timezone.now(),
    }
    news = NewsItem.objects.create(title="Hostile", body=hostile, **sharing)
    start = timezone.now() + timedelta(days=1)
    event = Event.objects.create(
        title="Hostile", description=hostile, start=start, end=start, **sharing
    )
    client = Client()
    for url in (
        f"/portails/{SLUG}/actualites/",
        f"/portails/{SLUG}/actualites/{news.pk}/",
        f"/portails/{SLUG}/agenda/{event.pk}/",
        f"/portails/{SLUG}/actualites.atom",
    ):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        if url.endswith(".atom"):  # the entry's HTML, escaped once in the XML
            html = unescape(html)
        assert "<strong>ok</strong>" in html
        for bad in (r"<script", r"<iframe", r"<[^>]*\bonerror", r"=\s*[\"']?\s*javascript:"):
            assert not re.search(bad, html, re.IGNORECASE), (url, bad)


def test_agenda_page_lists_upcoming_first_then_past(cast):
    sharing = {
        "group": cast.group,
        "author": cast["author"],
        "level": Level.PUBLIC,
        "validated_at": timezone.now(),
    }
    now = timezone.now()
    for title, days in [("Passée", -10), ("Bientôt", 2), ("Plus tard", 20), ("Ancienne", -40)]:
        start = now + timedelta(days=days)
        Event.objects.create(title=title, start=start, end=start + timedelta(hours=1), **sharing)
    html = Client().get(f"/portails/{SLUG}/agenda/").content.decode()
    positions = [
        html.index(t) for t in ("À venir", "Bientôt", "Plus tard", "Passées", "Passée<", "Ancienne")
    ]
    assert positions == sorted(positions)


def test_create_forms_for_contributeurs_and_validate_button_for_animateurs(cast):
    client = Client()
    client.force_login(cast["lecteur"])
    assert client.get(f"/portails/{SLUG}/actualites/ajouter/").status_code == 403
    client.force_login(cast["contributeur"])
    page = client.get(f"/portails/{SLUG}/agenda/ajouter/")
    assert page.status_code == 200 and "Annoncer une manifestation" in page.content.decode()
    bad = client.post(
        f"/portails/{SLUG}/agenda/ajouter/",
        {
            "title": "Atelier",
            "start": "2030-05-02T10:00",
            "end": "2030-05-01T10:00",
            "level": "public",
        },
    )
    assert bad.status_code == 400  # the form again, its errors tied to the fields
    assert "La fin de la manifestation ne peut pas précéder son début." in bad.content.decode()
    done = client.post(
        f"/portails/{SLUG}/agenda/ajouter/",
        {
            "title": "Atelier",
            "start": "2030-05-01T10:00",
            "end": "2030-05-01T12:00",
            "latitude": "50.39",
            "longitude": "3.48",
            "level": "public",
        },
    )
    assert done.status_code == 302, done.content.decode()[:2000]
    event = Event.objects.get()
    assert event.place is not None and not event.is_validated
    detail = f"/portails/{SLUG}/agenda/{event.pk}/"
    assert "Valider" not in client.get(detail).content.decode().split("<main", 1)[1]
    client.force_login(cast["animateur"])
    assert ">Valider<" in client.get(detail).content.decode()
    assert client.post(f"{detail}valider/").status_code == 302
    event.refresh_from_db()
    assert event.is_validated and event.validated_by == cast["animateur"]
    ics = Client().get(f"/portails/{SLUG}/agenda.ics").content.decode()
    assert "Atelier" in ics


def test_news_form_creates_a_news_item(cast):
    client = Client()
    client.force_login(cast["contributeur"])
    response = client.post(
        f"/portails/{SLUG}/actualites/ajouter/",
        {
            "title": "Nouvelle",
            "body": "Texte",
            "published_at": "2026-01-02T10:00",
            "level": "groupe",
        },
    )
    assert response.status_code == 302
    item = NewsItem.objects.get()
    assert item.author == cast["contributeur"] and item.level == Level.GROUPE


def test_demo_gives_demo_nord_two_news_and_two_events_published(db):
    group = GroupFactory(slug="demo-nord")
    MembershipFactory(group=group, role=Role.ANIMATEUR, user=UserFactory(username="anim"))
    call_command("load_demo_news")
    call_command("load_demo_news")
    assert NewsItem.objects.filter(group=group).count() == 2
    assert Event.objects.filter(group=group).count() == 2
    for model in (NewsItem, Event):
        assert model.objects.visible_to(None).filter(group=group).count() == 2
    assert Event.objects.filter(group=group, place__isnull=False).count() == 1
