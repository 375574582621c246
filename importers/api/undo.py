"""``/api/v1/imports/<id>/undo/``: the undo of an import over HTTP; ``importers.undo`` decides.

Who may not see the job gets 404, as for an unknown one; who sees it without being an animateur
of its group gets 403; a refused undo (rows edited since, already undone) answers 409 with the
rows in the way.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from workgroups.api.authentication import PersonalResponseMixin

from ..undo import UndoRefused, undo_import
from ..views import job_for

_Done = inline_serializer(
    "ImportUndone", {"deleted": serializers.IntegerField(), "restored": serializers.IntegerField()}
)
_Refused = inline_serializer(
    "ImportUndoRefused",
    {
        "detail": serializers.CharField(),
        "edited": serializers.ListField(child=serializers.DictField()),
    },
)


class UndoView(PersonalResponseMixin, APIView):
    """Undo an import: its created rows deleted, its updated rows restored, all or nothing."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={200: _Done, 409: _Refused})
    def post(self, request: Request, pk: int) -> Response:
        job = job_for(request.user, pk)
        try:
            plan = undo_import(request.user, job)
        except UndoRefused as exc:
            return Response(
                {"detail": exc.message, "edited": exc.edited}, status=status.HTTP_409_CONFLICT
            )
        return Response({"deleted": plan.deleted, "restored": plan.restored})
