"""Fixtures of the actors' tests: one profile per (visibility, contact choice), each with one
placed experience, written through the services."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.gis.geos import Point

from actors import services
from actors.models import ContactChoice, Kind, Profile, Visibility
from actors.services import ExperienceInput, ProfileInput

WORD = "zéphyrins"  # a word no other text holds, for the search channels


@dataclass
class Profiles:
    by_case: dict[tuple[str, str], Profile]

    def expected_visible(self, user) -> set[str]:
        """Independent of the code under test: accounts see everything, anonymous the public."""
        return {
            p.slug
            for (visibility, _contact), p in self.by_case.items()
            if user.is_authenticated or visibility == Visibility.PUBLIC
        }

    def expected_contact(self, user) -> set[str]:
        return {
            p.slug
            for (visibility, contact), p in self.by_case.items()
            if p.slug in self.expected_visible(user)
            and (
                contact == ContactChoice.PUBLIC
                or (contact == ContactChoice.COMPTES and user.is_authenticated)
            )
        }


def make_profile(author, name: str, **fields) -> Profile:
    experiences = fields.pop("experiences", None)
    territories = fields.pop("territories", None)
    data = ProfileInput(
        fields={"name": name, "kind": Kind.PROFESSIONNEL, **fields},
        territories=territories,
        experiences=experiences,
    )
    return services.create_profile(author, data)


@pytest.fixture
def profiles(cast) -> Profiles:
    by_case = {}
    for i, visibility in enumerate(Visibility.values):
        for j, contact in enumerate(ContactChoice.values):
            by_case[(visibility, contact)] = make_profile(
                cast["author"],
                f"Acteur {visibility} {contact}",
                summary=f"Les {WORD} du paysage",
                visibility=visibility,
                contact_choice=contact,
                email=f"{visibility}.{contact}@acteurs.example",
                experiences=[
                    ExperienceInput(
                        title=f"Expérience {visibility} {contact}",
                        year_start=2020,
                        place=Point(2.0 + i, 49.0 + j / 2, srid=4326),
                    )
                ],
            )
    return Profiles(by_case)
