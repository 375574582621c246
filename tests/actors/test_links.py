"""Credits of resources (shown on the resource's page through the item-page hook and on the
profile's page), the portal's « Acteurs » block and the demo loader."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from actors.models import Credit, Profile, Visibility
from tests.factories import ResourceFactory
from workgroups.roles import Level

from .conftest import make_profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def resource(cast):
    return ResourceFactory(
        title="Parc des Ansereuilles",
        group=cast.group,
        author=cast["author"],
        level=Level.PUBLIC,
        validated_at=timezone.now(),
    )


def test_resource_editor_credits_an_actor_shown_on_both_sides(client, cast, resource):
    public = make_profile(cast["account"], "Atelier crédité")
    hidden = make_profile(cast["account"], "Atelier discret", visibility=Visibility.COMPTES)
    client.force_login(cast["author"])  # the resource's author may edit it
    for profile, role in ((public, "maitrise_oeuvre"), (hidden, "partenaire")):
        response = client.post(
            f"/acteurs/credits/{resource.pk}/", {"profile": profile.slug, "role": role}
        )
        assert response.status_code == 302
    page = client.get(f"/ressources/{resource.pk}/").content.decode()
    assert "Atelier crédité" in page and "Maîtrise d&#x27;œuvre" in page
    assert "Atelier discret" in page
    assert "Parc des Ansereuilles" in client.get(f"/acteurs/{public.slug}/").content.decode()
    client.logout()
    anonymous = client.get(f"/ressources/{resource.pk}/").content.decode()
    assert "Atelier crédité" in anonymous and "Atelier discret" not in anonymous
    assert "Créditer" not in anonymous


def test_only_resource_editors_credit(client, cast, resource):
    profile = make_profile(cast["account"], "Atelier")
    client.force_login(cast["lecteur"])
    response = client.post(
        f"/acteurs/credits/{resource.pk}/", {"profile": profile.slug, "role": "partenaire"}
    )
    assert response.status_code == 403
    client.force_login(cast["author"])
    bad = client.post(
        f"/acteurs/credits/{resource.pk}/", {"profile": profile.slug, "role": "mécène"}
    )
    assert bad.status_code == 400 and "Rôle inconnu" in bad.content.decode()
    assert not Credit.objects.exists()


def test_credit_of_a_hidden_resource_never_shows_on_the_profile(client, cast):
    private = ResourceFactory(title="Ressource privée", group=cast.group, author=cast["author"])
    profile = make_profile(cast["account"], "Atelier")
    Credit.objects.create(resource=private, profile=profile, role="partenaire")
    client.force_login(cast["account"])
    assert "Ressource privée" not in client.get(f"/acteurs/{profile.slug}/").content.decode()


def test_portal_block_lists_the_groups_visible_profiles(client, cast):
    shown = make_profile(cast["author"], "Acteur du groupe")
    hidden = make_profile(cast["author"], "Acteur pour comptes", visibility=Visibility.COMPTES)
    Profile.objects.filter(pk__in=[shown.pk, hidden.pk]).update(group=cast.group)

    def block(c) -> set[str]:
        page = c.get(f"/portails/{cast.group.slug}/").content.decode()
        match = re.search(r'id="bloc-acteurs">.*?</section>', page, re.S)
        return set(re.findall(r"/acteurs/([-a-z0-9]+)/", match.group(0))) if match else set()

    assert block(client) == {shown.slug}
    client.force_login(cast["account"])
    assert block(client) == {shown.slug, hidden.slug}


def test_demo_loader_is_idempotent(cast, territories):
    from tests.factories import UserFactory

    UserFactory(username="anim")
    UserFactory(username="contrib")
    call_command("load_demo_actors")
    names = set(Profile.objects.values_list("name", flat=True))
    assert names == {"CAUE du Nord", "Atelier Lisières Paysage", "Collectif Traverses"}
    assert all(p.territory is not None for p in Profile.objects.all())
    assert Profile.objects.get(name="Collectif Traverses").experiences.count() == 3
    call_command("load_demo_actors")
    assert Profile.objects.count() == 3
