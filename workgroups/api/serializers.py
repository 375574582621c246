"""Groups, memberships and « Mon espace » as JSON."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from ..models import Group, Membership, User
from ..roles import Level, Role

#: The sharing fields every shared thing shows, as resources do.
SHARING_FIELDS = ("group", "level", "author", "validated", "validated_at", "validated_by")


class SharingFields(serializers.Serializer):
    """The fields of :class:`workgroups.models.Shared` as every shared thing shows them."""

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


def refuse_unknown(serializer: serializers.Serializer, data: dict, extra=()) -> None:
    """A property the serializer does not know is refused: a typo must not be lost."""
    unknown = sorted(set(data) - set(serializer.fields) - set(extra))
    if unknown:
        raise serializers.ValidationError({name: [_("Propriété inconnue.")] for name in unknown})


class StrictMixin:
    """A serializer that takes a JSON object and refuses the properties it does not know."""

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise serializers.ValidationError({"non_field_errors": [_("Objet JSON attendu.")]})
        refuse_unknown(self, data)
        return super().to_internal_value(data)


class GroupSerializer(serializers.ModelSerializer):
    """A working group; ``resource_count`` counts only what the requester may see."""

    resource_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Group
        fields = ("slug", "name", "family", "join_mode", "description", "resource_count")


class GroupWriteSerializer(StrictMixin, serializers.Serializer):
    """A group as its founder creates it or its animateurs change it."""

    name = serializers.CharField(max_length=200)
    family = serializers.ChoiceField(choices=Group.Family.choices)
    join_mode = serializers.ChoiceField(choices=Group.JoinMode.choices, required=False)
    description = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    territory = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        write_only=True,
        help_text=_(
            "Une commune, un EPCI ou un département : son code (59350, 200093201, 59), sa "
            "suggestion « Lille (59350) » ou un nom qu'un seul porte. Vide : aucun territoire."
        ),
    )
    territory_shape = serializers.JSONField(
        required=False,
        write_only=True,
        help_text=_(
            "Ou le territoire dessiné : une géométrie GeoJSON Polygon ou MultiPolygon en "
            "longitude/latitude (EPSG:4326)."
        ),
    )


class MembershipSerializer(serializers.ModelSerializer):
    """A person's place in a group (``id`` is the person's id, used in ``members/{id}/``)."""

    id = serializers.IntegerField(source="user_id", read_only=True)
    username = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = Membership
        fields = ("id", "username", "role", "state", "activated_at")
        read_only_fields = fields


class MyMembershipSerializer(serializers.ModelSerializer):
    group = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    group_name = serializers.CharField(source="group.name", read_only=True)

    class Meta:
        model = Membership
        fields = ("group", "group_name", "role", "state")
        read_only_fields = fields


class InviteSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    role = serializers.ChoiceField(choices=Role.choices, default=Role.LECTEUR)

    def validate_username(self, value: str) -> User:
        user = User.objects.filter(username=value, is_active=True).first()
        if user is None:
            raise serializers.ValidationError(_("Aucun compte actif ne porte cet identifiant."))
        return user


class RoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)
