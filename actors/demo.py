"""Demo profiles (``load_demo_actors``, after ``load_demo``): a CAUE, a landscape firm and a
participation consultancy modelled on the « Profil Acteur » page of the old platform (seed
004); names, people and details are invented. Written through the services, like any profile;
loading again changes nothing."""

from __future__ import annotations

from django.contrib.gis.geos import Point
from django.db import transaction

from workgroups.models import Group, User

from . import services
from .models import ContactChoice, Context, Credit, Kind, Profile, Role, Visibility
from .services import ExperienceInput, ProfileInput

CAUE = ProfileInput(
    fields={
        "name": "CAUE du Nord",
        "kind": Kind.CAUE,
        "summary": "Conseil d'architecture, d'urbanisme et de l'environnement du Nord : "
        "conseil aux collectivités et aux particuliers, sensibilisation, formation.",
        "services": "## Ce que nous proposons\n\n"
        "- **Conseil aux collectivités** : programmation d'équipements, espaces publics, "
        "revitalisation des centres-bourgs.\n"
        "- **Conseil aux particuliers** : permanences d'architectes conseillers.\n"
        "- **Sensibilisation** : balades urbaines, ateliers avec les écoles, expositions.\n"
        "- **Formation** des élus et des techniciens.",
        "about": "Association investie d'une mission d'intérêt public (loi du 3 janvier 1977), "
        "le CAUE du Nord a initié la plateforme S-PASS Territoires en 2011.",
        "clients": "Commune de Bailleul; Communauté de communes de Flandre intérieure; "
        "Ville de Fourmies; Département du Nord",
        "contexts": [Context.ARCHITECTURE, Context.URBANISME, Context.PAYSAGE, Context.PATRIMOINE],
        "email": "contact@caue-nord.example",
        "phone": "03 20 00 00 00",
        "website": "https://caue-nord.example",
        "address": "1 rue de l'Exemple, 59000 Lille",
        "contact_choice": ContactChoice.PUBLIC,
        "visibility": Visibility.PUBLIC,
    },
    territories="Nord (59)",
    group="demo-nord",
    experiences=[
        ExperienceInput(
            title="Revitalisation du centre-bourg de Bailleul",
            client="Commune de Bailleul",
            year_start=2022,
            year_end=2024,
            commune="Bailleul (59043)",
            text="Accompagnement de la commune : diagnostic partagé, ateliers avec les "
            "habitants, cahier de recommandations pour les façades de la Grand-Place.",
        ),
        ExperienceInput(
            title="Balades urbaines à Fourmies",
            client="Ville de Fourmies",
            year_start=2023,
            commune="Fourmies (59249)",
            text="Découverte du patrimoine textile avec les écoles de la ville.",
        ),
    ],
)

PAYSAGE = ProfileInput(
    fields={
        "name": "Atelier Lisières Paysage",
        "kind": Kind.PROFESSIONNEL,
        "summary": "Atelier de paysagistes concepteurs : espaces publics, trames vertes, "
        "plans de paysage.",
        "services": "Conception d'espaces publics et de jardins, **plans de paysage** "
        "intercommunaux, maîtrise d'œuvre de trames vertes et bleues.",
        "about": "Trois paysagistes DPLG installés à Arras depuis 2012.",
        "clients": "Ville d'Arras; Communauté urbaine d'Arras; Commune de Béthune",
        "contexts": [Context.PAYSAGE, Context.ENVIRONNEMENT, Context.URBANISME],
        "email": "atelier@lisieres-paysage.example",
        "phone": "03 21 00 00 00",
        "website": "https://lisieres-paysage.example",
        "siret": "73282932000074",
        "contact_choice": ContactChoice.COMPTES,
        "visibility": Visibility.PUBLIC,
    },
    territories="Pas-de-Calais (62) ; Lille (59350)",
    experiences=[
        ExperienceInput(
            title="Requalification des berges de la Scarpe",
            client="Ville d'Arras",
            year_start=2021,
            year_end=2023,
            place=Point(2.7605, 50.2925, srid=4326),
            place_name="Berges de la Scarpe, Arras",
            text="Maîtrise d'œuvre : cheminements, prairies humides, belvédères.",
        ),
        ExperienceInput(
            title="Plan de paysage du Béthunois",
            client="Commune de Béthune",
            year_start=2024,
            commune="Béthune (62119)",
            text="Diagnostic paysager et programme d'actions avec les élus.",
        ),
    ],
)

PARTICIPATION = ProfileInput(
    fields={
        "name": "Collectif Traverses",
        "kind": Kind.PROFESSIONNEL,
        "summary": "Collectif de praticiens de la participation : stratégie, coproduction, "
        "formation.",
        "services": "Traverses accompagne de trois manières les territoires et les acteurs :\n\n"
        "- **Établir une stratégie de participation** : le pourquoi avant le comment ; "
        "nous analysons le contexte du projet avant de choisir outils et méthodes.\n"
        "- **Coproduction** : innover seulement s'il faut innover ; animation, facilitation, "
        "gestion des conflits, cartographie participative.\n"
        "- **Formation** : apprendre à faire ensemble, modules à la carte pour les élus, "
        "les techniciens et les acteurs locaux.",
        "about": "Un collectif de quatre consultants expérimentés en conception, animation et "
        "évaluation de démarches participatives, réunis par une exigence de qualité, de sens "
        "et de sincérité dans les projets qu'ils accompagnent.",
        "clients": "Métropole du Littoral (exemple); Parc naturel de l'Avesnois (exemple); "
        "Ville de Roubaix; Département du Pas-de-Calais",
        "contexts": [Context.PARTICIPATION, Context.URBANISME],
        "email": "bonjour@traverses.example",
        "website": "https://traverses.example",
        "contact_choice": ContactChoice.COMPTES,
        "visibility": Visibility.PUBLIC,
    },
    territories="Nord (59) ; Pas-de-Calais (62)",
    experiences=[
        ExperienceInput(
            title="Stratégie de participation métropolitaine",
            client="Métropole du Littoral (exemple)",
            year_start=2022,
            year_end=2023,
            commune="Dunkerque (59183)",
            text="Audit des pratiques communales, séminaire immersif de trois jours avec "
            "élus et services, plan d'actions pluriannuel.",
        ),
        ExperienceInput(
            title="Concertation sur la place de la Grand-Rue",
            client="Ville de Roubaix",
            year_start=2024,
            commune="Roubaix (59512)",
            text="Ateliers de programmation des espaces publics avec les habitants et les "
            "commerçants.",
        ),
        ExperienceInput(
            title="Trait de côte : relocalisation des usages",
            client="Département du Pas-de-Calais",
            year_start=2021,
            place=Point(1.5876, 50.5267, srid=4326),
            place_name="Littoral d'Équihen-Plage",
            text="Analyse de contexte auprès des habitants, ateliers pluralistes et "
            "cartographie participative, plan guide de principe.",
        ),
    ],
)


@transaction.atomic
def load_demo_actors() -> int:
    """Create the three demo profiles that do not exist yet; returns how many were made."""
    anim = User.objects.filter(username="anim").first()
    contrib = User.objects.filter(username="contrib").first()
    if anim is None or contrib is None:
        return 0
    made = 0
    for data, author in ((CAUE, anim), (PAYSAGE, contrib), (PARTICIPATION, contrib)):
        if Profile.objects.filter(name=data.fields["name"]).exists():
            continue
        if data.group and not Group.objects.filter(slug=data.group).exists():
            data.group = ""
        services.create_profile(author, data)
        made += 1
    _credit_demo_resource(anim)
    return made


def _credit_demo_resource(anim: User) -> None:
    """The CAUE credited on one public resource of demo-nord (shown on both pages)."""
    from observatoire.models import Resource
    from workgroups.roles import Level

    resource = (
        Resource.objects.filter(group__slug="demo-nord", level=Level.PUBLIC)
        .exclude(validated_at=None)
        .order_by("id")
        .first()
    )
    caue = Profile.objects.filter(name="CAUE du Nord").first()
    if resource is None or caue is None:
        return
    if not Credit.objects.filter(resource=resource, profile=caue).exists():
        services.add_credit(anim, resource, caue.slug, Role.ACCOMPAGNEMENT)
