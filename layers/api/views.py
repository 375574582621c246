"""``/api/v1/maps/``: list, create, read, replace, change, delete, share, validate and
duplicate dynamic maps — thin views over :mod:`layers.editor`. Every read starts from
``Map.objects.visible_to(user)``, so a map a person may not see answers 404; a write of a map
they see but may not edit answers 403."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from observatoire.api.pagination import ListPagination
from observatoire.api.serializers import ShareSerializer
from workgroups.api.authentication import PersonalResponseMixin

from .. import editor
from ..models import Map, MapLayer
from .serializers import MapSerializer, layer_specs


class MapViewSet(PersonalResponseMixin, viewsets.ModelViewSet):
    """Dynamic maps (cartes dynamiques) the requester may see, by title."""

    serializer_class = MapSerializer
    pagination_class = ListPagination
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    lookup_field = "slug"
    lookup_value_regex = r"[a-z0-9]+(?:-[a-z0-9]+)*"

    def get_queryset(self) -> QuerySet:
        return (
            Map.objects.visible_to(self.request.user)
            .select_related("group", "author", "validated_by", "basemap")
            .prefetch_related(
                Prefetch("map_layers", queryset=MapLayer.objects.select_related("layer"))
            )
            .order_by("title", "id")
        )

    def _reload(self, carte: Map) -> Map:
        """The map as the requester now sees it (fresh layers)."""
        return self.get_queryset().get(pk=carte.pk)

    def perform_create(self, serializer: MapSerializer) -> None:
        data = dict(serializer.validated_data)
        group = data.pop("group")
        specs = layer_specs(data.pop("map_layers"))
        carte = editor.create_map(self.request.user, group, layers=specs, **data)
        serializer.instance = self._reload(carte)

    def perform_update(self, serializer: MapSerializer) -> None:
        changes = dict(serializer.validated_data)
        group = changes.pop("group", None)
        if group is not None and group.pk != serializer.instance.group_id:
            raise serializers.ValidationError({"group": [_("Une carte ne change pas de groupe.")]})
        layers = changes.pop("map_layers", None)
        carte = editor.update_map(
            self.request.user,
            serializer.instance,
            changes,
            layers=None if layers is None else layer_specs(layers),
        )
        serializer.instance = self._reload(carte)

    def perform_destroy(self, instance: Map) -> None:
        editor.delete_map(self.request.user, instance)

    def _map(self, carte: Map, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self._reload(carte)).data, status=code)

    @extend_schema(request=ShareSerializer, responses=MapSerializer)
    @action(detail=True, methods=["post"])
    def share(self, request: Request, slug: str) -> Response:
        """Change the sharing level (author only); beyond the group it waits for validation."""
        data = ShareSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._map(
            editor.share_map(request.user, self.get_object(), data.validated_data["level"])
        )

    @extend_schema(request=None, responses=MapSerializer)
    @action(detail=True, methods=["post"])
    def validate(self, request: Request, slug: str) -> Response:
        """Validate a map shared beyond its group (animateur of the group)."""
        return self._map(editor.validate_map(request.user, self.get_object()))

    @extend_schema(request=None, responses={201: MapSerializer})
    @action(detail=True, methods=["post"])
    def duplicate(self, request: Request, slug: str) -> Response:
        """A private copy of the map in its group (contributeur+ of the group)."""
        copy = editor.duplicate_map(request.user, self.get_object())
        return self._map(copy, status.HTTP_201_CREATED)
