"""A carnet as JSON: its fields, its blocks (a JSON list, validated per type by
:mod:`publications.blocks` in the services), its co-authors and its version. Serializers only
translate; rights and rules are in :mod:`publications.services`."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from workgroups.api.serializers import SHARING_FIELDS, SharingFields, StrictMixin

from ..models import Carnet


class CarnetSerializer(StrictMixin, SharingFields, serializers.ModelSerializer):
    blocks = serializers.JSONField(required=False)
    editors = serializers.SlugRelatedField(
        slug_field="username", many=True, read_only=True, help_text="Co-auteurs (identifiants)."
    )
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text="La version lue ; obligatoire pour PUT et PATCH (409 si le carnet a changé).",
    )
    cover = serializers.IntegerField(
        source="cover_id", required=False, allow_null=True, min_value=1, max_value=2**31 - 1
    )
    url = serializers.SerializerMethodField()

    class Meta:
        model = Carnet
        fields = (
            "slug",
            "title",
            "subtitle",
            "cover",
            "credits",
            "themes",
            "territory",
            "story",
            "blocks",
            "editors",
            "version",
            "url",
            *SHARING_FIELDS,
            "created",
            "updated",
        )
        read_only_fields = ("slug",)
        extra_kwargs = {"title": {"required": True}}

    def get_url(self, carnet: Carnet) -> str:
        return reverse("publications:detail", args=[carnet.slug])

    def to_internal_value(self, data):
        """``group`` (a slug, on creation) and ``editors`` (usernames) are read by the view."""
        if isinstance(data, dict):
            data = {k: v for k, v in data.items() if k not in ("group", "editors")}
        return super().to_internal_value(data)


class MediaSerializer(serializers.Serializer):
    file = serializers.FileField()
