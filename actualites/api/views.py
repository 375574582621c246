"""``/api/v1/groups/<slug>/news/`` and ``/events/``: list, create, read, replace, change,
delete, share, validate — thin views over the services. Every read starts from
``visible_to(user)``, so what a person may not see answers 404; a write of what they see but
may not edit answers 403."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from observatoire.api.pagination import FeaturePagination, ListPagination
from observatoire.api.serializers import ShareSerializer
from workgroups.api.authentication import PersonalResponseMixin
from workgroups.models import Group

from .. import services
from ..models import Event, NewsItem
from .serializers import EventSerializer, NewsItemSerializer


class _GroupItems(
    PersonalResponseMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    model: type[NewsItem] | type[Event]
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    lookup_value_regex = r"[0-9]{1,18}"

    def group(self) -> Group:
        if not hasattr(self, "_group"):
            self._group = get_object_or_404(Group, slug=self.kwargs["slug"])
        return self._group

    def get_queryset(self) -> QuerySet:
        return (
            self.model.objects.visible_to(self.request.user)
            .filter(group=self.group())
            .select_related("group", "author", "validated_by")
        )

    def perform_create(self, serializer) -> None:
        serializer.instance = services.create_item(
            self.request.user, self.model, self.group(), **serializer.validated_data
        )

    def perform_update(self, serializer) -> None:
        serializer.instance = services.update_item(
            self.request.user, serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance: NewsItem | Event) -> None:
        services.delete_item(self.request.user, instance)

    @extend_schema(request=ShareSerializer)
    @action(detail=True, methods=["post"])
    def share(self, request: Request, slug: str, pk: str) -> Response:
        """Change the sharing level (author only); beyond the group it waits for validation."""
        data = ShareSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = services.share(request.user, self.get_object(), data.validated_data["level"])
        return Response(self.get_serializer(item).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def validate(self, request: Request, slug: str, pk: str) -> Response:
        """Validate an item shared beyond its group (animateur of the group)."""
        return Response(
            self.get_serializer(services.validate(request.user, self.get_object())).data
        )


class NewsViewSet(_GroupItems):
    """The group's actualités, newest first."""

    model = NewsItem
    serializer_class = NewsItemSerializer
    pagination_class = ListPagination

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().order_by("-published_at", "-id")


class EventViewSet(_GroupItems):
    """The group's agenda as GeoJSON Features, by start date."""

    model = Event
    serializer_class = EventSerializer
    pagination_class = FeaturePagination

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().order_by("start", "id")
