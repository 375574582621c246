"""OpenAPI description of the resource Feature: properties nested under ``properties``, any
GeoJSON geometry type, and a null geometry (médiathèque items without a place)."""

from typing import Any

from drf_spectacular.contrib.rest_framework_gis import GeoFeatureModelSerializerExtension

GEOMETRY_TYPES = [
    "Point",
    "LineString",
    "Polygon",
    "MultiPoint",
    "MultiLineString",
    "MultiPolygon",
    "GeometryCollection",
]

GEOMETRY_SCHEMA = {
    "type": "object",
    "nullable": True,
    "description": "Géométrie GeoJSON en longitude/latitude (EPSG:4326).",
    "required": ["type"],
    "properties": {
        "type": {"type": "string", "enum": GEOMETRY_TYPES},
        "coordinates": {"type": "array", "items": {}},
        "geometries": {"type": "array", "items": {"type": "object"}},
    },
}


class ResourceFeatureExtension(GeoFeatureModelSerializerExtension):
    target_class = "observatoire.api.serializers.ResourceSerializer"
    priority = 1

    def map_geo_feature_model_serializer(self, serializer, base_schema) -> dict[str, Any]:
        properties = base_schema["properties"]
        identifier = properties.pop("id", None)
        properties.pop("geom", None)
        base_schema.pop("description", None)
        required = [n for n in base_schema.pop("required", []) if n not in ("id", "geom")]
        if required:
            base_schema["required"] = required
        feature: dict[str, Any] = {
            "type": "object",
            "properties": {
                "type": {"type": "string", "enum": ["Feature"]},
                "geometry": GEOMETRY_SCHEMA,
                "properties": base_schema,
            },
            "required": ["properties"],
        }
        if identifier is not None:
            feature["properties"]["id"] = identifier
            feature["required"] = ["type", "id", "geometry", "properties"]
        return feature
