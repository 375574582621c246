"""Bulk moderation through the real pages: rights of the service functions decided in SQL,
refusals by name and count, nothing written for the refused rows, a background job with
progress above 1,000 rows, and the audit line."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone

from observatoire import bulk
from observatoire.kinds import Base, Kind
from observatoire.models import BulkAction, Resource, Review
from tests.factories import GroupFactory, MembershipFactory, ResourceFactory
from tests.workers import run_worker
from workgroups.roles import Level, Role


def seed(group, author, n: int, *, level=Level.PUBLIC, title="Église", **extra):
    """``n`` resources in one bulk INSERT, titled « {title} 00000 »…"""
    Resource.objects.bulk_create(
        Resource(
            title=f"{title} {i:05d}",
            base=Base.OBSERVATOIRE,
            kind=Kind.MARQUEUR,
            geom=Point(3.0 + i / 10000, 50.6, srid=4326),
            group=group,
            author=author,
            level=level,
            **extra,
        )
        for i in range(n)
    )
    return Resource.objects.filter(group=group, title__startswith=title)


def make(cast, n: int, *, author=None, group=None, **extra):
    return seed(group or cast.group, author or cast["contributeur"], n, **extra)


def post(client, **data):
    data.setdefault("section", "moderation")
    data.setdefault("portee", "filtre")
    return client.post("/mon-espace/actions/", data)


def last_action() -> BulkAction:
    return BulkAction.objects.latest("id")


def test_animateur_validates_everything_the_filter_selects(client, cast):
    rows = make(cast, 30)
    make(cast, 3, title="Moulin")
    client.force_login(cast["animateur"])
    response = post(client, action="valider", filtres="q=Église&etat=en-attente")
    action = last_action()
    assert (
        response.status_code == 302 and response["Location"] == f"/mon-espace/actions/{action.pk}/"
    )
    assert (action.status, action.total, action.done, action.refused) == ("succeeded", 30, 30, 0)
    assert rows.filter(validated_by=cast["animateur"]).count() == 30
    assert not Resource.objects.filter(
        title__startswith="Moulin", validated_at__isnull=False
    ).exists()
    page = client.get(response["Location"]).content.decode()
    assert "30 ressources traitées" in page and "Terminé" in page
    assert action.actor == cast["animateur"] and "Église" in action.description


def test_ticked_rows_only_and_already_validated_ones_are_without_object(client, cast):
    rows = list(make(cast, 5))
    Resource.objects.filter(pk=rows[0].pk).update(validated_at=timezone.now())
    client.force_login(cast["animateur"])
    post(client, action="valider", portee="cochees", ids=[r.pk for r in rows[:3]])
    action = last_action()
    assert (action.done, action.skipped, action.refused) == (2, 1, 0)
    assert (
        Resource.objects.filter(pk__in=[r.pk for r in rows[3:]], validated_at__isnull=False).count()
        == 0
    )


def test_other_groups_animateur_is_refused_by_name_and_count_and_nothing_changes(client, cast):
    rows = list(make(cast, 8, validated_at=timezone.now(), validated_by=cast["animateur"]))
    client.force_login(cast["other_animateur"])
    for action, extra in [
        ("supprimer", {}),
        ("valider", {}),
        ("niveau", {"niveau": Level.GROUPE}),
        ("relire", {"commentaire": "Vu"}),
        ("groupe", {"groupe_cible": cast.other_group.pk}),
    ]:
        response = post(client, action=action, portee="cochees", ids=[r.pk for r in rows], **extra)
        done = last_action()
        assert (done.action, done.done, done.refused) == (action, 0, 8)
        page = client.get(response["Location"]).content.decode()
        assert "8 ressource(s) refusée(s)" in page
        assert "« Église 00000 », « Église 00001 »" in page and "et 3 autre(s)" in page
    assert Resource.objects.filter(pk__in=[r.pk for r in rows]).count() == 8
    assert not Resource.objects.filter(group=cast.other_group).exists()
    assert not Review.objects.exists()
    assert set(Resource.objects.values_list("level", flat=True)) == {Level.PUBLIC}


def test_mixed_selection_does_the_allowed_rows_and_names_the_others(client, cast):
    """Ticked rows of two groups: the animateur's own group is done, the other's refused."""
    mine = list(make(cast, 3))
    theirs = list(
        make(
            cast,
            2,
            group=cast.other_group,
            author=cast["other_animateur"],
            title="Ailleurs",
            validated_at=timezone.now(),
        )
    )
    client.force_login(cast["animateur"])
    response = post(client, action="valider", portee="cochees", ids=[r.pk for r in mine + theirs])
    action = last_action()
    assert (action.done, action.refused) == (3, 2)
    assert action.refused_titles == ["Ailleurs 00000", "Ailleurs 00001"]
    assert (
        "« Ailleurs 00000 », « Ailleurs 00001 »"
        in client.get(response["Location"]).content.decode()
    )


def test_contributor_cannot_bulk_validate(client, cast):
    rows = make(cast, 4, author=cast["contributeur"])
    client.force_login(cast["contributeur"])
    post(client, action="valider", section="ressources")
    action = last_action()
    assert (action.done, action.refused) == (0, 4)
    assert not rows.filter(validated_at__isnull=False).exists()


def test_level_change_is_the_authors_and_validates_when_the_author_animates(client, cast):
    own = make(cast, 4, author=cast["animateur"], level=Level.GROUPE, title="Import")
    others = make(cast, 2, author=cast["contributeur"], level=Level.GROUPE, title="Autre")
    client.force_login(cast["animateur"])
    post(client, action="niveau", niveau=Level.PUBLIC)
    action = last_action()
    assert (action.done, action.refused) == (4, 2)
    assert set(own.values_list("level", "validated_by")) == {(Level.PUBLIC, cast["animateur"].pk)}
    assert set(others.values_list("level", flat=True)) == {Level.GROUPE}


def test_move_only_to_a_group_one_animates(client, cast):
    rows = make(cast, 3)
    client.force_login(cast["animateur"])
    response = post(client, action="groupe", groupe_cible=cast.other_group.pk)
    assert response.status_code == 302 and not BulkAction.objects.exists()
    follow = client.get(response["Location"]).content.decode()
    assert "Vous n&#x27;êtes pas animateur du groupe « Autre groupe »" in follow
    assert set(rows.values_list("group", flat=True)) == {cast.group.pk}
    second = GroupFactory(slug="second", name="Second")
    MembershipFactory(group=second, user=cast["animateur"], role=Role.ANIMATEUR)
    post(client, action="groupe", groupe_cible=second.pk)
    assert Resource.objects.filter(group=second).count() == 3


def test_review_needs_a_comment_and_writes_one_review_per_row(client, cast):
    rows = make(cast, 3)
    client.force_login(cast["expert"])
    response = post(client, action="relire", section="a-relire")
    assert (
        "Le commentaire de relecture est vide." in client.get(response["Location"]).content.decode()
    )
    post(client, action="relire", section="a-relire", commentaire="Relu en lot")
    assert rows.filter(checked_by=cast["expert"]).count() == 3
    assert Review.objects.filter(comment="Relu en lot", author=cast["expert"]).count() == 3


def test_delete_by_the_animateur_never_touches_private_rows(client, cast):
    make(cast, 5)
    private = ResourceFactory(
        group=cast.group, author=cast["contributeur"], level=Level.UTILISATEUR
    )
    client.force_login(cast["animateur"])
    post(
        client,
        action="supprimer",
        portee="cochees",
        ids=[
            *Resource.objects.filter(title__startswith="Église").values_list("pk", flat=True),
            private.pk,
        ],
    )
    action = last_action()
    assert (action.done, action.refused) == (5, 1)
    assert list(Resource.objects.values_list("pk", flat=True)) == [private.pk]
    assert action.refused_titles == []  # unseen rows are counted, never named


def run_moderation_worker() -> None:
    """The real worker on the moderation queue, until it is empty."""
    run_worker("moderation")


@pytest.mark.django_db(transaction=True)
def test_more_than_a_thousand_rows_go_through_the_job_with_progress(client, cast, monkeypatch):
    monkeypatch.setattr(bulk, "BATCH", 500)  # read by the request only; the worker uses 1000
    rows = make(cast, 1500)
    client.force_login(cast["animateur"])
    response = post(client, action="valider")
    action = last_action()
    assert action.status == "pending" and action.total == 1500
    assert not rows.filter(validated_at__isnull=False).exists()
    state = client.get(f"/mon-espace/actions/{action.pk}/etat.json").json()
    assert (state["done"], state["percent"], state["total"]) == (False, 0, 1500)
    assert "<progress" in client.get(response["Location"]).content.decode()
    run_moderation_worker()
    state = client.get(f"/mon-espace/actions/{action.pk}/etat.json").json()
    assert (state["done"], state["percent"], state["read"], state["status"]) == (
        True,
        100,
        1500,
        "succeeded",
    )
    assert rows.filter(validated_by=cast["animateur"]).count() == 1500


def test_an_action_page_is_its_actors_only(client, cast):
    make(cast, 1)
    client.force_login(cast["animateur"])
    post(client, action="valider")
    client.force_login(cast["expert"])
    assert client.get(f"/mon-espace/actions/{last_action().pk}/").status_code == 404
