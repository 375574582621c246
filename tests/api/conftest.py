"""Fixtures of the API tests: clients acting as each actor of the cast, resources at each level."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from workgroups.roles import Level

from ..ui.matrix import resource_in_state

#: The six sharing states of a resource: (level, validated).
STATES = {
    "prive": (Level.UTILISATEUR, False),
    "groupe": (Level.GROUPE, False),
    "communaute_attente": (Level.COMMUNAUTE, False),
    "communaute": (Level.COMMUNAUTE, True),
    "public_attente": (Level.PUBLIC, False),
    "public": (Level.PUBLIC, True),
}

MEMBERS = ("lecteur", "contributeur", "expert", "animateur")

#: Which states each actor sees — the visibility rule written out as a table.
EXPECTED_VISIBLE = {
    "anonymous": {"public"},
    "account": {"communaute", "public"},
    "other_animateur": {"communaute", "public"},
    **{m: set(STATES) - {"prive"} for m in MEMBERS},
    "author": set(STATES),
}


@pytest.fixture
def client_for(cast):
    """``client_for("expert")``: an API client authenticated as that actor of the cast."""

    def make(actor: str) -> APIClient:
        client = APIClient()
        person = cast[actor]
        if person.is_authenticated:
            client.force_authenticate(person)
        return client

    return make


@pytest.fixture
def states(cast) -> dict[str, object]:
    """One resource of the cast's group in each sharing state, all by ``author``."""
    return {
        name: resource_in_state(cast, level, validated, title=f"Ressource {name}")
        for name, (level, validated) in STATES.items()
    }
