"""The bell, the list (paginated, newest first, mark read), the e-mail preference, and the
API of one's notifications; bounded at 1,000 unread."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from notifications.models import Notification, Preference
from notifications.services import UNREAD_CAP
from workgroups.events import Kind

pytestmark = pytest.mark.django_db


def _notify(person, n: int, group) -> None:
    Notification.objects.bulk_create(
        Notification(recipient=person, kind=Kind.ROLE_CHANGED, group=group) for _ in range(n)
    )


def _client(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_the_bell_counts_the_unread_and_caps(cast):
    client = _client(cast["lecteur"])
    page = client.get("/").content.decode()
    assert 'class="cloche"' in page and "cloche-compte" not in page
    _notify(cast["lecteur"], 3, cast.group)
    assert '<span class="cloche-compte">3<span class="visually-hidden"> non lues' in (
        client.get("/").content.decode()
    )
    _notify(cast["lecteur"], 150, cast.group)
    assert f">{UNREAD_CAP}+<" in client.get("/").content.decode()
    assert 'class="cloche"' not in Client().get("/").content.decode()  # anonymous: no bell


def test_the_list_pages_and_marks_read(cast, django_assert_max_num_queries):
    person = cast["lecteur"]
    _notify(person, 1000, cast.group)
    client = _client(person)
    with django_assert_max_num_queries(20):
        page = client.get("/mon-espace/notifications/")
    body = page.content.decode()
    assert body.count('class="non-lue"') == 20  # a page, never the thousand
    assert "a changé votre rôle dans le groupe « Groupe de la matrice »" in body
    first = Notification.objects.filter(recipient=person).order_by("-created_at", "-id").first()
    client.post("/mon-espace/notifications/lues/", {"id": first.pk})
    assert Notification.objects.filter(recipient=person, read_at__isnull=False).count() == 1
    unread = client.get("/mon-espace/notifications/?non-lues=1").content.decode()
    assert f'value="{first.pk}"' not in unread
    client.post("/mon-espace/notifications/lues/")
    assert not Notification.objects.filter(recipient=person, read_at__isnull=True).exists()
    assert (
        "Aucune notification non lue."
        in client.get("/mon-espace/notifications/?non-lues=1").content.decode()
    )


def test_the_preference_page(cast):
    client = _client(cast["lecteur"])
    page = client.get("/profil/notifications/").content.decode()
    assert re.search(r'value="immediat"[^>]*checked', page)  # at once, until chosen
    assert client.post("/profil/notifications/", {"email": "quotidien"}).status_code == 302
    assert Preference.objects.get(user=cast["lecteur"]).email == "quotidien"
    bad = client.post("/profil/notifications/", {"email": "toutes-les-heures"})
    assert bad.status_code == 400
    assert Preference.objects.get(user=cast["lecteur"]).email == "quotidien"


def test_the_api(cast):
    person = cast["lecteur"]
    _notify(person, 5, cast.group)
    client = _client(person)
    listing = client.get("/api/v1/me/notifications/?limit=2").json()
    assert len(listing["results"]) == 2 and listing["numberMatched"] == 5
    row = listing["results"][0]
    assert row["kind"] == "role" and row["group"] == "groupe-matrice" and row["read_at"] is None
    assert row["url"] == "/groupes/groupe-matrice/"
    marked = client.post(
        "/api/v1/me/notifications/read/", {"ids": [row["id"]]}, "application/json"
    ).json()
    assert marked == {"marked": 1}
    assert client.get("/api/v1/me/notifications/?unread=1").json()["numberMatched"] == 4
    bad = client.post("/api/v1/me/notifications/read/", {"ids": ["x"]}, "application/json")
    assert bad.status_code == 400
    assert client.post("/api/v1/me/notifications/read/", {}, "application/json").json() == {
        "marked": 4
    }
