"""``/api/v1/resources/<id>/history/``: the versions of a resource, newest first, each with
``at``, ``by`` and its ``changes`` (field, before, after); ``POST …/<version>/restore/``
puts a version back (the group's animateurs; 403 otherwise). Same rule as the page: 404 for
a resource the caller does not see, 403 for one they see but may not edit."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.gis.geos import GEOSGeometry
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from observatoire.api.pagination import ListPagination
from workgroups.api.authentication import PersonalResponseMixin

from .. import services


def _plain(value: Any) -> Any:
    if isinstance(value, GEOSGeometry):
        return json.loads(value.geojson)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def version_data(version: services.Version) -> dict[str, Any]:
    return {
        "version": version.id,
        "at": version.at.isoformat(),
        "by": version.by or None,
        "action": version.action,
        "import_job": version.import_job,
        "restored_from": version.restored_from,
        "changes": [
            {
                "field": "geometry" if c.field == "geom" else c.field,
                "label": c.label,
                "before": _plain(c.before),
                "after": _plain(c.after),
            }
            for c in version.changes
        ],
    }


VERSION = inline_serializer(
    "ResourceVersion",
    {
        "version": serializers.IntegerField(),
        "at": serializers.DateTimeField(),
        "by": serializers.CharField(allow_null=True),
        "action": serializers.CharField(),
        "import_job": serializers.IntegerField(allow_null=True),
        "restored_from": serializers.IntegerField(allow_null=True),
        "changes": serializers.ListField(child=serializers.DictField()),
    },
)


class HistoryView(PersonalResponseMixin, APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=VERSION)
    def get(self, request: Request, pk: int) -> Response:
        resource = services.resource_for_history(request.user, pk)
        pages = ListPagination()
        events = pages.paginate_queryset(services.versions_of(resource), request, view=self)
        versions = services.page_of_versions(resource, list(events))
        return pages.get_paginated_response([version_data(v) for v in versions])


class RestoreView(PersonalResponseMixin, APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses=VERSION)
    def post(self, request: Request, pk: int, version: int) -> Response:
        resource = services.resource_for_history(request.user, pk)
        services.restore(request.user, resource, version)
        newest = services.page_of_versions(resource, list(services.versions_of(resource)[:1]))
        return Response(version_data(newest[0]), status=201)
