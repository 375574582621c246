"""``/api/v1/imports/…``: the three steps of a web import (upload, preview, run) and the
job's state. Thin over ``importers.drafts``; the page and scripts use these same answers."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from workgroups.api.authentication import PersonalResponseMixin

from .. import drafts
from ..files import ImportFileError
from ..mapping import MappingError
from ..models import ImportJob
from ..views import can_see_job
from ..web import UploadTooLarge, max_upload_bytes, too_large_message
from .serializers import (
    PreviewSerializer,
    RunSerializer,
    UploadSerializer,
    draft_data,
    job_data,
)


class ImportAPIView(PersonalResponseMixin, APIView):
    """Signed-in people only (401 otherwise); a refused file is a 400 naming it, an oversized
    one a 413."""

    permission_classes = [IsAuthenticated]

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, UploadTooLarge):
            return Response({"detail": too_large_message()}, status=413)
        if isinstance(exc, ImportFileError | MappingError):
            return Response({"detail": exc.message}, status=status.HTTP_400_BAD_REQUEST)
        return super().handle_exception(exc)

    def draft(self, pk: int) -> ImportJob:
        """The caller's own draft; anyone else's is unknown (404), not forbidden."""
        job = drafts.drafts_of(self.request.user).filter(pk=pk).first()
        if job is None:
            raise Http404(_("Import inconnu."))
        return job


class ImportUploadView(ImportAPIView):
    parser_classes = [MultiPartParser]

    @extend_schema(request={"multipart/form-data": UploadSerializer}, responses=OpenApiTypes.OBJECT)
    def post(self, request: Request) -> Response:
        """Upload a geodata file (GeoPackage, zipped Shapefile, GeoJSON, CSV…): its layers,
        CRS, columns with sample values and the suggested mapping."""
        if int(request.META.get("CONTENT_LENGTH") or 0) > max_upload_bytes() + 64 * 1024:
            raise UploadTooLarge
        data = UploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        job, layout = drafts.upload(request.user, data.validated_data["file"])
        body = draft_data(job, layout, *drafts.suggestions(request.user, layout))
        return Response(body, status=status.HTTP_201_CREATED)


class ImportDetailView(ImportAPIView):
    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, pk: int) -> Response:
        """State, progress and counts of an import; for one's own draft, also what the file
        holds (``?layer=`` for another layer)."""
        job = ImportJob.objects.select_related("group").filter(pk=pk).first()
        if job is None or not can_see_job(request.user, job):
            raise Http404(_("Import inconnu."))
        if job.status != ImportJob.Status.DRAFT:
            return Response(job_data(job))
        layout = drafts.inspect(job, request.query_params.get("layer") or None)
        return Response(draft_data(job, layout, *drafts.suggestions(request.user, layout)))


class ImportPreviewView(ImportAPIView):
    @extend_schema(parameters=[PreviewSerializer], responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, pk: int) -> Response:
        """The rows as they will be created (the first 20, lon/lat GeoJSON geometries) and
        the rejected ones with their reasons, for ``?mapping=<json>&kind=&layer=&crs=``."""
        job = self.draft(pk)
        query = PreviewSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        choices: dict[str, Any] = dict(query.validated_data)
        layer, srid = choices["layer"] or None, choices["crs"]
        mapping = choices.get("mapping")
        if mapping is None:
            mapping = drafts.suggestions(request.user, drafts.inspect(job, layer))[0]
        result = drafts.preview(job, kind=choices["kind"], layer=layer, srid=srid, mapping=mapping)
        return Response(
            {
                "read": result.read,
                "accepted": result.accepted,
                "rejected_count": result.rejected_count,
                "rows": result.rows,
                "rejected": result.rejected,
                "file_warnings": result.file_warnings,
            }
        )


class ImportRunView(ImportAPIView):
    @extend_schema(request=RunSerializer, responses={202: OpenApiTypes.OBJECT})
    def post(self, request: Request, pk: int) -> Response:
        """Queue the import of one's draft with the chosen mapping; follow it at
        ``/api/v1/imports/<id>/`` (or its page ``/imports/<id>/``)."""
        job = self.draft(pk)
        body = RunSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        choices = drafts.RunChoices(
            group=data["group"],
            kind=data["kind"],
            mapping=data.get("mapping"),
            layer=data["layer"] or None,
            srid=data["crs"],
            profile=data["profile"],
            level=data["level"],
            validate=data["validate"],
            dry_run=data["dry_run"],
        )
        job = drafts.run(request.user, job, choices)
        return Response(job_data(job), status=status.HTTP_202_ACCEPTED)
