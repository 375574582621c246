from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class NotificationSerializer(serializers.Serializer):
    """A notification as its recipient reads it (text and link checked against what they
    see now, as on the page)."""

    id = serializers.IntegerField(source="notification.pk")
    kind = serializers.CharField(source="notification.kind")
    text = serializers.CharField()
    url = serializers.CharField(allow_blank=True)
    group = serializers.SlugRelatedField(
        source="notification.group", slug_field="slug", read_only=True, allow_null=True
    )
    actor = serializers.SlugRelatedField(
        source="notification.actor", slug_field="username", read_only=True, allow_null=True
    )
    created = serializers.DateTimeField(source="notification.created_at")
    read_at = serializers.DateTimeField(source="notification.read_at", allow_null=True)


class ReadSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        max_length=1000,
        help_text=_("Les notifications à marquer comme lues ; toutes quand absent."),
    )


class ReadResultSerializer(serializers.Serializer):
    marked = serializers.IntegerField()
