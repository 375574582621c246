"""Fixtures of the news and agenda tests: one news item, one event and one resource of the
cast's group in each sharing state, all by ``author``."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone

from actualites.models import Event, NewsItem

from ..api.conftest import STATES
from ..ui.matrix import resource_in_state


def _sharing(cast, level: str, validated: bool) -> dict:
    return {
        "group": cast.group,
        "author": cast["author"],
        "level": level,
        "validated_at": timezone.now() if validated else None,
        "validated_by": cast["animateur"] if validated else None,
    }


@pytest.fixture
def shared_states(cast) -> dict[str, dict[str, object]]:
    """``{"news": {state: item}, "events": {…}, "resources": {…}}``; titles name the state."""
    start = timezone.now() + timedelta(days=3)
    out: dict[str, dict[str, object]] = {"news": {}, "events": {}, "resources": {}}
    for i, (name, (level, validated)) in enumerate(STATES.items()):
        sharing = _sharing(cast, level, validated)
        out["news"][name] = NewsItem.objects.create(
            title=f"Actualité {name}", body=f"Texte **{name}**", **sharing
        )
        out["events"][name] = Event.objects.create(
            title=f"Manifestation {name}",
            start=start + timedelta(days=i),
            end=start + timedelta(days=i, hours=2),
            place=Point(3.06 + i / 100, 50.63, srid=4326),
            place_name=f"Lieu {name}",
            **sharing,
        )
        out["resources"][name] = resource_in_state(
            cast, level, validated, title=f"Ressource {name}"
        )
    return out


@pytest.fixture
def client_for(cast):
    """``client_for("expert")``: an API client authenticated as that actor of the cast."""
    from rest_framework.test import APIClient

    def make(actor: str) -> APIClient:
        client = APIClient()
        person = cast[actor]
        if person.is_authenticated:
            client.force_authenticate(person)
        return client

    return make
