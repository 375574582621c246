"""Collections that apps above the channels contribute (:func:`workgroups.hooks.
contribute_feature_collection`), beside the resources' registry of ``observatoire.catalogue``.

``ogc`` knows them only by what the hook declares: titles and the dotted path of a pygeoapi
provider, loaded here with ``import_string`` as pygeoapi loads its plugins, so no channel
imports the app that owns the data (the arrows of ``tests/test_arrows.py``)."""

from __future__ import annotations

from typing import Any

from django.utils.module_loading import import_string

from observatoire.catalogue import COLLECTIONS, CollectionExtent
from observatoire.fields import Field
from workgroups.hooks import FeatureCollection, feature_collections


def extra(collection_id: str | None) -> FeatureCollection | None:
    """The contributed collection of that id (None for the resources' ones and unknown ids)."""
    if collection_id is None or collection_id in COLLECTIONS:
        return None
    return feature_collections().get(collection_id)


def known(collection_id: str) -> bool:
    return collection_id in COLLECTIONS or extra(collection_id) is not None


def title_of(collection_id: str) -> dict[str, str]:
    found = extra(collection_id)
    return found.title if found is not None else COLLECTIONS[collection_id].title


def provider(collection_id: str, provider_def: dict[str, Any], user: Any) -> Any:
    """The contributed collection's provider for ``user``."""
    found = extra(collection_id)
    assert found is not None
    return import_string(found.provider)(provider_def, user=user)


def fields(api: Any, collection_id: str) -> dict[str, Field]:
    provider_def = api.config["resources"][collection_id]["providers"][0]
    return provider(collection_id, provider_def, None).field_defs


def extents(api: Any, user: Any, only: str | None) -> dict[str, CollectionExtent]:
    """The extents of the contributed collections (or ``only`` one), from what ``user`` sees."""
    result = {}
    for cid in feature_collections():
        if (only is not None and cid != only) or extra(cid) is None:
            continue
        provider_def = api.config["resources"][cid]["providers"][0]
        bbox, begin, end = provider(cid, provider_def, user).extent()
        result[cid] = CollectionExtent(bbox=bbox, begin=begin, end=end)
    return result
