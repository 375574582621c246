"""GeoJSON Features in and out. Serializers only translate: rights and rules are in services."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework_gis.fields import GeometryField
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from workgroups.api.serializers import MyMembershipSerializer
from workgroups.models import Group
from workgroups.roles import Level

from ..models import Resource, Review

#: Properties a client may send; the others of a Feature are computed and ignored on input.
WRITABLE = (
    "title",
    "summary",
    "description",
    "base",
    "kind",
    "group",
    "level",
    "themes",
    "date_start",
    "date_end",
    "attributes",
)


class GeoJSONGeometryField(GeometryField):
    """A GeoJSON geometry object (EPSG:4326), with French messages. On reads, the GeoJSON
    text PostGIS built (``geom_geojson``, see the view) is used as is when present."""

    def get_attribute(self, instance: Resource) -> Any:
        prebuilt = getattr(instance, "geom_geojson", None)
        if prebuilt is not None:
            return json.loads(prebuilt)
        return super().get_attribute(instance)

    def to_internal_value(self, value: Any) -> GEOSGeometry | None:
        if value is None:
            return None
        if not isinstance(value, dict) or not isinstance(value.get("type"), str):
            raise serializers.ValidationError(_("Objet géométrie GeoJSON attendu."))
        try:
            geom = GEOSGeometry(json.dumps(value))
        except (GEOSException, GDALException, ValueError, TypeError) as exc:
            raise serializers.ValidationError(_("Géométrie GeoJSON illisible.")) from exc
        geom.srid = 4326
        return geom


class LinkIdsField(serializers.ListField):
    """Ids of the linked resources: written as a list, read from the links the view
    prefetched through ``visible_to(reader)`` (a hidden link is never listed)."""

    def get_attribute(self, instance: Resource) -> list[int]:
        return sorted(r.pk for r in instance.links.all())


class ResourceSerializer(GeoFeatureModelSerializer):
    """A resource as a GeoJSON Feature whose ``id`` is the resource id used everywhere."""

    geom = GeoJSONGeometryField(required=False, allow_null=True)
    group = serializers.SlugRelatedField(slug_field="slug", queryset=Group.objects.all())
    level = serializers.ChoiceField(choices=Level.choices, required=False)
    themes = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, max_length=50
    )
    attributes = serializers.DictField(required=False)
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)
    validated = serializers.BooleanField(source="is_validated", read_only=True)
    validated_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    checked_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    created = serializers.DateTimeField(source="created_at", read_only=True)
    communes = serializers.ListField(child=serializers.CharField(), read_only=True)
    epcis = serializers.ListField(child=serializers.CharField(), read_only=True)
    departements = serializers.ListField(child=serializers.CharField(), read_only=True)
    regions = serializers.ListField(child=serializers.CharField(), read_only=True)
    links = LinkIdsField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        max_length=500,
        help_text="Ressources de l'Observatoire ou de la Médiathèque liées (activités).",
    )
    linked_from = serializers.SerializerMethodField(
        help_text="Activités liées à cette ressource (visibles par vous)."
    )
    updated = serializers.DateTimeField(source="updated_at", read_only=True)

    class Meta:
        model = Resource
        geo_field = "geom"
        id_field = "id"
        fields = (
            "id",
            "geom",
            *WRITABLE,
            "links",
            "author",
            "validated",
            "validated_at",
            "validated_by",
            "checked_at",
            "checked_by",
            "created",
            "updated",
            "communes",
            "epcis",
            "departements",
            "regions",
            "linked_from",
        )
        read_only_fields = ("id", "validated_at", "checked_at")

    def get_linked_from(self, instance: Resource) -> list[int]:
        return sorted(r.pk for r in instance.linked_from.all())

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        """Accept a GeoJSON Feature; refuse unknown properties (a typo must not be lost)."""
        if not isinstance(data, dict) or not isinstance(data.get("properties", {}), dict):
            raise serializers.ValidationError(
                {"non_field_errors": [_("Objet GeoJSON Feature attendu (avec « properties »).")]}
            )
        properties = dict(data.get("properties", {}))
        unknown = sorted(set(properties) - set(self.fields) - {"geometry"})
        if unknown:
            message = _("Propriété inconnue.")
            raise serializers.ValidationError({name: [message] for name in unknown})
        if "geometry" in data:
            properties["geom"] = data["geometry"]
        try:
            internal = super(GeoFeatureModelSerializer, self).to_internal_value(properties)
        except serializers.ValidationError as exc:
            detail = exc.detail
            if isinstance(detail, dict) and "geom" in detail:
                detail["geometry"] = detail.pop("geom")
            raise
        if "\\u0000" in json.dumps(internal.get("attributes", {})):
            raise serializers.ValidationError({"attributes": [_("Caractère nul interdit.")]})
        return internal


class ShareSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=Level.choices)


class ReviewSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", read_only=True)

    class Meta:
        model = Review
        fields = ("id", "comment", "author", "created_at")
        read_only_fields = ("id", "author", "created_at")


class ResourceSummarySerializer(serializers.Serializer):
    """A line of « Mon espace » or of the validation queue (the full Feature is one link away)."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    base = serializers.CharField()
    kind = serializers.CharField()
    level = serializers.CharField()
    group = serializers.CharField(source="group.slug")
    author = serializers.CharField(source="author.username")
    validated = serializers.BooleanField(source="is_validated")
    updated = serializers.DateTimeField(source="updated_at")


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    memberships = MyMembershipSerializer(many=True)
    resource_count = serializers.IntegerField()
    resources = ResourceSummarySerializer(many=True)
    validation_queue = ResourceSummarySerializer(many=True)
