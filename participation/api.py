"""The REST API of participation: the public's submission (multipart, the same checks as
the page) and the moderators' queue, accept and refuse. Views parse, call
:mod:`.services`, render; the queue is read only through ``moderable_by``."""

from __future__ import annotations

import json

from django.contrib.gis.db.models.functions import AsGeoJSON
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from workgroups.api.authentication import PersonalResponseMixin
from workgroups.models import Group
from workgroups.permissions import can
from workgroups.roles import Capability

from . import abuse, services
from .models import Form, Submission
from .pages import queue_rows


class SubmissionSerializer(serializers.ModelSerializer):
    form = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    geometry = serializers.SerializerMethodField()
    photos = serializers.SerializerMethodField()
    has_email = serializers.SerializerMethodField()

    class Meta:
        model = Submission
        fields = [
            "id",
            "form",
            "state",
            "title",
            "description",
            "attributes",
            "geometry",
            "pseudonym",
            "has_email",
            "photos",
            "reason",
            "resource",
            "created_at",
            "moderated_at",
        ]
        read_only_fields = fields

    def get_geometry(self, submission: Submission) -> dict | None:
        raw = getattr(submission, "geom_geojson", None)
        return json.loads(raw) if raw else json.loads(submission.geom.geojson)

    def get_photos(self, submission: Submission) -> list[str]:
        request = self.context["request"]
        return [
            request.build_absolute_uri(reverse("participation:photo", args=[p.pk]))
            for p in submission.photos.all()
        ]

    def get_has_email(self, submission: Submission) -> bool:
        return bool(submission.email)


class AcceptSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=services.PUBLISH_LEVELS, default="public")
    title = serializers.CharField(required=False, max_length=255)
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class RefuseSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class QueuePagination(PageNumberPagination):
    page_size = 50


class SubmitView(APIView):
    """Anyone submits a contribution to an open form (multipart: the page's fields, and
    ``photos``); answers the follow-up link. No session is read, so no CSRF token."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request=None, responses={201: None})
    def post(self, request: Request, slug: str) -> Response:
        form = get_object_or_404(Form, slug=slug)
        try:
            outcome = services.submit(
                form,
                request.data,
                request.FILES.getlist("photos"),
                address=abuse.address_of(request._request),
            )
        except abuse.Refused as refusal:
            key = "non_field_errors" if refusal.field == "__all__" else refusal.field
            return Response(
                {key: [refusal.message], "detail": refusal.message}, status=refusal.status
            )
        submission = outcome.submission
        url = reverse("participation:status", args=[submission.secret])
        return Response(
            {
                "id": submission.pk,
                "state": submission.state,
                "status_url": request.build_absolute_uri(url),
                "suggested_place": list(outcome.suggested) if outcome.suggested else None,
            },
            status=status.HTTP_201_CREATED,
        )


def _moderated_group(request: Request, slug: str) -> Group:
    group = get_object_or_404(Group, slug=slug)
    if not can(request.user, group, Capability.REVIEW):
        raise PermissionDenied(
            _("Seuls les animateurs et experts du groupe lisent ses contributions.")
        )
    return group


class QueueView(PersonalResponseMixin, APIView):
    """The group's contributions (``?state=pending|unconfirmed|accepted|refused``,
    ``formulaire``, ``q``), newest first, 50 a page: animateurs and experts of the group."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=SubmissionSerializer(many=True))
    def get(self, request: Request, slug: str) -> Response:
        group = _moderated_group(request, slug)
        rows, _filters = queue_rows(request.user, group=group, params=request.query_params)
        rows = rows.prefetch_related("photos").annotate(geom_geojson=AsGeoJSON("geom"))
        paginator = QueuePagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        data = SubmissionSerializer(page, many=True, context={"request": request}).data
        return paginator.get_paginated_response(data)


class _Moderate(PersonalResponseMixin, APIView):
    """One decision on one contribution: its payload checked by :attr:`payload`, then
    :meth:`decide`; the answer is the contribution as it now stands."""

    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    payload: type[serializers.Serializer]

    def decide(self, user, submission: Submission, data: dict) -> Submission:
        raise NotImplementedError

    def post(self, request: Request, slug: str, pk: str) -> Response:
        group = _moderated_group(request, slug)
        submission = get_object_or_404(
            Submission.objects.moderable_by(request.user), pk=pk, form__group=group
        )
        data = self.payload(data=request.data)
        data.is_valid(raise_exception=True)
        decided = self.decide(request.user, submission, data.validated_data)
        decided = Submission.objects.annotate(geom_geojson=AsGeoJSON("geom")).get(pk=decided.pk)
        return Response(SubmissionSerializer(decided, context={"request": request}).data)


@extend_schema_view(post=extend_schema(request=AcceptSerializer, responses=SubmissionSerializer))
class AcceptView(_Moderate):
    """Publish the contribution as a resource of the group (animateurs)."""

    payload = AcceptSerializer

    def decide(self, user, submission: Submission, data: dict) -> Submission:
        return services.accept(user, submission, **data)


@extend_schema_view(post=extend_schema(request=RefuseSerializer, responses=SubmissionSerializer))
class RefuseView(_Moderate):
    """Refuse the contribution with a reason, mailed when an e-mail was given (animateurs)."""

    payload = RefuseSerializer

    def decide(self, user, submission: Submission, data: dict) -> Submission:
        return services.refuse(user, submission, data["reason"])
