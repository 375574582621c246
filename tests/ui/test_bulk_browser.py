"""In headless Chromium: an animateur picks « tout ce filtre » on the validation queue,
validates 1,100 resources at once and watches the progress bar of the background job reach
its end (the real procrastinate worker)."""

from __future__ import annotations

from pathlib import Path

import pytest

from observatoire.models import Resource
from tests.clients import real_client, sign_in
from tests.factories import GroupFactory, MembershipFactory, UserFactory
from tests.observatoire.test_bulk import run_moderation_worker, seed
from tests.ui.test_browser import CHROMIUM, PASSWORD, browser, shots  # noqa: F401 (fixtures)
from workgroups.roles import Role

pytestmark = [
    pytest.mark.django_db(transaction=True),
    real_client("chromium", Path(CHROMIUM).exists(), "Debian chromium absent"),
]


def test_validate_all_of_the_filter_with_a_progress_bar(live_server, browser, shots):  # noqa: F811
    group = GroupFactory(slug="demo-nord", name="Démo Nord")
    MembershipFactory(group=group, role=Role.ANIMATEUR, user=UserFactory(username="alain"))
    author = MembershipFactory(group=group, role=Role.CONTRIBUTEUR).user
    seed(group, author, 1100, title="Chapelle")
    page = browser.new_page(locale="fr-FR")
    sign_in(page, live_server.url, "alain", PASSWORD)
    page.goto(f"{live_server.url}/mon-espace/a-valider/?q=Chapelle")
    page.check("#portee-filtre")
    assert "1100 ressources" in page.inner_text("label[for=portee-filtre]").replace("\u202f", "")
    page.select_option("#action-groupee", "valider")
    page.click("#bulk-form button[type=submit]")
    page.wait_for_url("**/mon-espace/actions/*/")
    assert page.get_attribute("#import-progression", "value") == "0"
    run_moderation_worker()
    page.wait_for_selector("text=Terminé : 1100 ressources traitées.", timeout=20_000)
    assert page.get_attribute("#import-progression", "value") == "100"
    page.screenshot(path=str(shots / "moderation-en-lot.png"), full_page=True)
    assert Resource.objects.filter(validated_at__isnull=False).count() == 1100
