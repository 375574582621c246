"""Who sees a contribution, for every actor of the cast and every state: the queue (group page
and Mon espace), the REST queue, the moderation page, the pending photos and the form's map.
Unmoderated contributions reach the group's experts and animateurs only; an accepted one
follows the one rule at the level it was published at; a refused one reaches nobody."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import Point
from django.core.files.base import ContentFile

from observatoire.models import Resource
from participation import services
from participation.models import Submission, SubmissionPhoto

from ..conftest import ACTORS
from .conftest import jpeg

pytestmark = pytest.mark.django_db

MODERATORS = {"expert", "animateur"}
STATES = ("unconfirmed", "pending", "refused")


@pytest.fixture
def rows(form, cast):
    """One contribution per state (each with a photo while unmoderated), and one accepted at
    each level of publication."""
    made = {}
    for state in STATES:
        made[state] = Submission.objects.create(
            form=form, state=state, title=f"Secret {state}", geom=Point(3.06, 50.63), pseudonym="p"
        )
        if state != "refused":
            photo = SubmissionPhoto(submission=made[state], name="x.jpg", size=1)
            photo.file.save("x.jpg", ContentFile(jpeg()))
    for level in services.PUBLISH_LEVELS:
        submission = Submission.objects.create(
            form=form,
            state="pending",
            title=f"Publiée {level}",
            geom=Point(3.06, 50.63),
            pseudonym="p",
        )
        made[level] = services.accept(cast["animateur"], submission, level=level)
    return made


def as_actor(client, cast, actor):
    client.logout()
    if cast[actor].is_authenticated:
        client.force_login(cast[actor])


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("state", STATES)
def test_unmoderated_and_refused_reach_only_the_groups_moderators(client, cast, rows, actor, state):
    as_actor(client, cast, actor)
    submission = rows[state]
    allowed = actor in MODERATORS
    slug = cast.group.slug
    queue = client.get(f"/groupes/{slug}/contributions/?etat={state}")
    assert (submission.title in queue.content.decode()) is allowed
    assert queue.status_code == (200 if allowed else 302 if actor == "anonymous" else 404)
    mine = client.get(f"/mon-espace/contributions/?etat={state}")
    assert (submission.title in mine.content.decode()) is allowed
    api = client.get(f"/api/v1/groups/{slug}/submissions/?state={state}")
    assert api.status_code == (200 if allowed else 401 if actor == "anonymous" else 403)
    assert (submission.title in api.content.decode()) is allowed
    detail = client.get(f"/groupes/{slug}/contributions/{submission.pk}/")
    assert (detail.status_code == 200) is allowed
    for photo in submission.photos.all():
        assert (client.get(f"/participer/photos/{photo.pk}/").status_code != 404) is allowed
    # never on the public side, whoever asks
    assert (
        submission.title
        not in client.get(f"/participer/{rows['public'].form.slug}/carte/").content.decode()
    )
    assert submission.title not in client.get(f"/portails/{slug}/").content.decode()
    assert not Resource.objects.filter(title=submission.title).exists()


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("level", services.PUBLISH_LEVELS)
def test_accepted_contributions_follow_the_one_rule(client, cast, rows, actor, level):
    as_actor(client, cast, actor)
    resource = rows[level].resource
    expected = Resource.objects.visible_to(cast[actor]).filter(pk=resource.pk).exists()
    assert expected is (
        level == "public"
        or (level == "communaute" and actor != "anonymous")
        or actor in {"lecteur", "contributeur", "expert", "animateur", "author"}
    )
    page = client.get(f"/participer/{rows[level].form.slug}/carte/").content.decode()
    assert (resource.title in page) is expected
    assert (client.get(f"/api/v1/resources/{resource.pk}/").status_code == 200) is expected
    portal = client.get(f"/portails/{cast.group.slug}/").content.decode()
    assert (resource.title in portal) is expected


def test_the_secret_link_is_the_only_public_door(client, rows):
    submission = rows["pending"]
    assert client.get(f"/participer/suivi/{submission.secret}/").status_code == 200
    assert client.get(f"/participer/suivi/{submission.secret[:-1]}/").status_code == 404
    assert client.get(f"/participer/suivi/{submission.pk}/").status_code == 404
