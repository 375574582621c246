"""The public form over real HTTP (Django's test client, multipart): what is stored, the
follow-up page by secret link, the REST submission, a commune typed by name, the place
suggested by the photo's EXIF, and user text escaped on every page that shows it."""

from __future__ import annotations

import pytest

from participation.models import RateCounter, Submission

from .conftest import LILLE, jpeg

pytestmark = pytest.mark.django_db


def test_the_form_page_works_without_an_account(client, form):
    page = client.get(f"/participer/{form.slug}/").content.decode()
    assert "Signaler un arbre remarquable" in page
    assert "<strong>arbre</strong>" in page  # the introduction's Markdown, sanitized
    assert 'accept="image/*" capture="environment"' in page
    assert 'name="latitude"' in page and 'name="commune"' in page  # no-JS alternatives
    assert '<label for="champ-attr_epoque">Âge de l&#x27;arbre' in page
    assert "Me localiser" in page and "carte-lieu" in page


def test_a_submission_with_a_photo_waits_and_its_secret_link_shows_it(client, post, form):
    response = post.page(photo=jpeg())
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.state == Submission.State.PENDING
    assert (submission.geom.x, submission.geom.y) == pytest.approx(LILLE)
    assert submission.attributes == {"epoque": "1905"}
    assert submission.pseudonym == "Camille" and submission.photos.count() == 1
    assert response["Location"].startswith(f"/participer/suivi/{submission.secret}/")
    status = client.get(response["Location"])
    assert status.status_code == 200
    text = status.content.decode()
    assert "En attente de modération" in text and "Gardez l" in text
    assert status["Cache-Control"] == "private, no-store"
    assert client.get("/participer/suivi/pas-le-bon-secret/").status_code == 404


def test_the_api_takes_the_same_multipart_submission(client, post):
    response = post.api(photo=jpeg(), email="camille@exemple.invalid")
    assert response.status_code == 201, response.content
    body = response.json()
    submission = Submission.objects.get(pk=body["id"])
    assert body["state"] == "pending" and submission.email == "camille@exemple.invalid"
    assert body["status_url"].endswith(f"/participer/suivi/{submission.secret}/")
    refused = post.api(titre="", photo=jpeg())
    assert refused.status_code == 400
    assert refused.json()["titre"] == ["Ce champ est obligatoire."]


def test_a_commune_typed_by_name_places_the_contribution(post, territories):
    response = post.page(longitude="", latitude="", commune="Lille")
    assert response.status_code == 302, response.content.decode()[:2000]
    submission = Submission.objects.get()
    assert submission.attributes["commune_insee"] == "59350"
    ambiguous = post.page(longitude="", latitude="", commune="Pas une commune du tout")
    assert ambiguous.status_code == 400
    assert "Commune « Pas une commune du tout » introuvable" in ambiguous.content.decode()


def test_the_photo_exif_position_suggests_the_place(post):
    response = post.api(photo=jpeg(gps=(3.06, 50.64)), longitude="", latitude="")
    assert response.status_code == 201, response.content
    assert response.json()["suggested_place"] == pytest.approx([3.06, 50.64], abs=1e-4)
    submission = Submission.objects.get()
    assert (submission.geom.x, submission.geom.y) == pytest.approx((3.06, 50.64), abs=1e-4)


def test_without_a_place_the_message_names_the_place(post):
    response = post.page(longitude="", latitude="")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="err-lieu"' in page and "Indiquez le lieu" in page
    assert 'aria-describedby="aide-lieu err-lieu"' in page
    assert Submission.objects.count() == 0


SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_html_and_script_are_escaped_everywhere(client, post, cast):
    """The payload is kept as text; every page that shows it escapes it."""
    rejected = post.page(titre=SCRIPT, latitude="pas un nombre")
    assert rejected.status_code == 400
    assert SCRIPT not in rejected.content.decode()
    assert "&lt;script&gt;" in rejected.content.decode()
    response = post.page(titre=SCRIPT, pseudonyme=SCRIPT, description=SCRIPT)
    submission = Submission.objects.get()
    assert submission.title == SCRIPT  # stored as typed, escaped when shown
    status = client.get(response["Location"]).content.decode()
    client.force_login(cast["animateur"])
    queue = client.get(f"/groupes/{cast.group.slug}/contributions/").content.decode()
    detail_url = f"/groupes/{cast.group.slug}/contributions/{submission.pk}/"
    detail = client.get(detail_url).content.decode()
    accepted = client.post(
        f"/api/v1/groups/{cast.group.slug}/submissions/{submission.pk}/accept/",
        {"level": "public"},
        content_type="application/json",
    )
    assert accepted.json()["title"] == SCRIPT  # JSON carries the text, not markup
    client.logout()
    resource_page = client.get(f"/ressources/{accepted.json()['resource']}/").content.decode()
    map_page = client.get(f"/participer/{post.form.slug}/carte/").content.decode()
    for page in (status, queue, detail, resource_page, map_page):
        assert SCRIPT not in page and "<script>alert" not in page
        assert "&lt;script&gt;" in page or "\\u003Cscript\\u003E" in page


def test_a_rate_counter_is_all_a_refused_submission_leaves(post):
    post.page(titre="")
    assert Submission.objects.count() == 0
    assert RateCounter.objects.count() == 1
