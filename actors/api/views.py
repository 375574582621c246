"""``/api/v1/actors/``, ``/api/v1/actors/<slug>/experiences/`` and ``/api/v1/credits/``: thin
views over the services. Every read starts from ``visible_to(user)`` (what a person may not see
answers 404); a write of what they see but may not edit answers 403."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from observatoire.api.pagination import FeaturePagination, ListPagination
from observatoire.models import Resource
from publications.models import Carnet
from workgroups.api.authentication import PersonalResponseMixin

from .. import directory, services
from ..models import Credit, Experience, Profile
from ..services import ExperienceInput, ProfileInput
from .serializers import (
    CreditSerializer,
    CreditWriteSerializer,
    ExperienceSerializer,
    ExperienceWriteSerializer,
    ProfileSerializer,
    ProfileWriteSerializer,
)

PROFILE_FIELDS = set(services.PROFILE_FIELDS)


def experience_input(data: dict[str, Any]) -> ExperienceInput:
    return ExperienceInput(
        pk=data.get("id"),
        title=data.get("title", ""),
        client=data.get("client", ""),
        year_start=data.get("year_start"),
        year_end=data.get("year_end"),
        place=data.get("geometry"),
        commune=data.get("commune", ""),
        place_name=data.get("place_name", ""),
        text=data.get("text", ""),
        resource_ids=list(data.get("resources", [])),
    )


def profile_input(data: dict[str, Any]) -> ProfileInput:
    experiences = data.get("experiences")
    return ProfileInput(
        fields={k: v for k, v in data.items() if k in PROFILE_FIELDS},
        territories="; ".join(data["territories"]) if "territories" in data else None,
        editors=data.get("editors"),
        group=data.get("group"),
        experiences=[experience_input(e) for e in experiences] if experiences is not None else None,
    )


@extend_schema(
    parameters=[
        OpenApiParameter("q", str, description="Mots (recherche plein texte en français)."),
        OpenApiParameter("type", str, description="Type d'acteur."),
        OpenApiParameter("contexte", str, description="Contexte d'intervention."),
        OpenApiParameter("commune", str, description="Code INSEE : acteurs qui y interviennent."),
    ]
)
class ProfileViewSet(
    PersonalResponseMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Profiles of actors: list (filters ``q``, ``type``, ``contexte``, ``commune``), create,
    read, replace, change, delete."""

    serializer_class = ProfileSerializer
    pagination_class = ListPagination
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]{1,100}"

    def get_queryset(self) -> QuerySet:
        if self.action == "list":
            filters, errors = directory.parse(self.request.query_params)
            if errors:
                raise ValidationError(errors)
            return directory.profiles(self.request.user, filters).select_related(
                "group", "created_by"
            )
        return Profile.objects.visible_to(self.request.user).select_related("group", "created_by")

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return ProfileWriteSerializer
        return ProfileSerializer

    @extend_schema(request=ProfileWriteSerializer, responses={201: ProfileSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = ProfileWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        profile = services.create_profile(request.user, profile_input(data.validated_data))
        body = ProfileSerializer(profile, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=ProfileWriteSerializer, responses=ProfileSerializer)
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        profile = self.get_object()
        partial = kwargs.pop("partial", False)
        data = ProfileWriteSerializer(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        services.update_profile(request.user, profile, profile_input(data.validated_data))
        profile.refresh_from_db()
        return Response(ProfileSerializer(profile, context=self.get_serializer_context()).data)

    @extend_schema(request=ProfileWriteSerializer, responses=ProfileSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().partial_update(request, *args, **kwargs)

    def perform_destroy(self, instance: Profile) -> None:
        services.delete_profile(self.request.user, instance)


class ExperienceViewSet(
    PersonalResponseMixin, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """A profile's experiences as GeoJSON Features; editors add one with POST."""

    serializer_class = ExperienceSerializer
    pagination_class = FeaturePagination
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    def profile(self) -> Profile:
        if not hasattr(self, "_profile"):
            self._profile = get_object_or_404(
                Profile.objects.visible_to(self.request.user), slug=self.kwargs["slug"]
            )
        return self._profile

    def get_queryset(self) -> QuerySet:
        return (
            Experience.objects.visible_to(self.request.user)
            .filter(profile=self.profile())
            .select_related("profile")
            .order_by("position", "id")
        )

    def get_serializer_class(self):
        return ExperienceWriteSerializer if self.action == "create" else ExperienceSerializer

    @extend_schema(request=ExperienceWriteSerializer, responses={201: ExperienceSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = ExperienceWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        experience = services.add_experience(
            request.user, self.profile(), experience_input(data.validated_data)
        )
        return Response(ExperienceSerializer(experience).data, status=status.HTTP_201_CREATED)


@extend_schema(
    parameters=[
        OpenApiParameter("resource", int, description="Crédits de cette ressource (son id)."),
        OpenApiParameter("carnet", str, description="Crédits de ce carnet (son identifiant)."),
        OpenApiParameter("profile", str, description="Crédits de cet acteur (son identifiant)."),
    ]
)
class CreditViewSet(
    PersonalResponseMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Actors credited by resources and carnets (maîtrise d'œuvre, accompagnement,
    partenaire): list (filters ``resource``, ``carnet``, ``profile``), credit, read, remove.
    A credit reads when its actor and its resource or carnet are both visible; whoever may
    edit the resource or the carnet credits and removes."""

    serializer_class = CreditSerializer
    pagination_class = ListPagination
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    def get_queryset(self) -> QuerySet:
        credits = services.readable_credits(self.request.user).select_related("profile", "carnet")
        if self.action == "list":
            credits = credits.filter(**credit_filters(self.request.query_params))
        return credits.order_by("id")

    @extend_schema(request=CreditWriteSerializer, responses={201: CreditSerializer})
    def create(self, request: Request) -> Response:
        data = CreditWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        if "resource" in fields:
            item = get_object_or_404(
                Resource.objects.visible_to(request.user), pk=fields["resource"]
            )
        else:
            item = get_object_or_404(Carnet.objects.visible_to(request.user), slug=fields["carnet"])
        credit = services.add_credit(request.user, item, fields["profile"], fields["role"])
        return Response(CreditSerializer(credit).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance: Credit) -> None:
        services.remove_credit(self.request.user, instance)


def credit_filters(query: Any) -> dict[str, Any]:
    """The list's filters from the query string; a malformed resource id is a French 400."""
    filters: dict[str, Any] = {}
    if resource := query.get("resource", "").strip():
        if not resource.isdigit():
            raise ValidationError({"resource": _("Un identifiant de ressource est un nombre.")})
        filters["resource_id"] = int(resource)
    if carnet := query.get("carnet", "").strip():
        filters["carnet__slug"] = carnet
    if profile := query.get("profile", "").strip():
        filters["profile__slug"] = profile
    return filters
