"""Pages of GeoJSON features with OGC-style counts (``numberMatched``, ``numberReturned``).

Counting every visible row of a 2-million-row table on each page costs more than the page
itself, so the count is exact up to ``SPASS["API_EXACT_COUNT_LIMIT"]`` rows (a ``COUNT`` over a
``LIMIT``-ed sub-query) and, beyond it, PostgreSQL's planner estimate, flagged by
``numberMatchedExact: false``.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

#: Offsets beyond this are refused (PostgreSQL's bigint, and common sense: use filters).
MAX_OFFSET = 10_000_000


def estimated_count(queryset: QuerySet) -> int:
    """The planner's row estimate for ``queryset`` (``EXPLAIN (FORMAT JSON)``)."""
    sql, params = queryset.order_by().query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def matched_count(queryset: QuerySet, exact_limit: int) -> tuple[int, bool]:
    """``(count, exact)``: exact up to ``exact_limit`` rows, estimated beyond."""
    count = queryset.order_by()[: exact_limit + 1].count()
    if count <= exact_limit:
        return count, True
    return max(estimated_count(queryset), count), False


def _int_param(request: Request, name: str, default: int, minimum: int, maximum: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or not minimum <= value <= maximum:
        message = _("Entier attendu entre %(min)s et %(max)s.") % {"min": minimum, "max": maximum}
        raise exceptions.ValidationError({name: [message]})
    return value


class FeaturePagination(BasePagination):
    """``limit``/``offset`` pages wrapped in a GeoJSON FeatureCollection."""

    def paginate_queryset(self, queryset: QuerySet, request: Request, view=None) -> list:
        spass = settings.SPASS
        self.request = request
        self.limit = _int_param(
            request, "limit", spass["API_PAGE_SIZE"], 1, spass["API_MAX_PAGE_SIZE"]
        )
        self.offset = _int_param(request, "offset", 0, 0, MAX_OFFSET)
        self.count, self.exact = matched_count(queryset, spass["API_EXACT_COUNT_LIMIT"])
        return list(queryset[self.offset : self.offset + self.limit])

    def _link(self, offset: int | None) -> str | None:
        if offset is None:
            return None
        url = replace_query_param(self.request.build_absolute_uri(), "limit", self.limit)
        if offset <= 0:
            return remove_query_param(url, "offset")
        return replace_query_param(url, "offset", offset)

    def get_paginated_response(self, data: dict[str, Any]) -> Response:
        features = data["features"]
        has_next = self.offset + len(features) < self.count or (
            not self.exact and len(features) == self.limit
        )
        return Response(
            {
                "type": "FeatureCollection",
                "numberMatched": self.count,
                "numberMatchedExact": self.exact,
                "numberReturned": len(features),
                "next": self._link(self.offset + self.limit if has_next else None),
                "previous": self._link(
                    max(self.offset - self.limit, 0) if self.offset > 0 else None
                ),
                "features": features,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "allOf": [
                schema,
                {
                    "type": "object",
                    "required": ["numberMatched", "numberMatchedExact", "numberReturned"],
                    "properties": {
                        "numberMatched": {"type": "integer"},
                        "numberMatchedExact": {"type": "boolean"},
                        "numberReturned": {"type": "integer"},
                        "next": link,
                        "previous": link,
                    },
                },
            ]
        }

    def get_schema_operation_parameters(self, view) -> list[dict[str, Any]]:
        spass = settings.SPASS
        return [
            {
                "name": "limit",
                "in": "query",
                "required": False,
                "description": "Nombre de ressources par page.",
                "schema": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": spass["API_MAX_PAGE_SIZE"],
                    "default": spass["API_PAGE_SIZE"],
                },
            },
            {
                "name": "offset",
                "in": "query",
                "required": False,
                "description": "Rang de la première ressource renvoyée.",
                "schema": {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET},
            },
        ]


class ListPagination(FeaturePagination):
    """The same ``limit``/``offset`` pages and counts as the features, as a JSON list."""

    def get_paginated_response(self, data: list[dict[str, Any]]) -> Response:
        response = super().get_paginated_response({"features": data})
        response.data["results"] = response.data.pop("features")
        del response.data["type"]
        return response

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        """The counts of :class:`FeaturePagination` around ``results``, the list itself."""
        counts = super().get_paginated_response_schema(schema)["allOf"][1]
        return {
            **counts,
            "required": [*counts["required"], "results"],
            "properties": {**counts["properties"], "results": schema},
        }
