"""The bell, the notifications and the keys pages in Debian's Chromium at a phone's width:
an invitation reaches the bell, the invited opens it and accepts; a key is made, shown once,
and no page scrolls sideways. Screenshots: var/screenshots/."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from tests.clients import CHROMIUM, chromium, real_client, sign_in
from tests.factories import GroupFactory, MembershipFactory, UserFactory
from workgroups.models import FeedKey, Membership
from workgroups.roles import Role

PASSWORD = "mot-de-passe-test"
PHONE = {"width": 390, "height": 844}
NO_SIDEWAYS = "document.documentElement.scrollWidth <= window.innerWidth + 1"

pytestmark = [
    pytest.mark.django_db(transaction=True),
    real_client("chromium", Path(CHROMIUM).exists(), "Chromium de Debian absent"),
]


def test_an_invitation_rings_the_bell_and_a_key_is_made(live_server, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    shots = Path(settings.SPASS["VAR_DIR"]) / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    group = GroupFactory(name="Atlas des paysages", slug="atlas")
    MembershipFactory(group=group, role=Role.ANIMATEUR, user=UserFactory(username="alain"))
    UserFactory(username="visiteur")
    base = live_server.url
    with chromium() as browser:
        alain = browser.new_context(locale="fr-FR").new_page()
        sign_in(alain, base, "alain", PASSWORD)
        alain.goto(f"{base}/groupes/atlas/")
        alain.fill("#id_person", "visiteur")
        alain.locator("form[action$='/inviter/'] button[type=submit]").click()
        alain.wait_for_load_state()

        page = browser.new_context(viewport=PHONE, locale="fr-FR").new_page()
        sign_in(page, base, "visiteur", PASSWORD)
        assert page.locator(".cloche-compte").inner_text().startswith("1")
        page.locator(".cloche").click()
        page.wait_for_url(f"{base}/mon-espace/notifications/")
        assert page.evaluate(NO_SIDEWAYS)
        page.screenshot(path=str(shots / "notifications-telephone.png"), full_page=True)
        page.get_by_role(
            "link", name="alain vous invite dans le groupe « Atlas des paysages »."
        ).click()
        page.get_by_role("button", name="Accepter l'invitation").click()
        page.wait_for_load_state()
        assert Membership.objects.get(user__username="visiteur").state == "active"

        page.goto(f"{base}/profil/cles/")
        page.fill("#id_name", "QGIS bureau")
        page.get_by_role("button", name="Créer la clé").click()
        page.wait_for_load_state()
        assert page.locator("#cle-valeur").input_value() == FeedKey.objects.get().key
        assert page.evaluate(NO_SIDEWAYS)
        page.screenshot(path=str(shots / "cles-telephone.png"), full_page=True)
