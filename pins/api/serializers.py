"""What the API says of a pin, and what it accepts to create one."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework import serializers

from ..models import Pin


class PinSerializer(serializers.ModelSerializer):
    group = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    map = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    type = serializers.SerializerMethodField()
    title = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    pinned_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Pin
        fields = [
            "id",
            "group",
            "type",
            "resource",
            "map",
            "title",
            "url",
            "pinned_by",
            "pinned_at",
        ]
        read_only_fields = fields

    def get_type(self, pin: Pin) -> str:
        return "resource" if pin.resource_id else "map"

    def get_title(self, pin: Pin) -> str:
        return pin.item.title

    def get_url(self, pin: Pin) -> str:
        if pin.resource_id:
            path = reverse("observatoire:detail", args=[pin.resource_id])
        else:
            path = reverse("layers:viewer", args=[pin.map.slug])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class PinRequestSerializer(serializers.Serializer):
    """``{"resource": id}`` or ``{"map": slug}``, exactly one."""

    resource = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    map = serializers.SlugField(required=False, max_length=100)

    def validate(self, attrs: dict) -> dict:
        if ("resource" in attrs) == ("map" in attrs):
            raise serializers.ValidationError(
                _("Indiquez soit « resource » (identifiant), soit « map » (identifiant de carte).")
            )
        return attrs
