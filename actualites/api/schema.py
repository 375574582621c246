"""OpenAPI description of the event Feature: the resources' Feature shape (properties nested
under ``properties``), whose geometry is the event's place, a Point or null."""

from typing import Any

from observatoire.api.schema import ResourceFeatureExtension


class EventFeatureExtension(ResourceFeatureExtension):
    target_class = "actualites.api.serializers.EventSerializer"
    priority = 1

    def map_geo_feature_model_serializer(self, serializer, base_schema) -> dict[str, Any]:
        base_schema["properties"].pop("place", None)
        if "required" in base_schema:
            base_schema["required"] = [n for n in base_schema["required"] if n != "place"]
        feature = super().map_geo_feature_model_serializer(serializer, base_schema)
        geometry = dict(feature["properties"]["geometry"])
        geometry["properties"] = {
            "type": {"type": "string", "enum": ["Point"]},
            "coordinates": {"type": "array", "items": {"type": "number"}},
        }
        geometry["description"] = "Lieu de la manifestation : un point (EPSG:4326), ou null."
        feature["properties"]["geometry"] = geometry
        return feature
