"""Resources over HTTP: parse, call the services, render. Every read starts from
``Resource.objects.visible_to(user)``, so what a person may not see answers 404."""

from __future__ import annotations

from django.contrib.gis.db.models.functions import AsGeoJSON
from django.db.models import Prefetch, QuerySet, TextField, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from workgroups.api.authentication import PersonalResponseMixin

from .. import services
from ..models import Resource
from ..space import MySpace
from .filters import ResourceFilterBackend
from .pagination import FeaturePagination
from .serializers import MeSerializer, ResourceSerializer, ReviewSerializer, ShareSerializer


class ResourceViewSet(PersonalResponseMixin, viewsets.ModelViewSet):
    """Resources of the three bases as GeoJSON Features (EPSG:4326)."""

    serializer_class = ResourceSerializer
    pagination_class = FeaturePagination
    filter_backends = [ResourceFilterBackend]
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self) -> QuerySet:
        user = self.request.user
        seen = Resource.objects.visible_to(user).only("id").order_by()
        queryset = (
            Resource.objects.visible_to(user)
            .select_related("group", "author", "validated_by", "checked_by")
            .prefetch_related(Prefetch("links", seen), Prefetch("linked_from", seen))
        )
        if self.request.method in permissions.SAFE_METHODS:
            # PostGIS writes the GeoJSON: cheaper than WKB → GEOS → GeoJSON in Python
            queryset = queryset.defer("geom").annotate(
                geom_geojson=Coalesce(AsGeoJSON("geom"), Value("null", output_field=TextField()))
            )
        return queryset

    def _links(self, fields: dict) -> None:
        """Ids of ``links`` → the resources, each visible to the writer (else a 400)."""
        if "links" in fields:
            fields["links"] = services.linkable(self.request.user, fields["links"])

    def _fresh(self, resource: Resource) -> Resource:
        """The written resource read again as the reader sees it (links, territories)."""
        return self.get_queryset().get(pk=resource.pk)

    def perform_create(self, serializer: ResourceSerializer) -> None:
        fields = dict(serializer.validated_data)
        group = fields.pop("group")
        self._links(fields)
        serializer.instance = self._fresh(
            services.create_resource(self.request.user, group, **fields)
        )

    def perform_update(self, serializer: ResourceSerializer) -> None:
        changes = dict(serializer.validated_data)
        group = changes.pop("group", None)
        self._links(changes)
        if group is not None and group.pk != serializer.instance.group_id:
            raise serializers.ValidationError(
                {"group": [_("Une ressource ne change pas de groupe.")]}
            )
        serializer.instance = self._fresh(
            services.update_resource(self.request.user, serializer.instance, **changes)
        )

    def perform_destroy(self, instance: Resource) -> None:
        services.delete_resource(self.request.user, instance)

    def _feature(self, resource: Resource) -> Response:
        return Response(self.get_serializer(resource).data)

    @extend_schema(request=ShareSerializer, responses=ResourceSerializer)
    @action(detail=True, methods=["post"])
    def share(self, request: Request, pk: str) -> Response:
        """Change the sharing level (author only); beyond the group it waits for validation."""
        resource = self.get_object()
        data = ShareSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._feature(services.share(request.user, resource, data.validated_data["level"]))

    @extend_schema(request=None, responses=ResourceSerializer)
    @action(detail=True, methods=["post"])
    def validate(self, request: Request, pk: str) -> Response:
        """Validate a resource shared beyond its group (animateur of the group)."""
        return self._feature(services.validate(request.user, self.get_object()))

    @extend_schema(request=ReviewSerializer, responses={201: ReviewSerializer})
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: str) -> Response:
        """Proofread the resource with a comment (expert or animateur of the group)."""
        resource = self.get_object()
        data = ReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        review = services.review(request.user, resource, data.validated_data["comment"])
        return Response(ReviewSerializer(review).data, status=status.HTTP_201_CREATED)


class MeView(PersonalResponseMixin, APIView):
    """« Mon espace »: memberships, own resources, and the validation queue for animateurs."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(MySpace(request.user).api()).data)
