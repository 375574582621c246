"""``/api/v1/groups/<slug>/pins/``: a group's pins over HTTP. Views parse, call
:mod:`pins.services` (which check every right and apply ``visible_to``), render."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from workgroups.api.authentication import PersonalResponseMixin
from workgroups.models import Group

from .. import services
from ..models import Pin
from .serializers import PinRequestSerializer, PinSerializer

SLUG = OpenApiParameter(
    "slug", OpenApiTypes.STR, OpenApiParameter.PATH, pattern=r"^[-a-zA-Z0-9_]{1,100}$"
)
PIN_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Pin id")


class _PinsBase(PersonalResponseMixin, APIView):
    def get_permissions(self):
        if self.request.method in permissions.SAFE_METHODS:
            return [permissions.AllowAny()]
        return [permissions.IsAuthenticated()]


class PinListView(_PinsBase):
    """The items pinned into a group's portal that the person asking may see, newest first
    (at most 50); POST pins a resource or a map (contributeurs of the group)."""

    @extend_schema(parameters=[SLUG], responses=PinSerializer(many=True))
    def get(self, request: Request, slug: str) -> Response:
        group = get_object_or_404(Group, slug=slug)
        pins = services.pinned_for(group, request.user)
        return Response(PinSerializer(pins, many=True, context={"request": request}).data)

    @extend_schema(request=PinRequestSerializer, responses={200: PinSerializer, 201: PinSerializer})
    def post(self, request: Request, slug: str) -> Response:
        group = get_object_or_404(Group, slug=slug)
        data = PinRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        pin, created = services.pin(
            request.user,
            group,
            resource_id=data.validated_data.get("resource"),
            map_slug=data.validated_data.get("map"),
        )
        return Response(
            PinSerializer(pin, context={"request": request}).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class PinDetailView(_PinsBase):
    """Unpin (the pinner or an animateur of the group)."""

    @extend_schema(parameters=[SLUG, PIN_ID], request=None, responses={204: None})
    def delete(self, request: Request, slug: str, id: str) -> Response:
        pin = get_object_or_404(Pin.objects.select_related("group"), pk=id, group__slug=slug)
        # someone who may not unpin and does not see the item learns nothing of the pin
        if (
            not services.may_unpin(request.user, pin)
            and not services.visible_pins(request.user).filter(pk=pin.pk).exists()
        ):
            raise Http404
        services.unpin(request.user, pin)
        return Response(status=status.HTTP_204_NO_CONTENT)
