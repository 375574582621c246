"""pygeoapi's configuration, built in code from the registry, and its API object.

The API object is built once per public base URL (links must carry the host the client
used) and reused by every request.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

from django.conf import settings
from pygeoapi.api import API

from observatoire.catalogue import COLLECTIONS, WORLD_BBOX
from workgroups.hooks import feature_collections

from . import crs as crs_mod
from .openapi import build_openapi
from .params import DEFAULT_LIMIT, MAX_LIMIT

TITLE = {
    "fr": "S-PASS Territoires — OGC API Features",
    "en": "S-PASS Territoires — OGC API Features",
}
DESCRIPTION = {
    "fr": "Les ressources partagées des CAUE (observatoire, médiathèque, activité), "
    "selon les droits de la personne qui interroge.",
    "en": "Shared resources of the CAUE network (observatory, media library, activity), "
    "as the requesting person may see them.",
}


def pygeoapi_config(base_url: str) -> dict[str, Any]:
    """The whole pygeoapi configuration: server, metadata and one resource per collection."""
    spass = settings.SPASS
    resources = {}
    for cid, collection in COLLECTIONS.items():
        resources[cid] = {
            "type": "collection",
            "title": collection.title,
            "description": collection.description,
            "keywords": collection.keywords,
            # the real extents depend on who asks: views replace these in JSON answers
            "extents": {"spatial": {"bbox": WORLD_BBOX, "crs": crs_mod.CRS84}},
            "providers": [
                {
                    "type": "feature",
                    "name": "ogc.provider.ResourceProvider",
                    "data": cid,
                    "id_field": "id",
                    "title_field": "title",
                    "time_field": "date_start",
                    "crs": list(crs_mod.SUPPORTED),
                    "storage_crs": crs_mod.CRS84,
                }
            ],
        }
    for cid, contributed in feature_collections().items():
        if cid in COLLECTIONS:
            continue
        resources[cid] = {
            "type": "collection",
            "title": contributed.title,
            "description": contributed.description,
            "keywords": contributed.keywords,
            "extents": {"spatial": {"bbox": WORLD_BBOX, "crs": crs_mod.CRS84}},
            "providers": [
                {
                    "type": "feature",
                    "name": contributed.provider,
                    "data": cid,
                    "id_field": "id",
                    "title_field": "title",
                    "crs": list(crs_mod.SUPPORTED),
                    "storage_crs": crs_mod.CRS84,
                }
            ],
        }
    return {
        "server": {
            "bind": {"host": "127.0.0.1", "port": 0},
            "url": base_url,
            "mimetype": "application/json; charset=UTF-8",
            "encoding": "utf-8",
            "languages": ["fr", "en"],
            "limits": {"default_items": DEFAULT_LIMIT, "max_items": MAX_LIMIT},
            "pretty_print": False,
            "map": {
                "url": spass["OGC_MAP_URL"],
                "attribution": "© OpenStreetMap",
            },
        },
        "logging": {"level": "ERROR"},
        "metadata": {
            "identification": {
                "title": TITLE,
                "description": DESCRIPTION,
                "keywords": {
                    "fr": ["CAUE", "observatoire", "paysage"],
                    "en": ["CAUE", "observatory", "landscape"],
                },
                "keywords_type": "theme",
                "terms_of_service": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
                "url": base_url,
            },
            "license": {
                "name": "Licence Ouverte 2.0",
                "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
            },
            "provider": {"name": "S-PASS Territoires", "url": base_url},
            "contact": {
                "name": "S-PASS Territoires",
                "position": "",
                "address": "",
                "city": "",
                "stateorprovince": "",
                "postalcode": "",
                "country": "France",
                "email": spass["CONTACT_EMAIL"],
                "url": base_url,
                "role": "pointOfContact",
            },
        },
        "resources": resources,
    }


@lru_cache(maxsize=8)
def get_api(base_url: str) -> API:
    """pygeoapi's API object for this base URL, built on first use."""
    # pygeoapi warns on every translated dict whose keys are not locales (provider options)
    logging.getLogger("pygeoapi").setLevel(logging.ERROR)
    return API(pygeoapi_config(base_url), build_openapi(base_url, TITLE["fr"], DESCRIPTION["fr"]))
