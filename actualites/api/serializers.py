"""News items as JSON, events as GeoJSON Features (their place is the geometry). Serializers
only translate; rights and rules are in :mod:`actualites.services`."""

from __future__ import annotations

from typing import Any

from django.contrib.gis.geos import Point
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from observatoire.api.serializers import GeoJSONGeometryField
from workgroups.api.serializers import SHARING_FIELDS, SharingFields, StrictMixin, refuse_unknown

from ..models import Event, NewsItem


class NewsItemSerializer(StrictMixin, SharingFields, serializers.ModelSerializer):
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


class PointField(GeoJSONGeometryField):
    def to_internal_value(self, value: Any):
        geom = super().to_internal_value(value)
        if geom is not None and not isinstance(geom, Point):
            raise serializers.ValidationError(_("Le lieu est un point (GeoJSON « Point »)."))
        return geom


class EventSerializer(SharingFields, GeoFeatureModelSerializer):
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
        refuse_unknown(self, properties, extra={"geometry"})
        if "geometry" in data:
            properties["place"] = data["geometry"]
        try:
            return super(GeoFeatureModelSerializer, self).to_internal_value(properties)
        except serializers.ValidationError as exc:
            if isinstance(exc.detail, dict) and "place" in exc.detail:
                exc.detail["geometry"] = exc.detail.pop("place")
            raise
