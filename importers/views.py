"""The report of an import, downloadable as CSV by whoever may see it."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from workgroups.permissions import can
from workgroups.roles import Capability

from .base import Issue
from .engine import write_report_csv
from .models import ImportJob


def can_see_job(user, job: ImportJob) -> bool:
    """Staff, the person who ran it, and the animateurs of its group; a draft, its uploader."""
    if not user.is_authenticated:
        return False
    if job.status == ImportJob.Status.DRAFT:  # an upload still being mapped: its uploader's
        return job.created_by_id == user.pk
    if user.is_staff or job.created_by_id == user.pk:
        return True
    return job.group is not None and can(user, job.group, Capability.VALIDATE)


def job_for(user, pk: int) -> ImportJob:
    """The job, for whoever may see it; 404 for the others, as for an unknown one."""
    job = ImportJob.objects.select_related("group", "created_by", "undone_by").filter(pk=pk).first()
    if job is None or not can_see_job(user, job):
        raise Http404(_("Import inconnu."))
    return job


@require_GET
def report_csv(request: HttpRequest, pk: int) -> HttpResponse:
    job = job_for(request.user, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-rapport.csv"'
    issues = (
        Issue(i.row, i.source_id, i.field, i.level, i.message)
        for i in job.issues.order_by("row", "id")
    )
    write_report_csv(job, issues, response)
    return response
