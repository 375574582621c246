"""Demo missions of the Activité base for the activity report of demo-nord: 150 missions of
the six kinds over three years, in a dozen communes of the Nord, some concerning a whole EPCI,
with partners, time spent, public reached and links to the group's marqueurs.

Loaded by ``manage.py load_demo_activite`` after ``load_demo``; idempotent (source
``demo-activite``). Everything goes through the services, as in real use.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.contrib.gis.geos import Point
from django.db import transaction

from observatoire import services
from observatoire.demo import NORD
from observatoire.kinds import KINDS_OF_BASE, Base, Kind
from observatoire.models import Resource
from workgroups import events
from workgroups.models import Group, User
from workgroups.roles import Level

SOURCE = "demo-activite"
MISSIONS = 150
#: EPCI a mission may concern as a whole: Métropole Européenne de Lille, CU de Dunkerque.
WHOLE_EPCI = ("200093201", "245900428")
PARTNERS = ("DDTM du Nord", "Ville", "Parc naturel régional", "Département du Nord", "ADEME")
TITLES = {
    Kind.VIE_ASSOCIATION: "Conseil d'administration, {v}",
    Kind.CONSEIL_COLLECTIVITES: "Conseil à la commune de {v} : aménagement du centre",
    Kind.CONSEIL_PARTICULIERS: "Permanence de conseil architectural à {v}",
    Kind.FORMATION: "Formation des élus de {v} au paysage",
    Kind.SENSIBILISATION: "Balade urbaine à {v}",
    Kind.EDITION: "Fiche-conseil « Construire à {v} »",
}


def is_loaded() -> bool:
    return Resource.objects.filter(source=SOURCE).exists()


@transaction.atomic
def load(seed: int = 26) -> int:
    """Create the missions (none when already loaded or without demo-nord)."""
    group = Group.objects.filter(slug="demo-nord").first()
    if is_loaded() or group is None:
        return 0
    rng = random.Random(seed)
    authors = list(User.objects.filter(username__in=["anim", "contrib", "expert"]))
    animateur = User.objects.get(username="anim")
    marqueurs = list(Resource.objects.filter(group=group, kind=Kind.MARQUEUR).order_by("id")[:20])
    this_year = date.today().year
    count = 0
    with events.quiet():
        for number in range(MISSIONS):
            place = rng.choice(NORD[:12])
            kind = rng.choice(KINDS_OF_BASE[Base.ACTIVITE])
            start = date(this_year - 2, 1, 1) + timedelta(days=rng.randint(0, 3 * 365 - 40))
            attributes = {
                "partenaires": rng.choice(PARTNERS),
                "temps_passe_heures": rng.choice([2, 4, 7, 14, 21]),
                "public_atteint": rng.randint(5, 120),
            }
            if rng.random() < 0.1:
                attributes["territoire"] = rng.choice(WHOLE_EPCI)
            author = rng.choice(authors)
            resource = services.create_resource(
                author,
                group,
                title=TITLES[kind].format(v=place.name),
                summary=f"{Kind(kind).label} à {place.name}.",
                base=Base.ACTIVITE,
                kind=kind,
                date_start=start,
                geom=Point(
                    place.lon + rng.uniform(-0.01, 0.01),
                    place.lat + rng.uniform(-0.01, 0.01),
                    srid=4326,
                ),
                attributes=attributes,
                links=rng.sample(marqueurs, k=min(len(marqueurs), rng.randint(0, 2))),
            )
            level = rng.choices([Level.PUBLIC, Level.COMMUNAUTE, Level.GROUPE], weights=[6, 2, 2])[
                0
            ]
            if level != resource.level:
                services.share(author, resource, level)
            if resource.validated_at is None and level != Level.GROUPE and rng.random() < 0.85:
                services.validate(animateur, resource)
            Resource.objects.filter(pk=resource.pk).update(
                source=SOURCE, source_id=f"mission-{number}"
            )
            count += 1
    return count
