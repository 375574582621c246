"""Resources at every sharing state around the ``cast`` group, and who must see each."""

from __future__ import annotations

from django.utils import timezone

from observatoire.models import Resource
from tests.factories import ResourceFactory
from workgroups.roles import Level

MEMBERS = {"lecteur", "contributeur", "expert", "animateur", "author"}
ACCOUNTS = MEMBERS | {"account", "other_animateur"}
EVERYONE = ACCOUNTS | {"anonymous"}

#: title suffix → (level, validated, actors who see it)
STATES: dict[str, tuple[str, bool, set[str]]] = {
    "privee": (Level.UTILISATEUR, False, {"author"}),
    "groupe": (Level.GROUPE, False, MEMBERS),
    "communaute-attente": (Level.COMMUNAUTE, False, MEMBERS),
    "communaute-validee": (Level.COMMUNAUTE, True, ACCOUNTS),
    "public-attente": (Level.PUBLIC, False, MEMBERS),
    "public-valide": (Level.PUBLIC, True, EVERYONE),
}


def resource_in_state(cast, level: str, validated: bool, **fields) -> Resource:
    """A resource of the cast's group by ``cast['author']`` at ``level``, validated by the
    animateur or waiting."""
    return ResourceFactory(
        group=cast.group,
        author=cast["author"],
        level=level,
        validated_at=timezone.now() if validated else None,
        validated_by=cast["animateur"] if validated else None,
        **fields,
    )


def make_states(cast, word: str = "Clocher", **fields) -> dict[str, Resource]:
    """One resource per sharing state, authored by ``cast['author']``, titled
    ``f"{word} {state}"``."""
    return {
        state: resource_in_state(
            cast,
            level,
            validated,
            title=f"{word} {state}",
            summary=f"{word} du village, état {state}",
            **fields,
        )
        for state, (level, validated, _who) in STATES.items()
    }


def expected_for(actor: str) -> set[str]:
    return {state for state, (_l, _v, who) in STATES.items() if actor in who}


def client_for(client, cast, actor: str):
    """The Django test client logged in as ``actor`` (anonymous stays logged out)."""
    if actor != "anonymous":
        client.force_login(cast[actor])
    return client
