"""Moderation: accept makes an ordinary resource (system author, pseudonym, provenance,
validated by the animateur) that every channel shows — REST, OGC API, tiles, the form's map,
the portal; refuse keeps it out of everything and mails the reason; bulk actions; the API."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.db import connection
from PIL import Image
from procrastinate.contrib.django.models import ProcrastinateJob

from observatoire.models import Resource
from participation import tasks
from participation.models import SYSTEM_USERNAME, Submission

from ..tiles.conftest import ids_in, tile_of
from .conftest import LILLE, jpeg

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_queued_jobs():
    """procrastinate's tables are not Django's: the flush between tests leaves their rows."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM procrastinate_jobs WHERE task_name LIKE 'participation.%'")


@pytest.fixture(autouse=True)
def tiles_var_dir(settings, tmp_path):
    settings.SPASS = {**settings.SPASS, "VAR_DIR": tmp_path}


def submit(post, title: str, **extra) -> Submission:
    response = post.page(photo=jpeg(), titre=title, **extra)
    assert response.status_code == 302, response.content.decode()[:500]
    return Submission.objects.get(title=title)


def api(client, cast, submission, action, payload):
    url = f"/api/v1/groups/{cast.group.slug}/submissions/{submission.pk}/{action}/"
    return client.post(url, payload, content_type="application/json")


def seen_everywhere(client, resource_id: int, title: str, form_slug: str, group_slug: str) -> dict:
    z, x, y = tile_of(*LILLE, 16)
    ogc_items = client.get("/ogc/collections/observatoire/items?limit=1000").json()
    return {
        "rest": client.get(f"/api/v1/resources/{resource_id}/").status_code == 200,
        "ogc": client.get(f"/ogc/collections/observatoire/items/{resource_id}").status_code == 200,
        "ogc_list": any(f["id"] == resource_id for f in ogc_items["features"]),
        "tiles": resource_id in ids_in(client.get(f"/tiles/observatoire/{z}/{x}/{y}.pbf").content),
        "map": title in client.get(f"/participer/{form_slug}/carte/").content.decode(),
        "portal": title in client.get(f"/portails/{group_slug}/").content.decode(),
    }


def test_accept_publishes_an_ordinary_resource_seen_by_every_channel(client, post, cast):
    submission = submit(post, "Le platane du quai")
    client.force_login(cast["animateur"])
    response = api(client, cast, submission, "accept", {"level": "public"})
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "accepted"
    resource = Resource.objects.get(pk=response.json()["resource"])
    assert resource.author.username == SYSTEM_USERNAME
    assert not resource.author.has_usable_password()
    assert resource.attributes["contributeur"] == "Camille"
    assert resource.attributes["epoque"] == "1905"
    assert resource.source == "participation"
    assert resource.source_id == f"formulaire-{post.form.pk}/contribution-{submission.pk}"
    assert resource.validated_by == cast["animateur"] and resource.level == "public"
    assert resource.attachments.count() == 1
    client.logout()
    seen = seen_everywhere(client, resource.pk, resource.title, post.form.slug, cast.group.slug)
    assert seen == dict.fromkeys(seen, True)
    photo = client.get(f"/ressources/{resource.pk}/fichiers/{resource.attachments.get().pk}/")
    assert photo.status_code == 200


def test_a_group_level_acceptance_stays_in_the_group(client, post, cast):
    submission = submit(post, "Le saule du canal")
    client.force_login(cast["animateur"])
    resource_id = api(client, cast, submission, "accept", {"level": "groupe"}).json()["resource"]
    client.logout()
    assert client.get(f"/api/v1/resources/{resource_id}/").status_code == 404
    assert (
        "Le saule du canal"
        not in client.get(f"/participer/{post.form.slug}/carte/").content.decode()
    )
    client.force_login(cast["lecteur"])
    assert client.get(f"/api/v1/resources/{resource_id}/").status_code == 200


def test_refused_never_appears_and_its_reason_is_mailed(
    client, post, cast, django_capture_on_commit_callbacks
):
    submission = submit(post, "Un arbre refusé", email="camille@exemple.invalid")
    before = Resource.objects.count()
    client.force_login(cast["animateur"])
    with django_capture_on_commit_callbacks(execute=True):
        response = api(
            client, cast, submission, "refuse", {"reason": "Hors sujet : un lampadaire."}
        )
    assert response.status_code == 200 and response.json()["state"] == "refused"
    assert Resource.objects.count() == before
    assert not submission.photos.exists()  # nothing kept that the follow-up does not need
    job = ProcrastinateJob.objects.get(task_name="participation.refusal")
    assert job.queue_name == "notifications" and job.args == {"submission_id": submission.pk}
    tasks.send_refusal(submission_id=submission.pk)
    (message,) = mail.outbox
    assert message.to == ["camille@exemple.invalid"]
    assert "Hors sujet : un lampadaire." in message.body
    assert f"/participer/suivi/{submission.secret}/" in message.body
    status = client.get(f"/participer/suivi/{submission.secret}/").content.decode()
    assert "Refusée" in status and "Hors sujet : un lampadaire." in status
    for actor in ("anonymous", "lecteur", "animateur"):
        client.logout()
        if actor != "anonymous":
            client.force_login(cast[actor])
        assert (
            "Un arbre refusé"
            not in client.get(f"/participer/{post.form.slug}/carte/").content.decode()
        )
        assert "Un arbre refusé" not in client.get(f"/portails/{cast.group.slug}/").content.decode()
        assert (
            "Un arbre refusé"
            not in client.get("/ogc/collections/observatoire/items").content.decode()
        )
        assert "Un arbre refusé" not in client.get("/recherche/?q=refus%C3%A9").content.decode()


def test_a_moderated_contribution_cannot_be_moderated_again(client, post, cast):
    submission = submit(post, "Deux fois")
    client.force_login(cast["animateur"])
    assert api(client, cast, submission, "accept", {"level": "public"}).status_code == 200
    again = api(client, cast, submission, "refuse", {"reason": "non"})
    assert again.status_code == 400 and "déjà modérée" in again.json()["detail"]
    bad_level = api(client, cast, submit(post, "Niveau"), "accept", {"level": "utilisateur"})
    assert bad_level.status_code == 400 and "level" in bad_level.json()


def test_experts_read_the_queue_but_only_animateurs_decide(client, post, cast):
    submission = submit(post, "Lu par l'expert")
    client.force_login(cast["expert"])
    listed = client.get(f"/api/v1/groups/{cast.group.slug}/submissions/?state=pending").json()
    assert [row["id"] for row in listed["results"]] == [submission.pk]
    refused = api(client, cast, submission, "accept", {"level": "public"})
    assert refused.status_code == 403
    assert Submission.objects.get(pk=submission.pk).state == "pending"


def test_edit_then_accept_and_refuse_from_the_pages(client, post, cast):
    first, second = submit(post, "À corriger"), submit(post, "À refuser")
    client.force_login(cast["animateur"])
    url = f"/groupes/{cast.group.slug}/contributions/{first.pk}/"
    page = client.get(url).content.decode()
    assert "Modifier puis accepter" in page and "/participer/photos/" in page
    response = client.post(url, {"action": "accept", "titre": "Corrigé", "niveau": "communaute"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.resource.title == "Corrigé" and first.resource.level == "communaute"
    response = client.post(
        f"/groupes/{cast.group.slug}/contributions/{second.pk}/",
        {"action": "refuse", "motif": "Doublon"},
    )
    second.refresh_from_db()
    assert second.state == "refused" and second.reason == "Doublon"


def test_bulk_accept_and_refuse_from_the_queue(client, post, cast):
    rows = [submit(post, f"Lot {i}") for i in range(4)]
    client.force_login(cast["animateur"])
    queue = client.get(f"/groupes/{cast.group.slug}/contributions/").content.decode()
    assert all(f'value="{s.pk}"' for s in rows) and "Accepter" in queue
    back = f"/groupes/{cast.group.slug}/contributions/"
    response = client.post(
        "/mon-espace/contributions/actions/",
        {"ids": [rows[0].pk, rows[1].pk], "action": "accept", "niveau": "public", "retour": back},
    )
    assert response.status_code == 302 and response["Location"] == back
    client.post(
        "/mon-espace/contributions/actions/",
        {"ids": [rows[2].pk], "action": "refuse", "motif": "Flou", "retour": "//ailleurs.example/"},
    )
    states = dict(Submission.objects.values_list("title", "state"))
    assert states == {
        "Lot 0": "accepted",
        "Lot 1": "accepted",
        "Lot 2": "refused",
        "Lot 3": "pending",
    }
    # Mon espace lists every group the person moderates
    mine = client.get("/mon-espace/contributions/").content.decode()
    assert "Lot 3" in mine and "Lot 0" not in mine
    accepted = client.get("/mon-espace/contributions/?etat=accepted").content.decode()
    assert "Lot 0" in accepted and "Lot 3" not in accepted


def test_the_queue_is_paginated_and_filtered(client, post, cast):
    from participation.models import Submission as S

    template = submit(post, "Modèle")
    S.objects.bulk_create(
        S(
            form=template.form,
            state="pending",
            title=f"Masse {i:03d}",
            geom=template.geom,
            pseudonym="x",
        )
        for i in range(120)
    )
    client.force_login(cast["animateur"])
    page = client.get(f"/groupes/{cast.group.slug}/contributions/").content.decode()
    assert page.count('name="ids"') == 50 and "121 résultats" in page
    filtered = client.get(f"/groupes/{cast.group.slug}/contributions/?q=Masse+007").content.decode()
    assert filtered.count('name="ids"') == 1
    listed = client.get(
        f"/api/v1/groups/{cast.group.slug}/submissions/?state=pending&page=3"
    ).json()
    assert listed["count"] == 121 and len(listed["results"]) == 21


def test_the_queue_shows_thumbnails_to_moderators_only(client, post, cast):
    """The queue's images are 160-pixel thumbnails (a page of 50 stays light); the photo
    whole opens from the contribution's page; neither reaches anyone outside moderation."""
    submission = submit(post, "Le lavoir")
    photo = submission.photos.get()
    url = f"/participer/photos/{photo.pk}/"
    client.force_login(cast["animateur"])
    queue = client.get(f"/groupes/{cast.group.slug}/contributions/").content.decode()
    assert f"{url}?taille=vignette" in queue
    small = client.get(url, {"taille": "vignette"})
    assert small.status_code == 200 and small["Content-Type"] == "image/jpeg"
    image = Image.open(io.BytesIO(small.content))
    assert max(image.size) == 160 and not image.getexif()
    whole = Image.open(io.BytesIO(b"".join(client.get(url).streaming_content)))
    assert whole.size == (320, 240)
    client.force_login(cast["lecteur"])
    assert client.get(url, {"taille": "vignette"}).status_code == 404
