"""Writes through the API: create, edit, delete, share, validate, review, groups and tokens."""

from __future__ import annotations

import base64

import pytest
from rest_framework.test import APIClient

from observatoire.models import Resource
from workgroups.models import Membership
from workgroups.roles import Level

from ..conftest import ACTORS
from ..factories import GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def feature(group_slug: str, **properties) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [3.0573, 50.6292]},
        "properties": {
            "title": "Beffroi de Lille",
            "base": "observatoire",
            "kind": "marqueur",
            "group": group_slug,
            **properties,
        },
    }


def test_create_share_validate_then_anonymous_sees_it(client_for, cast):
    """The documented path: a contributeur creates, shares to public (waiting), the animateur
    validates, and only then does an anonymous visitor see it; who and when are recorded."""
    author = client_for("author")
    created = author.post("/api/v1/resources/", feature(cast.group.slug), format="json")
    assert created.status_code == 201
    rid = created.json()["id"]
    assert created.json()["properties"]["level"] == Level.UTILISATEUR
    assert created.json()["properties"]["author"] == "author"

    shared = author.post(f"/api/v1/resources/{rid}/share/", {"level": "public"}, format="json")
    assert shared.status_code == 200
    assert shared.json()["properties"]["validated"] is False
    assert client_for("anonymous").get(f"/api/v1/resources/{rid}/").status_code == 404

    assert client_for("contributeur").post(f"/api/v1/resources/{rid}/validate/").status_code == 403
    validated = client_for("animateur").post(f"/api/v1/resources/{rid}/validate/")
    assert validated.status_code == 200
    assert validated.json()["properties"]["validated_by"] == "animateur"
    assert validated.json()["properties"]["validated_at"]

    seen = client_for("anonymous").get(f"/api/v1/resources/{rid}/")
    assert seen.status_code == 200
    again = client_for("animateur").post(f"/api/v1/resources/{rid}/validate/")
    assert again.status_code == 400 and again.json()["detail"]


def test_review_by_expert_is_recorded_and_refused_to_contributeurs(client_for, cast):
    """Experts proofread a group resource with a comment; a contributeur cannot."""
    rid = (
        client_for("author")
        .post("/api/v1/resources/", feature(cast.group.slug, level="groupe"), format="json")
        .json()["id"]
    )
    url = f"/api/v1/resources/{rid}/review/"
    assert client_for("contributeur").post(url, {"comment": "ok"}, format="json").status_code == 403
    empty = client_for("expert").post(url, {"comment": "  "}, format="json")
    assert empty.status_code == 400 and "comment" in empty.json()
    done = client_for("expert").post(url, {"comment": "Date vérifiée."}, format="json")
    assert done.status_code == 201 and done.json()["author"] == "expert"
    detail = client_for("author").get(f"/api/v1/resources/{rid}/").json()["properties"]
    assert detail["checked_by"] == "expert" and detail["checked_at"]


@pytest.mark.parametrize(
    ("actor", "status"),
    [
        ("anonymous", 401),
        ("account", 404),
        ("lecteur", 403),
        ("contributeur", 403),
        ("expert", 403),
        ("animateur", 200),
        ("other_animateur", 404),
        ("author", 200),
    ],
)
def test_edit_rights_on_a_group_resource(actor, status, client_for, cast):
    """Only the author and the group's animateurs edit; others get 403, or 404 if blind."""
    rid = (
        client_for("author")
        .post("/api/v1/resources/", feature(cast.group.slug, level="groupe"), format="json")
        .json()["id"]
    )
    response = client_for(actor).patch(
        f"/api/v1/resources/{rid}/", {"properties": {"title": "Nouveau titre"}}, format="json"
    )
    assert response.status_code == status
    title = Resource.objects.get(pk=rid).title
    assert (title == "Nouveau titre") == (status == 200)


@pytest.mark.parametrize("actor", [a for a in ACTORS if a != "anonymous"])
def test_create_needs_contributeur_role(actor, client_for, cast):
    """Creating in a group needs contributeur or more there; others get 403 and nothing is
    written."""
    response = client_for(actor).post("/api/v1/resources/", feature(cast.group.slug), format="json")
    allowed = actor in ("contributeur", "expert", "animateur", "author")
    assert response.status_code == (201 if allowed else 403)
    assert Resource.objects.exists() == allowed


def test_put_replaces_and_delete_removes(client_for, cast):
    """PUT takes a whole Feature, cannot move the resource to another group; DELETE removes."""
    author = client_for("author")
    rid = author.post("/api/v1/resources/", feature(cast.group.slug), format="json").json()["id"]
    url = f"/api/v1/resources/{rid}/"
    put = author.put(
        url, feature(cast.group.slug, title="Remplacé", themes=["patrimoine"]), format="json"
    )
    assert put.status_code == 200 and put.json()["properties"]["themes"] == ["patrimoine"]
    moved = author.put(url, feature(cast.other_group.slug), format="json")
    assert moved.status_code == 400 and "group" in moved.json()
    assert author.delete(url).status_code == 204
    assert not Resource.objects.filter(pk=rid).exists()


def test_mediatheque_item_needs_no_geometry(client_for, cast):
    """A publication may have no place: geometry null is accepted outside the Observatoire."""
    body = feature(cast.group.slug, base="mediatheque", kind="publication")
    body["geometry"] = None
    response = client_for("author").post("/api/v1/resources/", body, format="json")
    assert response.status_code == 201 and response.json()["geometry"] is None


def test_join_approve_role_and_leave(client_for, cast):
    """Asking to join, approval and role change by the animateur, then leaving."""
    newcomer = UserFactory(username="nouvelle")
    client = APIClient()
    client.force_authenticate(newcomer)
    base = f"/api/v1/groups/{cast.group.slug}/"
    joined = client.post(base + "join/")
    assert joined.status_code == 201 and joined.json()["state"] == "requested"
    member_url = f"{base}members/{newcomer.pk}/"
    assert client_for("lecteur").post(member_url + "approve/").status_code == 403
    approved = client_for("animateur").post(member_url + "approve/")
    assert approved.status_code == 200 and approved.json()["state"] == "active"
    role = client_for("animateur").post(member_url + "role/", {"role": "expert"}, format="json")
    assert role.status_code == 200 and role.json()["role"] == "expert"
    bad = client_for("animateur").post(member_url + "role/", {"role": "chef"}, format="json")
    assert bad.status_code == 400 and "role" in bad.json()
    assert client.post(base + "leave/").status_code == 204
    assert not Membership.objects.filter(user=newcomer, group=cast.group).exists()
    assert client_for("animateur").post(f"{base}members/999999/approve/").status_code == 404


def test_invite_and_last_animateur(client_for, cast):
    """Animateurs invite by username; the last animateur cannot leave (400, French message)."""
    UserFactory(username="invitee")
    base = f"/api/v1/groups/{cast.group.slug}/"
    invited = client_for("animateur").post(base + "invite/", {"username": "invitee"}, format="json")
    assert invited.status_code == 201 and invited.json()["state"] == "invited"
    unknown = client_for("animateur").post(
        base + "invite/", {"username": "personne"}, format="json"
    )
    assert unknown.status_code == 400 and "username" in unknown.json()
    last = client_for("animateur").post(base + "leave/")
    assert last.status_code == 400 and "animateur" in last.json()["detail"]


def test_open_group_join_is_immediate(client_for):
    """An open group (« libre ») makes the person a member at once; invitation-only refuses."""
    libre = GroupFactory(slug="libre", join_mode="libre")
    ferme = GroupFactory(slug="ferme", join_mode="invitation")
    MembershipFactory(group=libre, role="animateur")
    client = client_for("account")
    assert client.post("/api/v1/groups/libre/join/").json()["state"] == "active"
    assert client.post("/api/v1/groups/ferme/join/").status_code == 403
    assert client.post("/api/v1/groups/inexistant/join/").status_code == 404
    assert ferme.memberships.count() == 0


def _basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def test_token_obtain_use_and_revoke(cast):
    """A token from username/password authenticates writes until it is revoked."""
    person = UserFactory(username="scripteur", password="mot-de-passe-test")
    MembershipFactory(group=cast.group, user=person, role="contributeur")
    client = APIClient()
    wrong = client.post(
        "/api/v1/auth/token/", {"username": "scripteur", "password": "faux"}, format="json"
    )
    assert wrong.status_code == 400
    token = client.post(
        "/api/v1/auth/token/",
        {"username": "scripteur", "password": "mot-de-passe-test"},
        format="json",
    ).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert (
        client.post("/api/v1/resources/", feature(cast.group.slug), format="json").status_code
        == 201
    )
    assert client.delete("/api/v1/auth/token/").status_code == 204
    assert client.get("/api/v1/me/").status_code == 401


def test_basic_auth_reads_but_never_writes(cast):
    """HTTP Basic (QGIS) is accepted on GET and refused on writes; wrong credentials → 401."""
    UserFactory(username="qgis", password="mot-de-passe-test")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=_basic("qgis", "mot-de-passe-test"))
    assert client.get("/api/v1/me/").json()["username"] == "qgis"
    refused = client.post("/api/v1/groups/groupe-matrice/join/")
    assert refused.status_code == 401 and "Token" in refused.json()["detail"]
    client.credentials(HTTP_AUTHORIZATION=_basic("qgis", "faux"))
    assert client.get("/api/v1/resources/").status_code == 401


def test_session_writes_need_csrf(cast):
    """A browser session writes only with its CSRF token (DRF's session authentication)."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(cast["author"])
    assert client.get("/api/v1/me/").status_code == 200
    response = client.post(
        "/api/v1/resources/", feature(cast.group.slug), content_type="application/json"
    )
    assert response.status_code == 403


def test_feed_key_reads_private_data_of_its_owner_only_on_get(cast, states):
    """A personal feed key (``?key=``) reads what its owner sees, and never writes."""
    from workgroups.auth import create_feed_key

    key = create_feed_key(cast["author"]).key
    client = APIClient()
    body = client.get(f"/api/v1/resources/?key={key}").json()
    assert body["numberMatched"] == len(states)
    refused = client.post(f"/api/v1/groups/{cast.group.slug}/leave/?key={key}")
    assert refused.status_code == 401
    assert client.get("/api/v1/resources/?key=inconnue").status_code == 401


def test_personal_answers_are_private_to_caches(client_for, cast):
    """Answers vary on credentials; those given to an identified person are cache-private."""
    anonymous = client_for("anonymous").get("/api/v1/resources/")
    assert "Authorization" in anonymous["Vary"]
    assert "private" not in anonymous.get("Cache-Control", "")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=_basic("compte", "mot-de-passe-test"))
    personal = client.get("/api/v1/groups/")
    assert personal.status_code == 200
    assert "private" in personal["Cache-Control"]
