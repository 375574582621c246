"""The portal's « Actualités » and « Agenda » blocks: what each visitor may see, no more."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_portal_home_shows_the_news_and_events_each_visitor_may_see(client, cast, shared_states):
    from portals.models import Portal

    Portal.objects.create(
        group=cast.group,
        title="Portail",
        sections=["observatoire", "actualites", "agenda"],
    )
    slug = cast.group.slug
    page = client.get(f"/portails/{slug}/").content.decode()
    assert ">Actualité public</a>" in page and ">Manifestation public</a>" in page
    for hidden in ("groupe", "public_attente", "communaute", "prive"):
        assert f">Actualité {hidden}</a>" not in page
        assert f">Manifestation {hidden}</a>" not in page
    assert f'href="/portails/{slug}/agenda.ics"' in page
    client.force_login(cast["lecteur"])
    member = client.get(f"/portails/{slug}/").content.decode()
    assert ">Actualité groupe</a>" in member and ">Manifestation groupe</a>" in member
    assert ">Actualité prive</a>" not in member
