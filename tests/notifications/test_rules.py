"""Who is told of what: each kind of occurrence reaches exactly the people it concerns, in
the same transaction as the change, never the actor, never someone who cannot see the item —
and what a notification says is checked again at every display (the leak matrix)."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import Point
from django.test import Client
from django.utils import timezone

from notifications.models import Notification
from observatoire import services as resources
from pins import services as pins
from tests.factories import GroupFactory, MembershipFactory, ResourceFactory, UserFactory
from workgroups import services as groups
from workgroups.events import Kind
from workgroups.models import Membership
from workgroups.roles import Level, Role

from ..conftest import ACTORS

pytestmark = pytest.mark.django_db
PLACE = Point(3.06, 50.63, srid=4326)


def told(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_invitation_request_approval_refusal_and_role(cast):
    newcomer = UserFactory(username="nouvelle")
    groups.invite(cast["animateur"], cast.group, newcomer)
    assert told(Kind.INVITED) == {"nouvelle"}

    asker, refused = UserFactory(username="demandeur"), UserFactory(username="refusee")
    groups.request_to_join(asker, cast.group)
    groups.request_to_join(refused, cast.group)
    assert told(Kind.JOIN_REQUESTED) == {cast["animateur"].username}  # the group's animateurs
    pending = Membership.objects.get(user=asker, group=cast.group)
    groups.approve(cast["animateur"], pending)
    assert told(Kind.JOIN_APPROVED) == {"demandeur"}
    groups.refuse(cast["animateur"], Membership.objects.get(user=refused, group=cast.group))
    assert told(Kind.JOIN_REFUSED) == {"refusee"}
    lecteur = Membership.objects.get(user=cast["lecteur"], group=cast.group)
    groups.change_role(cast["animateur"], lecteur, Role.CONTRIBUTEUR)
    groups.change_role(cast["animateur"], lecteur, Role.CONTRIBUTEUR)  # no change: no news
    assert Notification.objects.filter(kind=Kind.ROLE_CHANGED).count() == 1
    assert told(Kind.ROLE_CHANGED) == {cast["lecteur"].username}


def test_waiting_validated_reviewed_pinned(cast):
    resource = resources.create_resource(
        cast["author"], cast.group, title="Lavoir", base="observatoire", kind="marqueur",
        geom=PLACE, level=Level.PUBLIC,
    )  # fmt: skip
    assert told(Kind.WAITING) == {cast["animateur"].username}
    resources.validate(cast["animateur"], resource)
    assert told(Kind.VALIDATED) == {cast["author"].username}
    resources.review(cast["expert"], resource, "Vérifier la date.")
    assert told(Kind.REVIEWED) == {cast["author"].username}
    pins.pin(cast["other_animateur"], cast.other_group, resource_id=resource.pk)
    assert told(Kind.PINNED) == {cast["author"].username}
    notification = Notification.objects.get(kind=Kind.PINNED)
    assert notification.label == "Lavoir" and notification.group == cast.other_group


def test_nobody_is_told_of_their_own_action(cast):
    mine = resources.create_resource(
        cast["animateur"], cast.group, title="À moi", base="observatoire", kind="marqueur",
        geom=PLACE, level=Level.PUBLIC,
    )  # fmt: skip
    assert mine.is_validated  # an animateur's first share validates at once
    resources.review(cast["animateur"], mine, "Relu par moi-même.")
    assert not Notification.objects.exists()


def test_a_rolled_back_change_tells_nobody(cast):
    from django.db import transaction

    newcomer = UserFactory(username="fantome")
    with pytest.raises(RuntimeError), transaction.atomic():
        groups.invite(cast["animateur"], cast.group, newcomer)
        raise RuntimeError
    assert not Notification.objects.exists()


def test_the_waiting_notice_reaches_only_those_who_see_the_item(cast):
    """A second animateur who joined after is told; an animateur of another group is not."""
    second = UserFactory(username="anim_bis")
    MembershipFactory(group=cast.group, user=second, role=Role.ANIMATEUR)
    resources.create_resource(
        cast["author"], cast.group, title="Halle", base="observatoire", kind="marqueur",
        geom=PLACE, level=Level.COMMUNAUTE,
    )  # fmt: skip
    assert told(Kind.WAITING) == {cast["animateur"].username, "anim_bis"}
    assert cast["other_animateur"].username not in told(Kind.WAITING)


@pytest.mark.parametrize("actor", ACTORS)
def test_leak_matrix_a_notification_shows_its_item_only_while_it_is_visible(cast, actor):
    """Everyone is given the same notification about a public item; when the item goes back
    to private, the page and the API name it to nobody but its author."""
    item = ResourceFactory(
        title="Moulin secret",
        group=cast.group,
        author=cast["author"],
        level=Level.PUBLIC,
        validated_at=timezone.now(),
    )
    person = cast[actor]
    if not person.is_authenticated:
        assert Client().get("/mon-espace/notifications/").status_code == 302
        assert Client().get("/api/v1/me/notifications/").status_code in (401, 403)
        return
    Notification.objects.create(
        recipient=person, kind=Kind.PINNED, actor=cast["other_animateur"],
        group=cast.other_group, target_type_id=_type(item), target_id=item.pk, label=item.title,
    )  # fmt: skip
    client = Client()
    client.force_login(person)
    page = client.get("/mon-espace/notifications/").content.decode()
    assert "Moulin secret" in page and f'href="/ressources/{item.pk}/"' in page

    type(item).objects.filter(pk=item.pk).update(level=Level.UTILISATEUR, validated_at=None)
    page = client.get("/mon-espace/notifications/").content.decode()
    api = client.get("/api/v1/me/notifications/").json()["results"]
    sees = actor == "author"
    assert ("Moulin secret" in page) == sees
    assert (f'href="/ressources/{item.pk}/"' in page) == sees
    assert ("Moulin secret" in api[0]["text"]) == sees
    if not sees:
        assert "un élément qui ne vous est plus visible" in page and api[0]["url"] == ""


def _type(item) -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(item).pk


def test_notifications_are_only_their_recipients(cast):
    group = GroupFactory(slug="g2")
    groups.invite(cast["animateur"], cast.group, cast["account"])
    theirs = Notification.objects.get(recipient=cast["account"])
    client = Client()
    client.force_login(cast["lecteur"])
    assert client.get("/api/v1/me/notifications/").json()["results"] == []
    client.post("/api/v1/me/notifications/read/", {"ids": [theirs.pk]}, "application/json")
    client.post("/mon-espace/notifications/lues/", {"id": theirs.pk})
    theirs.refresh_from_db()
    assert theirs.read_at is None  # nobody marks another's notification
    assert group.pk  # (a second group exists: the API still lists nothing of others)


def test_the_demo_data_is_news_to_nobody_but_its_pins_are(db):
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    assert not Notification.objects.exists()
    call_command("load_demo_pins", verbosity=0)  # written as anim pins: anim2's are told
    assert told(Kind.PINNED) == {"anim2"}
    assert Notification.objects.count() == 4


def test_a_map_made_in_the_editor_waits_like_a_resource(cast):
    from layers.editor import LayerSpec, create_map

    carte = create_map(
        cast["author"], cast.group, title="Lavoirs", level=Level.PUBLIC,
        layers=[LayerSpec(base="observatoire")],
    )  # fmt: skip
    assert told(Kind.WAITING) == {cast["animateur"].username}
    client = Client()
    client.force_login(cast["animateur"])
    page = client.get("/mon-espace/notifications/").content.decode()
    assert f'href="/cartes/{carte.slug}/"' in page
