"""Demo data: groups of each family and join mode, the documented accounts, and a few hundred
resources of every kind and sharing level around Lille/Nord, other regions and La Réunion.

Loaded by ``manage.py load_demo`` (``make run``) — never by tests or in production unless asked.
Everything goes through the services, so the demo obeys the same rules as real use.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.gis.geos import LineString, Point, Polygon
from django.db import transaction

from workgroups import events
from workgroups import services as group_services
from workgroups.models import Group, Membership, User
from workgroups.roles import Level, Role

from . import services
from .kinds import KINDS_OF_BASE, Base, Kind
from .models import Resource

DEMO_SOURCE = "demo"


@dataclass(frozen=True)
class Place:
    name: str
    lon: float
    lat: float
    insee: str


NORD = [
    Place("Lille", 3.0573, 50.6292, "59350"),
    Place("Roubaix", 3.1746, 50.6942, "59512"),
    Place("Tourcoing", 3.1611, 50.7239, "59599"),
    Place("Villeneuve-d'Ascq", 3.1417, 50.6233, "59009"),
    Place("Dunkerque", 2.3768, 51.0343, "59183"),
    Place("Valenciennes", 3.5235, 50.3570, "59606"),
    Place("Cambrai", 3.2353, 50.1761, "59122"),
    Place("Douai", 3.0806, 50.3714, "59178"),
    Place("Maubeuge", 3.9707, 50.2776, "59392"),
    Place("Armentières", 2.8806, 50.6882, "59017"),
    Place("Bailleul", 2.7354, 50.7389, "59043"),
    Place("Cassel", 2.4853, 50.8010, "59135"),
    Place("Le Quesnoy", 3.6366, 50.2479, "59481"),
    Place("Avesnes-sur-Helpe", 3.9279, 50.1235, "59036"),
]
OTHER = [
    Place("Arras", 2.7775, 50.2910, "62041"),
    Place("Amiens", 2.2957, 49.8941, "80021"),
    Place("Strasbourg", 7.7521, 48.5734, "67482"),
    Place("Grenoble", 5.7245, 45.1885, "38185"),
    Place("Lyon", 4.8357, 45.7640, "69123"),
    Place("Bordeaux", -0.5792, 44.8378, "33063"),
    Place("Ypres (Ieper)", 2.8850, 50.8514, "B8800"),
]
REUNION = [
    Place("Saint-Denis", 55.4504, -20.8823, "97411"),
    Place("Saint-Pierre", 55.4781, -21.3393, "97416"),
    Place("Saint-Paul", 55.2700, -21.0096, "97415"),
    Place("Cilaos", 55.4719, -21.1353, "97424"),
]

TITLES: dict[str, list[str]] = {
    Kind.MARQUEUR: [
        "Beffroi de {v}",
        "Église Saint-Martin de {v}",
        "Courée de la rue du Moulin, {v}",
        "Ancienne filature de {v}",
        "Maison de maître, boulevard de la Liberté, {v}",
        "Moulin à vent de {v}",
        "Jardins ouvriers de {v}",
        "Estaminet de la place, {v}",
    ],
    Kind.PROJET: [
        "Requalification du centre-bourg de {v}",
        "Reconversion de la friche textile de {v}",
        "Voie verte de la vallée, {v}",
        "Renaturation de la place de la mairie, {v}",
        "Écoquartier des Rives, {v}",
    ],
    Kind.REALISATION: [
        "Médiathèque de {v}",
        "Groupe scolaire Jean-Jaurès, {v}",
        "Réhabilitation de la halle de {v}",
        "Logements sociaux en brique, {v}",
        "Parc urbain des Berges, {v}",
    ],
    Kind.ACTION: [
        "Balade urbaine à {v}",
        "Atelier participatif « Ma place demain » à {v}",
        "Chantier jeunes de {v}",
        "Exposition « Regards sur {v} »",
    ],
    Kind.ARTICLE: [
        "Habiter les courées de {v} aujourd'hui",
        "Le renouveau des centres anciens : {v}",
    ],
    Kind.PUBLICATION: ["Guide des clôtures et haies bocagères", "Cahier de recommandations de {v}"],
    Kind.PHOTO: ["Vue aérienne de {v}", "Façades de la grand-place de {v}"],
    Kind.DONNEE_GEO: ["Inventaire des arbres remarquables de {v}", "Cadastre des friches de {v}"],
    Kind.SITE_WEB: ["Site du patrimoine de {v}", "Portail des paysages du Nord"],
    Kind.VIDEO: ["Reportage : la reconversion des friches de {v}", "Film « Habiter {v} »"],
    Kind.OUTIL: [
        "Mallette pédagogique « Lire le paysage »",
        "Jeu de cartes « Construire durable »",
    ],
    Kind.VIE_ASSOCIATION: ["Assemblée générale du CAUE à {v}", "Conseil d'administration à {v}"],
    Kind.CONSEIL_COLLECTIVITES: [
        "Conseil à la commune de {v} : aménagement de la place",
        "Accompagnement de {v} pour son PLU",
    ],
    Kind.CONSEIL_PARTICULIERS: [
        "Permanence conseil architecture à {v}",
        "Conseils rénovation énergétique à {v}",
    ],
    Kind.FORMATION: [
        "Formation des élus à {v} : sobriété foncière",
        "Journée technique « Bâtir en terre crue » à {v}",
    ],
    Kind.SENSIBILISATION: ["Intervention au collège de {v}", "Rallye patrimoine des écoles de {v}"],
    Kind.EDITION: ["Plaquette « Construire en brique » ({v})", "Exposition itinérante à {v}"],
}
THEMES = [
    "patrimoine",
    "paysage",
    "mobilité",
    "centres-bourgs",
    "transition écologique",
    "habitat",
    "espace public",
    "biodiversité",
]
LINE_KINDS = {Kind.PROJET, Kind.ACTION}
POLYGON_KINDS = {Kind.REALISATION, Kind.PROJET, Kind.DONNEE_GEO}


def _geometry(rng: random.Random, kind: str, place: Place):
    lon = place.lon + rng.uniform(-0.03, 0.03)
    lat = place.lat + rng.uniform(-0.02, 0.02)
    roll = rng.random()
    if kind in LINE_KINDS and roll < 0.25:
        coords = [(lon + i * 0.004, lat + rng.uniform(-0.002, 0.002)) for i in range(4)]
        return LineString(coords, srid=4326)
    if kind in POLYGON_KINDS and roll > 0.75:
        d = rng.uniform(0.001, 0.004)
        ring = [(lon, lat), (lon + d, lat), (lon + d, lat + d), (lon, lat + d), (lon, lat)]
        return Polygon(ring, srid=4326)
    if kind in KINDS_OF_BASE[Base.MEDIATHEQUE] and roll < 0.3:
        return None
    return Point(lon, lat, srid=4326)


def _attributes(rng: random.Random, kind: str, place: Place) -> dict:
    by_kind: dict[str, dict] = {
        Kind.MARQUEUR: {
            "commune_insee": place.insee,
            "epoque": rng.choice(["XVIIe", "XIXe", "XXe"]),
        },
        Kind.PROJET: {
            "maitre_ouvrage": f"Commune de {place.name}",
            "etat": rng.choice(["etude", "concertation", "chantier"]),
        },
        Kind.REALISATION: {
            "architecte": rng.choice(["Atelier Brique", "Agence Beffroi", "Collectif Terrils"]),
            "annee_livraison": rng.randint(1995, 2025),
        },
        Kind.ACTION: {"porteur": rng.choice(["Association des habitants", "Centre social"])},
        Kind.FORMATION: {"participants": rng.randint(8, 40), "duree_heures": 7},
        Kind.SENSIBILISATION: {"participants": rng.randint(20, 120)},
    }
    attrs = dict(by_kind.get(kind, {}))
    if kind in KINDS_OF_BASE[Base.OBSERVATOIRE] and place.insee[0].isdigit():
        attrs["commune_insee"] = place.insee
    return attrs


GROUPS = [
    # slug, name, family, join mode, animateur username, places, resource count
    (
        "demo-nord",
        "Observatoire participatif du Nord",
        Group.Family.PROJET,
        Group.JoinMode.DEMANDE,
        "anim",
        NORD,
        190,
    ),
    (
        "patrimoine-paysages",
        "Patrimoine et paysages",
        Group.Family.THEME,
        Group.JoinMode.LIBRE,
        "anim2",
        NORD + OTHER,
        60,
    ),
    (
        "centres-bourgs",
        "Centres-bourgs en transition",
        Group.Family.THEME,
        Group.JoinMode.DEMANDE,
        "anim2",
        OTHER,
        30,
    ),
    (
        "flandres-transfrontalier",
        "Partenariat transfrontalier des Flandres",
        Group.Family.ACTEUR,
        Group.JoinMode.INVITATION,
        "anim",
        NORD[:3] + OTHER[-1:],
        20,
    ),
    (
        "atlas-reunion",
        "Atlas des paysages de La Réunion",
        Group.Family.PROJET,
        Group.JoinMode.LIBRE,
        "reunion",
        REUNION,
        30,
    ),
]
ACCOUNTS = ["admin", "anim", "expert", "contrib", "lecteur", "visiteur", "anim2", "reunion"]
DEMO_NORD_ROLES = {"expert": Role.EXPERT, "contrib": Role.CONTRIBUTEUR, "lecteur": Role.LECTEUR}


def _account(username: str, password: str) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "email": f"{username}@demo.spass.invalid",
            "is_staff": username == "admin",
            "is_superuser": username == "admin",
        },
    )
    if created:
        user.set_password(password)
        user.save()
    return user


def _add_member(group: Group, user: User, role: str) -> None:
    Membership.objects.update_or_create(
        user=user,
        group=group,
        defaults={"role": role, "state": Membership.State.ACTIVE},
    )


def is_loaded() -> bool:
    return Resource.objects.filter(source=DEMO_SOURCE).exists()


@transaction.atomic
def load_demo(seed: int = 2011) -> int:
    """Create the demo groups, accounts and resources; returns the number of resources made
    (nobody is notified of them: :func:`workgroups.events.quiet`)."""
    if is_loaded():
        return 0
    with events.quiet():
        return _load(random.Random(seed))


def _load(rng: random.Random) -> int:
    password = settings.SPASS["DEMO_PASSWORD"]
    users = {name: _account(name, password) for name in ACCOUNTS}
    count = 0
    for slug, name, family, join_mode, animateur, places, n in GROUPS:
        group = Group.objects.filter(slug=slug).first() or group_services.create_group(
            users[animateur],
            slug=slug,
            name=name,
            family=family,
            join_mode=join_mode,
            description=f"Groupe de démonstration : {name.lower()}.",
        )
        if slug == "demo-nord":
            for username, role in DEMO_NORD_ROLES.items():
                _add_member(group, users[username], role)
            authors = [users["contrib"], users["anim"], users["expert"]]
        else:
            authors = [users[animateur]]
        for _i in range(n):
            count += 1
            _demo_resource(
                rng, group, rng.choice(authors), rng.choice(places), users[animateur], count
            )
    return count


def _demo_resource(
    rng: random.Random, group: Group, author: User, place: Place, animateur: User, number: int
) -> Resource:
    base = rng.choice(list(KINDS_OF_BASE))
    kind = rng.choice(KINDS_OF_BASE[base])
    start = date(2015, 1, 1) + timedelta(days=rng.randint(0, 4000))
    resource = services.create_resource(
        author,
        group,
        title=rng.choice(TITLES[kind]).format(v=place.name),
        summary=f"{Kind(kind).label} à {place.name}, documenté par le groupe {group.name}.",
        description=f"Fiche de démonstration n° {number}. Lieu : {place.name}.",
        base=base,
        kind=kind,
        themes=rng.sample(THEMES, k=rng.randint(1, 3)),
        date_start=start,
        date_end=start + timedelta(days=rng.randint(0, 400)) if rng.random() < 0.4 else None,
        geom=_geometry(rng, kind, place),
        attributes=_attributes(rng, kind, place),
    )
    level = rng.choice(Level.values)
    if level != Level.UTILISATEUR:
        services.share(author, resource, level)
        if resource.validated_at is None and level != Level.GROUPE and rng.random() < 0.7:
            services.validate(animateur, resource)
    Resource.objects.filter(pk=resource.pk).update(source=DEMO_SOURCE, source_id=f"demo-{number}")
    return resource
