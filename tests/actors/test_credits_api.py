"""``/api/v1/credits/``: the credits of resources and carnets in the REST API (partners write
them in bulk as the pages do one by one). A credit reads when its actor and its resource or
carnet are both visible to the reader — the leak matrix over the six sharing states of carnets,
both visibilities of profiles and a resource's states; whoever may edit the item credits and
removes (403 for who only sees it, 404 for who does not)."""

from __future__ import annotations

import pytest

from actors.models import Credit, Visibility
from tests.api.conftest import EXPECTED_VISIBLE, client_for  # noqa: F401 (fixture)
from tests.conftest import ACTORS
from tests.factories import ResourceFactory
from tests.publications.conftest import carnets  # noqa: F401 (fixture)
from workgroups.roles import Level

from .conftest import make_profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def credited(cast, carnets):  # noqa: F811
    """Every carnet state credits a public profile and one for accounts only; a private
    resource and a public one credit the public profile."""
    public = make_profile(cast["account"], "Paysages publics")
    accounts = make_profile(cast["account"], "Bureau des comptes", visibility=Visibility.COMPTES)
    made = {}
    for state, carnet in carnets.items():
        for profile in (public, accounts):
            made[(state, profile.slug)] = Credit.objects.create(
                carnet=carnet, profile=profile, role="partenaire"
            ).pk
    for state, level in (("prive", Level.UTILISATEUR), ("public", Level.PUBLIC)):
        resource = ResourceFactory(
            group=cast.group, author=cast["author"], level=level, title=f"Ressource {state}"
        )
        if level == Level.PUBLIC:
            resource.validated_at = resource.created_at
            resource.save()
        made[(f"ressource-{state}", public.slug)] = Credit.objects.create(
            resource=resource, profile=public, role="accompagnement"
        ).pk
    return {"ids": made, "public": public, "accounts": accounts, "carnets": carnets}


@pytest.mark.parametrize("actor", ACTORS)
def test_leak_matrix_of_the_credits_api(cast, client_for, credited, actor):  # noqa: F811
    sees_carnets = EXPECTED_VISIBLE[actor]
    sees_accounts_profile = cast[actor].is_authenticated
    sees_private_resource = actor == "author"
    expected = {
        pk
        for (state, slug), pk in credited["ids"].items()
        if (
            (
                state.startswith("ressource-")
                and (state == "ressource-public" or sees_private_resource)
            )
            or (not state.startswith("ressource-") and state in sees_carnets)
        )
        and (slug == credited["public"].slug or sees_accounts_profile)
    }
    client = client_for(actor)
    listed = client.get("/api/v1/credits/?limit=100").json()
    assert {c["id"] for c in listed["results"]} == expected
    for pk in credited["ids"].values():
        assert client.get(f"/api/v1/credits/{pk}/").status_code == (200 if pk in expected else 404)


def test_credit_and_remove_through_the_api(cast, client_for, credited):  # noqa: F811
    shared = credited["carnets"]
    carnet, profile = shared["public"], credited["public"]
    body = {"carnet": carnet.slug, "profile": profile.slug, "role": "maitrise_oeuvre"}
    assert client_for("lecteur").post("/api/v1/credits/", body, format="json").status_code == 403
    assert (
        client_for("account")
        .post("/api/v1/credits/", {**body, "carnet": shared["prive"].slug}, format="json")
        .status_code
        == 404
    )
    made = client_for("author").post("/api/v1/credits/", body, format="json")
    assert made.status_code == 201, made.content
    data = made.json()
    assert (data["carnet"], data["profile"], data["role"], data["resource"]) == (
        carnet.slug,
        profile.slug,
        "maitrise_oeuvre",
        None,
    )
    listed = client_for("anonymous").get(f"/api/v1/credits/?carnet={carnet.slug}").json()
    assert data["id"] in {c["id"] for c in listed["results"]}
    url = f"/api/v1/credits/{data['id']}/"
    assert client_for("lecteur").delete(url).status_code == 403
    assert client_for("author").delete(url).status_code == 204
    assert not Credit.objects.filter(pk=data["id"]).exists()


@pytest.mark.parametrize(
    "change, field",
    [
        ({"role": "mecene"}, "role"),
        ({"profile": "personne-de-ce-nom"}, "profile"),
        ({"resource": 1}, "resource"),  # both a resource and a carnet
        ({"carnet": None}, "carnet"),
        ({"couleur": "vert"}, "couleur"),
    ],
)
def test_bad_credits_are_named(cast, client_for, credited, change, field):  # noqa: F811
    """Nothing is written."""
    body = {
        "carnet": credited["carnets"]["public"].slug,
        "profile": credited["public"].slug,
        "role": "partenaire",
    }
    before = Credit.objects.count()
    response = client_for("author").post("/api/v1/credits/", {**body, **change}, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert Credit.objects.count() == before


def test_list_filters_by_resource_and_profile(cast, client_for, credited):  # noqa: F811
    client = client_for("author")
    pk = credited["ids"][("ressource-public", credited["public"].slug)]
    resource_id = Credit.objects.get(pk=pk).resource_id
    by_resource = client.get(f"/api/v1/credits/?resource={resource_id}").json()["results"]
    assert [c["id"] for c in by_resource] == [pk]
    by_profile = client.get(f"/api/v1/credits/?profile={credited['accounts'].slug}").json()
    assert {c["profile"] for c in by_profile["results"]} == {credited["accounts"].slug}
    bad = client.get("/api/v1/credits/?resource=abc")
    assert bad.status_code == 400 and "nombre" in bad.json()["resource"][0]
