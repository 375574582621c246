"""Profiles as JSON, experiences as GeoJSON Features. Serializers only translate; the rules
are :mod:`actors.services`' (their errors come back keyed by these names)."""

from __future__ import annotations

from typing import Any

from django.contrib.gis.geos import Point
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from observatoire.api.serializers import GeoJSONGeometryField
from workgroups.api.serializers import StrictMixin

from .. import territories
from ..models import ContactChoice, Context, Credit, Experience, Kind, Profile, Role, Visibility
from ..services import PROFILE_FIELDS

CONTACT_FIELDS = ("email", "phone", "website", "address", "siret")


class ProfileSerializer(serializers.ModelSerializer):
    """A profile as the requester may see it: contact details only when its contact choice
    allows them (else null)."""

    group = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    # null when the contact choice hides them from the requester; "" when not given
    email = serializers.CharField(read_only=True, allow_null=True)
    phone = serializers.CharField(read_only=True, allow_null=True)
    website = serializers.CharField(read_only=True, allow_null=True)
    address = serializers.CharField(read_only=True, allow_null=True)
    siret = serializers.CharField(read_only=True, allow_null=True)
    territories = serializers.SerializerMethodField()
    experience_count = serializers.SerializerMethodField()

    class Meta:
        model = Profile
        fields = (
            "slug",
            *PROFILE_FIELDS,
            "territories",
            "territory_codes",
            "group",
            "created_by",
            "experience_count",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields

    def get_territories(self, profile: Profile) -> list[str]:
        return territories.labels(profile.territory_codes)

    def get_experience_count(self, profile: Profile) -> int:
        return profile.experiences.count()

    def to_representation(self, profile: Profile) -> dict[str, Any]:
        data = super().to_representation(profile)
        request = self.context.get("request")
        if not profile.contact_visible_to(request.user if request else None):
            for name in CONTACT_FIELDS:
                data[name] = None
        return data


@extend_schema_field(
    {
        "type": "object",
        "nullable": True,
        "description": "Lieu : un GeoJSON « Point » (EPSG:4326), ou null.",
    }
)
class PlaceField(GeoJSONGeometryField):
    def to_internal_value(self, value: Any):
        geom = super().to_internal_value(value)
        if geom is not None and not isinstance(geom, Point):
            raise serializers.ValidationError(_("Le lieu est un point (GeoJSON « Point »)."))
        return geom


class ExperienceWriteSerializer(StrictMixin, serializers.Serializer):
    id = serializers.IntegerField(required=False)
    title = serializers.CharField(max_length=200, allow_blank=True)
    client = serializers.CharField(max_length=200, required=False, allow_blank=True)
    year_start = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    year_end = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    geometry = PlaceField(required=False, allow_null=True)
    commune = serializers.CharField(max_length=200, required=False, allow_blank=True)
    place_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    text = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    resources = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, max_length=50
    )


class ProfileWriteSerializer(StrictMixin, serializers.Serializer):
    """What a POST, PUT or PATCH sends (PATCH: any part of it)."""

    name = serializers.CharField(max_length=200)
    is_person = serializers.BooleanField(required=False)
    kind = serializers.ChoiceField(choices=Kind.choices)
    summary = serializers.CharField(max_length=300, required=False, allow_blank=True)
    services = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    about = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    clients = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    contexts = serializers.ListField(
        child=serializers.ChoiceField(choices=Context.choices), required=False
    )
    territories = serializers.ListField(
        child=serializers.CharField(max_length=200),
        required=False,
        max_length=territories.MAX_TERRITORIES,
        help_text=_("Noms de communes ou de départements : « Lille (59350) », « Nord (59) »."),
    )
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    website = serializers.URLField(required=False, allow_blank=True)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    siret = serializers.CharField(max_length=20, required=False, allow_blank=True)
    contact_choice = serializers.ChoiceField(choices=ContactChoice.choices, required=False)
    visibility = serializers.ChoiceField(choices=Visibility.choices, required=False)
    group = serializers.CharField(max_length=100, required=False, allow_blank=True)
    editors = serializers.ListField(
        child=serializers.CharField(max_length=150), required=False, max_length=50
    )
    experiences = ExperienceWriteSerializer(many=True, required=False)


class ExperienceSerializer(GeoFeatureModelSerializer):
    """An experience as a GeoJSON Feature (geometry: its place, a Point, or null)."""

    profile = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Experience
        geo_field = "place"
        id_field = "id"
        fields = (
            "id",
            "place",
            "profile",
            "title",
            "client",
            "year_start",
            "year_end",
            "commune_insee",
            "place_name",
            "text",
        )
        read_only_fields = fields


class CreditSerializer(serializers.ModelSerializer):
    """An actor credited by a resource or a carnet (exactly one of the two is set)."""

    profile = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    profile_name = serializers.CharField(source="profile.name", read_only=True)
    carnet = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    role_label = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = Credit
        fields = ("id", "profile", "profile_name", "role", "role_label", "resource", "carnet")
        read_only_fields = fields


class CreditWriteSerializer(StrictMixin, serializers.Serializer):
    """Credit an actor: on a resource (its id) or a carnet (its slug), not both."""

    resource = serializers.IntegerField(required=False, min_value=1)
    carnet = serializers.SlugField(required=False, max_length=100)
    profile = serializers.CharField(
        max_length=200, help_text=_("Identifiant (slug) de la fiche d'acteur, ou son nom exact.")
    )
    role = serializers.ChoiceField(choices=Role.choices)

    def validate(self, attrs: dict) -> dict:
        if ("resource" in attrs) == ("carnet" in attrs):
            raise serializers.ValidationError(
                {"resource": _("Donnez une ressource (resource) ou un carnet (carnet), un seul.")}
            )
        return attrs
