"""News items as JSON, events as GeoJSON Features (their place is the geometry). Serializers
only translate; rights and rules are in :mod:`actualites.services`."""

from __future__ import annotations

from typing import Any

from django.contrib.gis.geos import Point
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from observatoire.api.serializers import GeoJSONGeometryField
from workgroups.roles import Level

from ..models import Event, NewsItem

#: The sharing fields every shared thing shows, as resources do.
SHARING_FIELDS = ("group", "level", "author", "validated", "validated_at", "validated_by")


class _Sharing(serializers.Serializer):
    group = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    level = serializers.ChoiceField(choices=Level.choices, required=False)
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)
    validated = serializers.BooleanField(source="is_validated", read_only=True)
    validated_at = serializers.DateTimeField(read_only=True)
    validated_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    created = serializers.DateTimeField(source="created_at", read_only=True)
    updated = serializers.DateTimeField(source="updated_at", read_only=True)


def _refuse_unknown(serializer: serializers.Serializer, data: dict, extra=()) -> None:
    unknown = sorted(set(data) - set(serializer.fields) - set(extra))
    if unknown:
        raise serializers.ValidationError({name: [_("Propriété inconnue.")] for name in unknown})


class NewsItemSerializer(_Sharing, serializers.ModelSerializer):
    html = serializers.CharField(read_only=True)

    class Meta:
        model = NewsItem
        fields = (
            "id",
            "title",
            "body",
            "html",
            "published_at",
            *SHARING_FIELDS,
            "created",
            "updated",
        )
        read_only_fields = ("id",)
        extra_kwargs = {"published_at": {"required": False}}

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise serializers.ValidationError({"non_field_errors": [_("Objet JSON attendu.")]})
        _refuse_unknown(self, data)
        return super().to_internal_value(data)


class PointField(GeoJSONGeometryField):
    def to_internal_value(self, value: Any):
        geom = super().to_internal_value(value)
        if geom is not None and not isinstance(geom, Point):
            raise serializers.ValidationError(_("Le lieu est un point (GeoJSON « Point »)."))
        return geom


class EventSerializer(_Sharing, GeoFeatureModelSerializer):
    """An event as a GeoJSON Feature; its geometry is its place (or null)."""

    place = PointField(required=False, allow_null=True)
    html = serializers.CharField(read_only=True)

    class Meta:
        model = Event
        geo_field = "place"
        id_field = "id"
        fields = (
            "id",
            "place",
            "title",
            "description",
            "html",
            "start",
            "end",
            "place_name",
            "registration_url",
            *SHARING_FIELDS,
            "created",
            "updated",
        )
        read_only_fields = ("id",)

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        """Accept a GeoJSON Feature; refuse unknown properties (a typo must not be lost)."""
        if not isinstance(data, dict) or not isinstance(data.get("properties", {}), dict):
            raise serializers.ValidationError(
                {"non_field_errors": [_("Objet GeoJSON Feature attendu (avec « properties »).")]}
            )
        properties = dict(data.get("properties", {}))
        _refuse_unknown(self, properties, extra={"geometry"})
        if "geometry" in data:
            properties["place"] = data["geometry"]
        try:
            return super(GeoFeatureModelSerializer, self).to_internal_value(properties)
        except serializers.ValidationError as exc:
            if isinstance(exc.detail, dict) and "place" in exc.detail:
                exc.detail["geometry"] = exc.detail.pop("place")
            raise
