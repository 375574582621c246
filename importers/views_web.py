"""Web import pages: the upload form, the job page and its JSON state (polled by the page),
running an interrupted import again."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from workgroups.pagination import paginate
from workgroups.progress import progress_state

from .files import ImportFileError
from .forms import WebImportForm
from .interruptions import ACTIVE, NotRerunnable, command_line, mark_interrupted, rerun_web_import
from .models import ImportJob
from .views import can_see_job
from .web import (
    UploadTooLarge,
    check_file,
    importable_groups,
    max_upload_bytes,
    may_import,
    queue_import,
    too_large_message,
    visible_jobs,
)


def _too_large(request: HttpRequest) -> HttpResponse:
    return render(request, "importers/too_large.html", {"message": too_large_message()}, status=413)


@login_required
def new_import(request: HttpRequest) -> HttpResponse:
    """Upload a file for one of the groups one animates; the import is queued, not run here."""
    if not importable_groups(request.user).exists():
        raise PermissionDenied(_("Seuls les animateurs d'un groupe peuvent importer."))
    if request.method == "POST":
        # refuse an oversized body before Django reads it
        if int(request.META.get("CONTENT_LENGTH") or 0) > max_upload_bytes() + 64 * 1024:
            return _too_large(request)
        form = WebImportForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            if not may_import(request.user, data["group"]):
                raise PermissionDenied
            try:
                check_file(data["file"], data["source"])
            except UploadTooLarge:
                return _too_large(request)
            except ImportFileError as exc:
                form.add_error("file", exc.message)
            else:
                job = queue_import(
                    request.user, data["group"], data["source"], data["file"], form.options()
                )
                return redirect("importers:job", pk=job.pk)
        status = 400
    else:
        form = WebImportForm(
            user=request.user, initial={"group": request.GET.get("groupe") or None}
        )
        status = 200
    return render(
        request,
        "importers/new.html",
        {"form": form, "max_mb": round(max_upload_bytes() / (1024 * 1024), 1)},
        status=status,
    )


def _job(request: HttpRequest, pk: int) -> ImportJob:
    """The job ``pk`` if the user may see it; a running one is first checked for a dead process."""
    jobs = ImportJob.objects.select_related("group", "created_by").filter(pk=pk)
    job = jobs.first()
    if job is None or not can_see_job(request.user, job):
        raise Http404(_("Import inconnu."))
    if job.status in ACTIVE:
        mark_interrupted()
        job = jobs.get()
    return job


# The counters of a job, in the order the admin and the progress JSON show them.
COUNTERS = ("read", "created", "updated", "unchanged", "rejected", "warnings")


def job_state(job: ImportJob) -> dict:
    return {
        **progress_state(job, job.read, unknown=None),
        **{name: getattr(job, name) for name in (*COUNTERS, "conflicts")},
        "finished_at": job.finished_at,
    }


def _render_job(
    request: HttpRequest, job: ImportJob, rerun_error: str = "", status: int = 200
) -> HttpResponse:
    context = {
        "job": job,
        "state": job_state(job),
        "issues": job.issues.all()[:500],
        "can_rerun": job.status == ImportJob.Status.INTERRUPTED
        and job.options.get("web")
        and job.group is not None
        and may_import(request.user, job.group),
        "command": command_line(job),
        "rerun_error": rerun_error,
    }
    return render(request, "importers/job.html", context, status=status)


@require_GET
def job_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_job(request, _job(request, pk))


@require_POST
def rerun_job(request: HttpRequest, pk: int) -> HttpResponse:
    """Run an interrupted web import again: whoever may start it in its group may."""
    job = _job(request, pk)
    if job.group is None or not may_import(request.user, job.group):
        raise PermissionDenied(_("Seuls les animateurs du groupe peuvent relancer cet import."))
    try:
        rerun_web_import(job)
    except NotRerunnable as exc:
        return _render_job(request, job, exc.message, status=409)
    return redirect("importers:job", pk=job.pk)


@require_GET
def job_json(request: HttpRequest, pk: int) -> JsonResponse:
    response = JsonResponse(job_state(_job(request, pk)))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    """The imports one may follow, newest first, 25 a page."""
    mark_interrupted()
    pages = paginate(request, visible_jobs(request.user).select_related("group", "created_by"))
    return render(request, "importers/job_list.html", {"pages": pages})
