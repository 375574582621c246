"""The three bases and their kinds, each with a plain-language explanation."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Base(models.TextChoices):
    OBSERVATOIRE = "observatoire", _("Observatoire")
    MEDIATHEQUE = "mediatheque", _("Médiathèque")
    ACTIVITE = "activite", _("Activité")


class Kind(models.TextChoices):
    MARQUEUR = "marqueur", _("Marqueur")
    PROJET = "projet", _("Projet")
    REALISATION = "realisation", _("Réalisation")
    ACTION = "action", _("Action")
    ARTICLE = "article", _("Article")
    PUBLICATION = "publication", _("Publication")
    PHOTO = "photo", _("Photographie")
    DONNEE_GEO = "donnee_geo", _("Donnée géographique")
    SITE_WEB = "site_web", _("Site web")
    VIDEO = "video", _("Vidéo")
    OUTIL = "outil", _("Outil")
    VIE_ASSOCIATION = "vie_association", _("Vie de l'association")
    CONSEIL_COLLECTIVITES = "conseil_collectivites", _("Conseil aux collectivités")
    CONSEIL_PARTICULIERS = "conseil_particuliers", _("Conseil aux particuliers")
    FORMATION = "formation", _("Formation")
    SENSIBILISATION = "sensibilisation", _("Action de sensibilisation")
    EDITION = "edition", _("Édition")


KINDS_OF_BASE: dict[str, tuple[str, ...]] = {
    Base.OBSERVATOIRE: (Kind.MARQUEUR, Kind.PROJET, Kind.REALISATION, Kind.ACTION),
    Base.MEDIATHEQUE: (
        Kind.ARTICLE,
        Kind.PUBLICATION,
        Kind.PHOTO,
        Kind.DONNEE_GEO,
        Kind.SITE_WEB,
        Kind.VIDEO,
        Kind.OUTIL,
    ),
    Base.ACTIVITE: (
        Kind.VIE_ASSOCIATION,
        Kind.CONSEIL_COLLECTIVITES,
        Kind.CONSEIL_PARTICULIERS,
        Kind.FORMATION,
        Kind.SENSIBILISATION,
        Kind.EDITION,
    ),
}

BASE_OF_KIND: dict[str, str] = {k: b for b, kinds in KINDS_OF_BASE.items() for k in kinds}

#: Bases whose resources may have no place (a publication, a website).
BASES_WITHOUT_REQUIRED_GEOMETRY = frozenset({Base.MEDIATHEQUE})

BASE_HELP: dict[str, str] = {
    Base.OBSERVATOIRE: _(
        "Observatoire participatif du cadre de vie : ce qui fait l'identité et la "
        "trajectoire d'un territoire."
    ),
    Base.MEDIATHEQUE: _("Médiathèque : articles, publications, photos, données, vidéos, outils."),
    Base.ACTIVITE: _("Base d'activité des CAUE : suivre et rendre compte des missions."),
}

KIND_HELP: dict[str, str] = {
    Kind.MARQUEUR: _("Un élément qui forge l'identité d'un territoire (bâti, paysage, lieu)."),
    Kind.PROJET: _("Un projet en cours, une dynamique territoriale."),
    Kind.REALISATION: _("Une œuvre architecturale, urbaine ou paysagère réalisée."),
    Kind.ACTION: _("Une initiative portée par des acteurs ou des habitants."),
    Kind.ARTICLE: _("Un article, une actualité, un billet."),
    Kind.PUBLICATION: _("Un ouvrage, une étude, un travail d'étudiant."),
    Kind.PHOTO: _("Une photographie ou une série de photographies."),
    Kind.DONNEE_GEO: _("Un jeu de données géographiques."),
    Kind.SITE_WEB: _("Un site web utile."),
    Kind.VIDEO: _("Une vidéo."),
    Kind.OUTIL: _("Un outil de conseil, d'animation ou de découverte."),
    Kind.VIE_ASSOCIATION: _("La vie de l'association : instances, partenariats."),
    Kind.CONSEIL_COLLECTIVITES: _("Un conseil apporté à une collectivité."),
    Kind.CONSEIL_PARTICULIERS: _("Un conseil apporté à un particulier."),
    Kind.FORMATION: _("Une formation donnée ou suivie."),
    Kind.SENSIBILISATION: _("Une action de sensibilisation du public ou des scolaires."),
    Kind.EDITION: _("Une édition : guide, plaquette, exposition."),
}
