"""Carnets credit actors too (issue 28): the carnet's editors credit a profile from the carnet's
page; the credit shows on both sides, each side only what the reader may see — the leak
matrix over the six sharing states of carnets and the two visibilities of profiles."""

from __future__ import annotations

import pytest

from actors.models import Credit, Visibility
from tests.api.conftest import EXPECTED_VISIBLE
from tests.conftest import ACTORS
from tests.publications.conftest import carnets  # noqa: F401 (fixture)

from .conftest import make_profile

pytestmark = pytest.mark.django_db


def _login(client, cast, actor):
    if cast[actor].is_authenticated:
        client.force_login(cast[actor])


def test_carnet_editor_credits_an_actor_shown_on_both_sides(client, cast, carnets):  # noqa: F811
    carnet = carnets["public"]
    public = make_profile(cast["account"], "Paysages & Co")
    hidden = make_profile(cast["account"], "Bureau discret", visibility=Visibility.COMPTES)
    url = f"/acteurs/credits/carnets/{carnet.pk}/"
    client.force_login(cast["lecteur"])  # sees the carnet, may not edit it
    assert client.post(url, {"profile": public.slug, "role": "partenaire"}).status_code == 403
    client.force_login(cast["author"])
    for profile, role in ((public, "accompagnement"), (hidden, "partenaire")):
        assert client.post(url, {"profile": profile.slug, "role": role}).status_code == 302
    bad = client.post(url, {"profile": "personne-de-ce-nom", "role": "partenaire"})
    assert bad.status_code == 400 and "Acteur introuvable" in bad.content.decode()
    assert Credit.objects.filter(carnet=carnet).count() == 2
    page = client.get(f"/publications/{carnet.slug}/").content.decode()
    assert "Paysages &amp; Co" in page and "Bureau discret" in page and "Créditer" in page
    client.logout()
    anonymous = client.get(f"/publications/{carnet.slug}/").content.decode()
    assert "Paysages &amp; Co" in anonymous and "Bureau discret" not in anonymous
    assert "Créditer" not in anonymous
    assert carnet.title in client.get(f"/acteurs/{public.slug}/").content.decode()


@pytest.mark.parametrize("actor", ACTORS)
def test_a_profile_lists_only_the_carnets_its_reader_sees(client, cast, carnets, actor):  # noqa: F811
    profile = make_profile(cast["account"], "Atelier partout")
    for carnet in carnets.values():
        Credit.objects.create(carnet=carnet, profile=profile, role="partenaire")
    _login(client, cast, actor)
    page = client.get(f"/acteurs/{profile.slug}/").content.decode()
    shown = {state for state, carnet in carnets.items() if f">{carnet.title}</a>" in page}
    assert shown == EXPECTED_VISIBLE[actor]
