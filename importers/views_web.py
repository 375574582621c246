"""Web import pages: the upload form, the job page and its JSON state (polled by the page),
the undo's confirmation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from workgroups.errors import NotAllowed
from workgroups.pagination import paginate
from workgroups.permissions import can
from workgroups.progress import progress_state
from workgroups.roles import Capability

from .files import ImportFileError
from .forms import WebImportForm
from .models import ImportJob
from .undo import UndoRefused, plan_undo, undo_import
from .views import job_for
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


# The counters of a job, in the order the admin and the progress JSON show them.
COUNTERS = ("read", "created", "updated", "unchanged", "rejected", "warnings")


def job_state(job: ImportJob) -> dict:
    return {
        **progress_state(job, job.read, unknown=None),
        **{name: getattr(job, name) for name in (*COUNTERS, "conflicts")},
    }


@require_GET
def job_page(request: HttpRequest, pk: int) -> HttpResponse:
    job = job_for(request.user, pk)
    context = {
        "job": job,
        "state": job_state(job),
        "issues": job.issues.all()[:500],
        # the button leads to the confirmation page, which says whether the undo is possible
        "may_undo": job.status == ImportJob.Status.SUCCEEDED
        and not job.dry_run
        and job.group is not None
        and can(request.user, job.group, Capability.VALIDATE),
    }
    return render(request, "importers/job.html", context)


@login_required
def undo_page(request: HttpRequest, pk: int) -> HttpResponse:
    """« Annuler cet import »: GET says what the undo will do (or why it cannot), POST does it."""
    job = job_for(request.user, pk)
    context: dict = {"job": job}
    try:
        if request.method == "POST":
            plan = undo_import(request.user, job)
            messages.success(
                request,
                _(
                    "Import annulé : %(deleted)s ressource(s) créée(s) supprimée(s), "
                    "%(restored)s mise(s) à jour restaurée(s)."
                )
                % {"deleted": plan.deleted, "restored": plan.restored},
            )
            return redirect("importers:job", pk=job.pk)
        context["plan"] = plan_undo(request.user, job)
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from None
    except UndoRefused as exc:
        context.update(refusal=exc.message, edited=exc.edited)
        return render(request, "importers/undo.html", context, status=409)
    return render(request, "importers/undo.html", context)


@require_GET
def job_json(request: HttpRequest, pk: int) -> JsonResponse:
    response = JsonResponse(job_state(job_for(request.user, pk)))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    """The imports one may follow, newest first, 25 a page."""
    pages = paginate(request, visible_jobs(request.user).select_related("group", "created_by"))
    return render(request, "importers/job_list.html", {"pages": pages})
