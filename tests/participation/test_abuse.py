"""Bad input of the public: a place outside the area, a file that is not an image, a photo
over the limit, a robot (honeypot), a submission faster than a person types, the 51st of the
day from one address, a closed form. Each answers a clear French message tied to its field,
and nothing is stored but the rate counter."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from participation import abuse
from participation.models import RateCounter, Submission, SubmissionPhoto

from .conftest import jpeg

pytestmark = pytest.mark.django_db


def stored_files(media_root) -> list:
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []


def assert_nothing_stored(media_root) -> None:
    assert Submission.objects.count() == 0
    assert SubmissionPhoto.objects.count() == 0
    assert stored_files(media_root) == []


def test_a_place_outside_the_area_is_refused(post, media_root):
    response = post.page(photo=jpeg(), longitude="5.3698", latitude="43.2965")  # Marseille
    assert response.status_code == 400
    page = response.content.decode()
    assert "en dehors de la zone de ce formulaire" in page and 'id="err-lieu"' in page
    assert_nothing_stored(media_root)
    api = post.api(photo=jpeg(), longitude="5.3698", latitude="43.2965")
    assert api.status_code == 400 and "en dehors de la zone" in api.json()["lieu"][0]
    assert_nothing_stored(media_root)


def test_the_group_territory_can_be_the_area(post, form, media_root):
    form.area = None
    form.use_group_territory = True
    form.save()
    form.group.territory = form.__class__._meta.get_field("area").to_python(
        "MULTIPOLYGON(((3.1 50.7, 3.2 50.7, 3.2 50.8, 3.1 50.8, 3.1 50.7)))"
    )
    form.group.save()
    assert post.page().status_code == 400  # Lille is outside Roubaix's square
    assert post.page(longitude="3.17", latitude="50.72").status_code == 302


def test_a_file_that_is_not_an_image_is_refused_whatever_its_name(post, media_root):
    response = post.page(photo=b"MZ\x90\x00 not a picture at all" * 20)
    assert response.status_code == 400
    page = response.content.decode()
    assert "« arbre.jpg » n&#x27;est pas une photo lisible" in page
    assert 'aria-describedby="aide-photos err-photos"' in page
    assert_nothing_stored(media_root)


def test_a_30_mb_photo_is_refused(post, media_root):
    big = jpeg() + b"\x00" * (30 * 1024 * 1024)
    response = post.api(photo=big)
    assert response.status_code == 400
    assert "la limite est de" in response.json()["photos"][0]
    assert_nothing_stored(media_root)


def test_the_honeypot_refuses_robots(post, media_root):
    response = post.page(photo=jpeg(), site_web="http://spam.example")
    assert response.status_code == 400
    assert "un champ invisible a été rempli" in response.content.decode()
    assert_nothing_stored(media_root)


def test_a_submission_faster_than_a_person_is_refused(post, form, media_root):
    form.min_seconds = 60
    form.save()
    response = post.page(photo=jpeg())
    assert response.status_code == 429
    assert "Envoi trop rapide" in response.content.decode()
    assert_nothing_stored(media_root)


def test_a_missing_or_forged_start_token_is_refused(post, media_root):
    for token in ("", "1:abc:def", abuse.started_token(post.form) + "x"):
        response = post.page(debut=token)
        assert response.status_code == 400
        assert "rechargez la page du formulaire" in response.content.decode()
    assert_nothing_stored(media_root)


def test_the_51st_submission_of_the_day_from_one_address_is_refused(post, form):
    form.per_address_daily = 50
    form.save()
    for _ in range(50):
        assert post.api().status_code == 201
    response = post.api(photo=jpeg())
    assert response.status_code == 429
    assert (
        "Trop de contributions envoyées aujourd'hui depuis votre adresse"
        in (response.json()["detail"])
    )
    assert Submission.objects.count() == 50
    other = post.client.post(
        f"/api/v1/forms/{form.slug}/submissions/",
        post.fields(),
        REMOTE_ADDR="192.0.2.7",
    )
    assert other.status_code == 201  # another address is not concerned


def test_counters_keep_no_address_and_are_shared_through_the_database(post):
    post.api()
    rows = list(RateCounter.objects.all())  # this address on this form, and the form
    assert len(rows) == 2 and all(r.count == 1 for r in rows)
    assert all("127.0.0.1" not in r.key and len(r.key) == 64 for r in rows)
    # another worker process counts in the same row (the counter is not in memory)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE participation_ratecounter SET count = count + 48")
    assert post.api().status_code == 201  # the 50th
    assert post.api().status_code == 429  # the 51st


def test_the_daily_cap_of_a_form(post, form):
    form.daily_cap = 2
    form.save()
    assert post.api().status_code == 201
    assert post.api().status_code == 201
    response = post.api()
    assert response.status_code == 429 and "maximum de contributions" in response.json()["detail"]
    assert Submission.objects.count() == 2


def test_a_closed_form_accepts_nothing(post, form, media_root):
    fields = post.fields()
    form.closes_at = timezone.now() - timedelta(days=1)
    form.save()
    page = post.client.get(f"/participer/{form.slug}/").content.decode()
    assert "Ce formulaire est fermé" in page and 'name="titre"' not in page
    response = post.client.post(f"/participer/{form.slug}/", fields)
    assert response.status_code == 403
    assert "Ce formulaire est fermé" in response.content.decode()
    api = post.client.post(f"/api/v1/forms/{form.slug}/submissions/", fields)
    assert api.status_code == 403 and "fermé" in api.json()["detail"]
    form.closes_at = None
    form.opens_at = timezone.now() + timedelta(days=1)
    form.save()
    assert post.client.post(f"/participer/{form.slug}/", fields).status_code == 403
    assert_nothing_stored(media_root)
