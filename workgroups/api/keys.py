"""``/api/v1/me/keys/``: one's own feed keys. POST ``{"name", "scope": "read"|"write",
"group": slug|null}`` answers 201 with ``id`` and ``key`` — the only time the key is shown;
DELETE ``/api/v1/me/keys/<id>/`` revokes it. Another's key is « not found »."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import keys
from ..models import FeedKey
from .authentication import PersonalResponseMixin


class KeySerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="label")
    prefix = serializers.SerializerMethodField()
    revoked = serializers.DateTimeField(source="revoked_at", allow_null=True)
    created = serializers.DateTimeField(source="created_at")
    group = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    last_used = serializers.DateTimeField(source="last_used_at", allow_null=True)
    last_used_channel = serializers.CharField()

    class Meta:
        model = FeedKey
        fields = (
            "id",
            "name",
            "scope",
            "group",
            "prefix",
            "created",
            "revoked",
            "last_used",
            "last_used_channel",
        )

    def get_prefix(self, key: FeedKey) -> str:
        return key.key[:6]


class NewKeySerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    scope = serializers.ChoiceField(choices=FeedKey.Scope.choices, default=FeedKey.Scope.READ)
    group = serializers.CharField(required=False, allow_null=True, allow_blank=True)


class CreatedKeySerializer(KeySerializer):
    key = serializers.CharField()

    class Meta(KeySerializer.Meta):
        fields = (*KeySerializer.Meta.fields, "key")


class KeyListView(PersonalResponseMixin, APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=KeySerializer(many=True))
    def get(self, request: Request) -> Response:
        rows = keys.keys_of(request.user).select_related("group")[: keys.MAX_KEYS * 2]
        return Response(KeySerializer(rows, many=True).data)

    @extend_schema(request=NewKeySerializer, responses={201: CreatedKeySerializer})
    def post(self, request: Request) -> Response:
        body = NewKeySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            made = keys.create(request.user, **body.validated_data)
        except ValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        return Response(CreatedKeySerializer(made).data, status=status.HTTP_201_CREATED)


class KeyView(PersonalResponseMixin, APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        if keys.revoke(request.user, pk) is None:
            raise Http404
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns = [
    path("me/keys/", KeyListView.as_view(), name="my-keys"),
    path("me/keys/<int:pk>/", KeyView.as_view(), name="my-key"),
]
