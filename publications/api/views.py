"""``/api/v1/publications/``: list, create, read, replace, change (autosave), delete, share,
validate, upload — thin views over :mod:`publications.services`. Every read starts from
``Carnet.objects.visible_to(user)``, so a carnet a person may not see answers 404; a write of
one they see but may not edit answers 403; a save from a stale copy answers 409."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from observatoire.api.pagination import ListPagination
from observatoire.api.serializers import ShareSerializer
from workgroups.api.authentication import PersonalResponseMixin
from workgroups.models import Group

from .. import services
from ..media import add_media
from ..models import Carnet
from .serializers import CarnetSerializer, MediaSerializer


def _editors(request: Request) -> list[str] | None:
    value = request.data.get("editors") if isinstance(request.data, dict) else None
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise serializers.ValidationError(
            {"editors": [_("Une liste d'identifiants de personnes est attendue.")]}
        )
    return value


class CarnetViewSet(PersonalResponseMixin, viewsets.ModelViewSet):
    """Carnets (publications numériques) the requester may see, most recently changed first."""

    serializer_class = CarnetSerializer
    pagination_class = ListPagination
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    lookup_field = "slug"
    lookup_value_regex = r"[a-z0-9]+(?:-[a-z0-9]+)*"

    def get_queryset(self) -> QuerySet:
        carnets = (
            Carnet.objects.visible_to(self.request.user)
            .select_related("group", "author", "validated_by")
            .prefetch_related("editors")
            .order_by("-updated_at", "-id")
        )
        group = self.request.query_params.get("groupe")
        return carnets.filter(group__slug=group) if group else carnets

    def perform_create(self, serializer) -> None:
        slug = self.request.data.get("group") if isinstance(self.request.data, dict) else None
        if not isinstance(slug, str) or not slug:
            raise serializers.ValidationError(
                {"group": [_("Indiquez le groupe (son identifiant).")]}
            )
        group = Group.objects.filter(slug=slug).first()
        if group is None:
            raise serializers.ValidationError({"group": [_("Groupe inconnu : « %s ».") % slug]})
        fields = dict(serializer.validated_data)
        fields.pop("version", None)
        if "cover_id" in fields:
            fields.pop("cover_id")
        carnet = services.create_carnet(self.request.user, group, **fields)
        editors = _editors(self.request)
        if editors:
            services.set_editors(self.request.user, carnet, editors)
        serializer.instance = carnet

    def perform_update(self, serializer) -> None:
        changes = dict(serializer.validated_data)
        version = changes.pop("version", None)
        if "cover_id" in changes:
            changes["cover"] = changes.pop("cover_id")
        editors = _editors(self.request)
        if editors is not None:
            changes["editors"] = editors
        serializer.instance = services.update_carnet(
            self.request.user, serializer.instance, changes, version=version
        )

    def perform_destroy(self, instance: Carnet) -> None:
        services.delete_carnet(self.request.user, instance)

    @extend_schema(request=ShareSerializer)
    @action(detail=True, methods=["post"])
    def share(self, request: Request, slug: str) -> Response:
        """Change the sharing level (author only); beyond the group it waits for validation;
        an empty carnet is never shared."""
        data = ShareSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        carnet = services.share(request.user, self.get_object(), data.validated_data["level"])
        return Response(self.get_serializer(carnet).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def validate(self, request: Request, slug: str) -> Response:
        """Validate a carnet shared beyond its group (animateur of the group)."""
        return Response(
            self.get_serializer(services.validate(request.user, self.get_object())).data
        )

    @extend_schema(request={"multipart/form-data": MediaSerializer})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser], url_path="media")
    def media(self, request: Request, slug: str) -> Response:
        """Upload a photo or a video into the carnet (checked by content)."""
        carnet = get_object_or_404(self.get_queryset(), slug=slug)
        data = MediaSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        media = add_media(request.user, carnet, data.validated_data["file"])
        return Response(
            {
                "id": media.pk,
                "kind": media.kind,
                "name": media.name,
                "content_type": media.content_type,
                "width": media.width,
                "height": media.height,
                "url": reverse("publications:media", args=[carnet.slug, media.pk]),
            },
            status=status.HTTP_201_CREATED,
        )
