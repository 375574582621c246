"""The experiences as a collection of the OGC API (``acteurs-experiences``), declared to
``ogc`` through :func:`workgroups.hooks.contribute_feature_collection`: ``ogc`` loads the
provider by its dotted path, as pygeoapi loads any plugin, and never imports this app."""

from workgroups.hooks import FeatureCollection

COLLECTION_ID = "acteurs-experiences"

COLLECTION = FeatureCollection(
    id=COLLECTION_ID,
    title={"fr": "Acteurs : expériences", "en": "Actors: experiences"},
    description={
        "fr": "Les expériences des profils acteurs (client, années, lieu), selon les droits "
        "de la personne qui interroge.",
        "en": "Experiences of the actors' profiles (client, years, place), as the requesting "
        "person may see them.",
    },
    keywords={"fr": ["acteurs", "expériences"], "en": ["actors", "experiences"]},
    provider="actors.features.ExperienceProvider",
)
