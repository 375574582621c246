"""``/api/v1/me/notifications/``: one's own notifications (nobody else's, ever), newest
first, paginated like every list of the API; ``POST …/read/`` marks them read."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from observatoire.api.pagination import ListPagination
from workgroups.api.authentication import PersonalResponseMixin

from .. import services
from ..display import shown
from .serializers import NotificationSerializer, ReadResultSerializer, ReadSerializer

UNREAD = OpenApiParameter(
    "unread", OpenApiTypes.STR, enum=["1"], description="1 : seulement les non lues"
)


class NotificationListView(PersonalResponseMixin, APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(parameters=[UNREAD], responses=NotificationSerializer(many=True))
    def get(self, request: Request) -> Response:
        rows = services.of(request.user, unread_only=request.query_params.get("unread") == "1")
        pages = ListPagination()
        page = pages.paginate_queryset(rows, request, view=self)
        data = NotificationSerializer(shown(list(page), request.user), many=True).data
        return pages.get_paginated_response(data)


class ReadView(PersonalResponseMixin, APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=ReadSerializer, responses=ReadResultSerializer)
    def post(self, request: Request) -> Response:
        body = ReadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        marked = services.mark_read(request.user, body.validated_data.get("ids"))
        return Response({"marked": marked})
