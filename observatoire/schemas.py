"""Per-kind attributes: one JSON Schema per kind.

The same definition validates the ``attributes`` JSON field, builds forms and declares OGC API
queryables. No attribute is required (a resource needs only a title, base, kind, group and,
outside the médiathèque, a place); attributes that are given must have the right type.
Unknown attributes are kept (importers store unmapped columns there).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator

from .kinds import Kind

_YEAR = {"type": "integer", "minimum": 800, "maximum": 2100}


def _text(title: str, **extra: Any) -> dict[str, Any]:
    return {"type": "string", "title": title, "maxLength": 500, **extra}


def _url(title: str) -> dict[str, Any]:
    return {"type": "string", "title": title, "format": "uri", "pattern": "^https?://"}


def _schema(**properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": properties,
    }


_OBS_COMMON = {"commune_insee": _text("Code INSEE de la commune", pattern="^[0-9AB]{5}$")}

#: Every mission of the Activité base: who with, how long, whom it reached, and — when it
#: concerns a whole commune, EPCI or département rather than its place — that territory
#: (its communes are then the mission's, observatoire.territories).
_MISSION = {
    "partenaires": _text("Partenaires"),
    "temps_passe_heures": {"type": "number", "title": "Temps passé (heures)", "minimum": 0},
    "public_atteint": {"type": "integer", "title": "Public atteint (personnes)", "minimum": 0},
    "territoire": _text(
        "Territoire concerné (commune, EPCI ou département entier)",
        pattern="^([0-9]{2}|2[AB]|97[1-6]|[0-9][0-9AB][0-9]{3}|[0-9]{9})$",
    ),
}
#: Attribute names of a mission that name a territory code (the forms suggest by name).
TERRITORY_ATTRIBUTES = frozenset({"territoire", "commune_insee"})

KIND_SCHEMAS: dict[str, dict[str, Any]] = {
    Kind.MARQUEUR: _schema(
        **_OBS_COMMON,
        epoque=_text("Époque"),
        protection=_text(
            "Protection",
            enum=["aucune", "inscrit", "classe", "inscrit_partiel", "classe_partiel", "label"],
        ),
    ),
    Kind.PROJET: _schema(
        **_OBS_COMMON,
        maitre_ouvrage=_text("Maître d'ouvrage"),
        etat=_text("État d'avancement", enum=["etude", "concertation", "chantier", "livre"]),
        budget_euros={"type": "number", "title": "Budget (€)", "minimum": 0},
    ),
    Kind.REALISATION: _schema(
        **_OBS_COMMON,
        architecte=_text("Architecte ou concepteur"),
        maitre_ouvrage=_text("Maître d'ouvrage"),
        annee_livraison={**_YEAR, "title": "Année de livraison"},
        programme=_text("Programme"),
    ),
    Kind.ACTION: _schema(
        **_OBS_COMMON, porteur=_text("Porteur de l'action"), public_cible=_text("Public visé")
    ),
    Kind.ARTICLE: _schema(auteur=_text("Auteur"), url=_url("Adresse de l'article")),
    Kind.PUBLICATION: _schema(
        auteurs=_text("Auteurs"),
        editeur=_text("Éditeur"),
        annee={**_YEAR, "title": "Année"},
        isbn=_text("ISBN", pattern="^[0-9Xx-]{10,17}$"),
    ),
    Kind.PHOTO: _schema(
        photographe=_text("Photographe"),
        licence=_text("Licence", enum=["cc-by", "cc-by-sa", "cc0", "droits-reserves"]),
    ),
    Kind.DONNEE_GEO: _schema(
        producteur=_text("Producteur"), format=_text("Format"), url=_url("Adresse des données")
    ),
    Kind.SITE_WEB: _schema(url=_url("Adresse du site")),
    Kind.VIDEO: _schema(
        url=_url("Adresse de la vidéo"),
        duree_minutes={"type": "number", "title": "Durée (minutes)", "minimum": 0},
    ),
    Kind.OUTIL: _schema(public_cible=_text("Public visé"), format=_text("Format")),
    Kind.VIE_ASSOCIATION: _schema(**_MISSION, instance=_text("Instance ou partenariat")),
    Kind.CONSEIL_COLLECTIVITES: _schema(
        **_MISSION,
        collectivite=_text("Collectivité conseillée"),
        duree_jours={"type": "number", "title": "Durée (jours)", "minimum": 0},
    ),
    Kind.CONSEIL_PARTICULIERS: _schema(
        **_MISSION, nombre_conseils={"type": "integer", "title": "Nombre de conseils", "minimum": 0}
    ),
    Kind.FORMATION: _schema(
        **_MISSION,
        public_cible=_text("Public formé"),
        participants={"type": "integer", "title": "Participants", "minimum": 0},
        duree_heures={"type": "number", "title": "Durée (heures)", "minimum": 0},
    ),
    Kind.SENSIBILISATION: _schema(
        **_MISSION,
        public_cible=_text("Public visé"),
        participants={"type": "integer", "title": "Participants", "minimum": 0},
    ),
    Kind.EDITION: _schema(
        **_MISSION,
        support=_text("Support", enum=["guide", "plaquette", "exposition", "ouvrage", "film"]),
        tirage={"type": "integer", "title": "Tirage", "minimum": 0},
    ),
}

_TYPE_NAMES = {
    "string": "un texte",
    "integer": "un nombre entier",
    "number": "un nombre",
    "boolean": "vrai ou faux",
    "object": "un objet",
    "array": "une liste",
}


def _french_message(error: Any) -> str:
    title = error.schema.get("title", "")
    if error.validator == "type":
        return _("doit être %(type)s") % {"type": _TYPE_NAMES.get(error.validator_value, "")}
    if error.validator == "enum":
        return _("« %(value)s » n'est pas une valeur possible (%(choices)s)") % {
            "value": error.instance,
            "choices": ", ".join(map(str, error.validator_value)),
        }
    if error.validator in ("minimum", "maximum"):
        word = _("au moins") if error.validator == "minimum" else _("au plus")
        return _("%(title)s doit valoir %(word)s %(limit)s") % {
            "title": title,
            "word": word,
            "limit": error.validator_value,
        }
    if error.validator == "maxLength":
        return _("ne doit pas dépasser %(n)s caractères") % {"n": error.validator_value}
    if error.validator == "pattern":
        return _("%(title)s n'a pas le bon format") % {"title": title or _("la valeur")}
    return _("valeur invalide")


def attribute_errors(kind: str, attributes: Any) -> dict[str, str]:
    """French messages keyed by attribute name (``""`` for the object itself); empty when valid."""
    if not isinstance(attributes, dict):
        return {"": _("Les attributs doivent être un objet JSON (clé : valeur).")}
    schema = KIND_SCHEMAS.get(kind)
    if schema is None:
        return {}
    return schema_errors(schema, attributes)


def schema_errors(schema: dict[str, Any], instance: Any) -> dict[str, str]:
    """French messages keyed by the top-level property they concern (``""`` for the object
    itself) of ``instance`` checked against the JSON Schema ``schema``; empty when valid.
    The one wording of schema errors: kind attributes and the properties of a feature sent
    to the OGC API (``ogc.transactions``) alike."""
    errors: dict[str, str] = {}
    for error in Draft202012Validator(schema).iter_errors(instance):
        name = str(error.path[0]) if error.path else ""
        errors.setdefault(name, _french_message(error))
    return errors
