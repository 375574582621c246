"""In Debian's Chromium: ``expert`` comments a resource and mentions ``contrib``, who sees
the bell ring and follows it to the comment; ``anim`` opens the « Historique » tab of an
edited resource and restores the older version. Screenshots: var/screenshots/."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from history.services import versions_of
from observatoire.models import Resource
from tests.clients import CHROMIUM, chromium, real_client, sign_in
from tests.factories import GroupFactory, MembershipFactory, ResourceFactory, UserFactory
from tests.notifications.test_browser import NO_SIDEWAYS, PASSWORD, PHONE
from workgroups.roles import Level, Role

pytestmark = [
    pytest.mark.django_db(transaction=True),
    real_client("chromium", Path(CHROMIUM).exists(), "Chromium de Debian absent"),
]


def test_a_mention_rings_the_bell_and_an_animateur_restores_a_version(live_server, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    shots = Path(settings.SPASS["VAR_DIR"]) / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    group = GroupFactory(name="Atlas des paysages", slug="atlas")
    people = {
        name: MembershipFactory(group=group, role=role, user=UserFactory(username=name)).user
        for name, role in [
            ("anim", Role.ANIMATEUR),
            ("contrib", Role.CONTRIBUTEUR),
            ("expert", Role.EXPERT),
        ]
    }
    resource = ResourceFactory(
        group=group, author=people["contrib"], level=Level.GROUPE, title="Halle de Crest"
    )
    base = live_server.url
    with chromium() as browser:
        expert = browser.new_context(locale="fr-FR").new_page()
        sign_in(expert, base, "expert", PASSWORD)
        expert.goto(f"{base}/ressources/{resource.pk}/")
        expert.fill("#nouveau-commentaire", "Belle charpente : @contrib, as-tu la date ?")
        expert.get_by_role("button", name="Publier").click()
        expert.wait_for_load_state()
        assert expert.locator(".comment-body").first.inner_text().startswith("Belle charpente")

        contrib = browser.new_context(viewport=PHONE, locale="fr-FR").new_page()
        sign_in(contrib, base, "contrib", PASSWORD)
        assert contrib.locator(".cloche-compte").inner_text().startswith("1")
        contrib.locator(".cloche").click()
        contrib.wait_for_url(f"{base}/mon-espace/notifications/")
        contrib.get_by_role(
            "link", name="expert vous mentionne dans un commentaire sur « Halle de Crest »."
        ).click()
        contrib.wait_for_load_state()
        assert "Belle charpente" in contrib.locator("#commentaires").inner_text()
        assert contrib.evaluate(NO_SIDEWAYS)
        contrib.screenshot(path=str(shots / "discussion-telephone.png"), full_page=True)

        # contrib renames the resource; anim puts the first version back
        contrib.goto(f"{base}/ressources/{resource.pk}/modifier/")
        contrib.fill("#id_title", "Halle de Crest (titre erroné)")
        contrib.locator("form button[type=submit]").last.click()
        contrib.wait_for_load_state()
        assert Resource.objects.get(pk=resource.pk).title == "Halle de Crest (titre erroné)"

        anim = browser.new_context(locale="fr-FR").new_page()
        sign_in(anim, base, "anim", PASSWORD)
        anim.goto(f"{base}/ressources/{resource.pk}/")
        anim.get_by_role("link", name="Historique des versions").click()
        anim.wait_for_load_state()
        assert "titre erroné" in anim.locator(".history-version").first.inner_text()
        first = versions_of(resource).last()
        anim.screenshot(path=str(shots / "historique.png"), full_page=True)
        anim.get_by_role("button", name=f"Restaurer la version n° {first.pgh_id}").click()
        anim.wait_for_load_state()
        assert Resource.objects.get(pk=resource.pk).title == "Halle de Crest"
        newest = anim.locator(".history-version").first.inner_text()
        assert "Restauration" in newest and "par anim" in newest
