"""Every read endpoint of the API through the leak matrix: each actor of the cast against one
resource in each sharing state (private, group, communauté/public waiting or validated)."""

from __future__ import annotations

import pytest

from ..conftest import ACTORS
from .conftest import EXPECTED_VISIBLE, MEMBERS, STATES

pytestmark = pytest.mark.django_db


def _seen(states, ids) -> set[str]:
    by_id = {r.pk: name for name, r in states.items()}
    return {by_id[i] for i in ids if i in by_id}


@pytest.mark.parametrize("actor", ACTORS)
def test_list_and_count_show_only_visible_resources(actor, client_for, states):
    """The list holds exactly what the actor may see, and numberMatched counts only that."""
    body = client_for(actor).get("/api/v1/resources/").json()
    assert _seen(states, [f["id"] for f in body["features"]]) == EXPECTED_VISIBLE[actor]
    assert body["numberMatched"] == len(EXPECTED_VISIBLE[actor])
    assert body["numberReturned"] == len(EXPECTED_VISIBLE[actor])


#: The states each filter selects, visibility aside.
FILTERED = {
    "validated=false": {name for name, (_level, validated) in STATES.items() if not validated},
    "level=utilisateur,groupe": {"prive", "groupe"},
    "q=ressource": set(STATES),
}


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("params", ["validated=false", "level=utilisateur,groupe", "q=ressource"])
def test_filters_never_widen_visibility(actor, params, client_for, states):
    """Filters narrow what the actor sees; asking for private levels reveals nothing more.
    The answer is exactly the visible states the filter selects (so an empty answer fails
    wherever something visible matches)."""
    body = client_for(actor).get(f"/api/v1/resources/?{params}").json()
    seen = _seen(states, [f["id"] for f in body["features"]])
    assert seen == EXPECTED_VISIBLE[actor] & FILTERED[params]
    assert body["numberMatched"] == len(seen)
    if actor in (*MEMBERS, "author") or params == "q=ressource":
        assert seen  # positive control: members see something through every filter


@pytest.mark.parametrize("actor", ACTORS)
def test_detail_answers_404_for_what_the_actor_may_not_see(actor, client_for, states):
    """A resource the actor may not see is « not found », never « forbidden »."""
    client = client_for(actor)
    for name, resource in states.items():
        response = client.get(f"/api/v1/resources/{resource.pk}/")
        expected = 200 if name in EXPECTED_VISIBLE[actor] else 404
        assert response.status_code == expected, (actor, name)
        if expected == 200:
            assert response.json()["id"] == resource.pk


@pytest.mark.parametrize("actor", ACTORS)
def test_writes_on_invisible_resources_answer_404(actor, client_for, states):
    """Editing, sharing, validating or reviewing an invisible resource does not confirm it
    exists (anonymous callers are asked to authenticate first)."""
    client = client_for(actor)
    for name, resource in states.items():
        if name in EXPECTED_VISIBLE[actor]:
            continue
        url = f"/api/v1/resources/{resource.pk}/"
        answers = {
            client.patch(url, {"properties": {"title": "x"}}, format="json").status_code,
            client.delete(url).status_code,
            client.post(url + "share/", {"level": "public"}, format="json").status_code,
            client.post(url + "validate/").status_code,
            client.post(url + "review/", {"comment": "vu"}, format="json").status_code,
        }
        assert answers == ({401} if actor == "anonymous" else {404}), (actor, name)


@pytest.mark.parametrize("actor", ACTORS)
def test_group_summaries_count_only_visible_resources(actor, client_for, cast, states):
    """The public list of groups and each group's page count what the actor may see."""
    client = client_for(actor)
    groups = {g["slug"]: g for g in client.get("/api/v1/groups/").json()}
    assert groups[cast.group.slug]["resource_count"] == len(EXPECTED_VISIBLE[actor])
    assert groups[cast.other_group.slug]["resource_count"] == 0
    detail = client.get(f"/api/v1/groups/{cast.group.slug}/").json()
    assert detail["resource_count"] == len(EXPECTED_VISIBLE[actor])


@pytest.mark.parametrize("actor", ACTORS)
def test_me_lists_own_resources_and_own_queue_only(actor, client_for, cast, states):
    """« Mon espace » shows the actor's own resources and, to the group's animateur only, the
    resources waiting for validation."""
    response = client_for(actor).get("/api/v1/me/")
    if actor == "anonymous":
        assert response.status_code == 401
        return
    body = response.json()
    own = _seen(states, [r["id"] for r in body["resources"]])
    assert own == (set(STATES) if actor == "author" else set())
    assert body["resource_count"] == len(own)
    queue = _seen(states, [r["id"] for r in body["validation_queue"]])
    expected_queue = {"communaute_attente", "public_attente"} if actor == "animateur" else set()
    assert queue == expected_queue
    groups = {m["group"] for m in body["memberships"]}
    if actor in (*MEMBERS, "author"):
        assert groups == {cast.group.slug}
    elif actor == "other_animateur":
        assert groups == {cast.other_group.slug}
    else:
        assert groups == set()


@pytest.mark.parametrize("actor", ACTORS)
def test_member_list_is_for_members_only(actor, client_for, cast):
    """Only members see who is in the group; animateurs also see pending requests."""
    from workgroups.models import Membership

    from ..factories import MembershipFactory, UserFactory

    MembershipFactory(
        group=cast.group, user=UserFactory(username="candidat"), state=Membership.State.REQUESTED
    )
    response = client_for(actor).get(f"/api/v1/groups/{cast.group.slug}/members/")
    if actor == "anonymous":
        assert response.status_code == 401
    elif actor in (*MEMBERS, "author"):
        names = {m["username"] for m in response.json()}
        assert {"lecteur", "animateur", "author"} <= names
        assert ("candidat" in names) == (actor == "animateur")
    else:
        assert response.status_code == 403
