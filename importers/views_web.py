"""Web import pages: the upload form, the job page and its JSON state (polled by the page),
running an interrupted import again, the undo's confirmation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from observatoire.kinds import Kind
from workgroups.errors import NotAllowed
from workgroups.pagination import paginate
from workgroups.permissions import can
from workgroups.roles import Capability

from .files import ImportFileError
from .forms import WebImportForm
from .interruptions import ACTIVE, NotRerunnable, command_line, mark_interrupted, rerun_web_import
from .mapping import mapping_targets
from .models import ImportJob
from .undo import UndoRefused, plan_undo, undo_import
from .views import job_for
from .web import (
    UploadTooLarge,
    check_file,
    importable_groups,
    job_state,
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
    context = {
        "form": form,
        "max_mb": round(max_upload_bytes() / (1024 * 1024), 1),
        "targets": {kind: mapping_targets(kind) for kind in Kind.values},
        # chosen on the mapping step instead (the base follows from the kind)
        "one_step_fields": ("base", "layer", "id_column"),
        "texts": page_texts(),
    }
    return render(request, "importers/new.html", context, status=status)


def page_texts() -> dict[str, str]:
    """The sentences the import page's script shows, translated here (the script has none)."""
    return {
        "send": _("Envoyer le fichier"),
        "uploading": _("Envoi et lecture du fichier…"),
        "uploaded": _("Fichier lu : associez ses colonnes, puis voyez l'aperçu."),
        "summary": _("« %(file)s » : %(n)s objets, géométrie %(type)s."),
        "detected": _("EPSG:%(code)s (indiqué par le fichier)"),
        "none_detected": _("Non indiqué par le fichier : longitude/latitude (EPSG:4326) supposé"),
        "crs_detected_help": _("Changez-le seulement si le fichier se trompe."),
        "crs_missing_help": _(
            "Le fichier ne dit pas son système : choisissez-le (Lambert-93 en métropole, "
            "UTM dans les DROM) ; un mauvais choix est signalé à l'aperçu."
        ),
        "no_profile": _("— aucun : associations reconnues d'après les noms —"),
        "target_of": _("Ce que devient la colonne « %(column)s »"),
        "attribute": _("Attribut : %(name)s"),
        "twice": _("Deux colonnes ont la même cible : corrigez-en une."),
        "previewing": _("Calcul de l'aperçu…"),
        "bilan": _("%(read)s lignes lues : %(ok)s seront créées ou mises à jour, %(ko)s rejetées."),
        "starting": _("Lancement de l'import…"),
        "more": _("et %(n)s autres"),
        "kind_needed": _("Choisissez le type de ressource à créer."),
        "unexpected": _("Erreur inattendue."),
        "job_url": reverse("importers:job", args=[0]),
    }


def _job(request: HttpRequest, pk: int) -> ImportJob:
    """The job ``pk`` if the user may see it (404 otherwise); a running one is first checked
    for a dead process."""
    job = job_for(request.user, pk)
    if job.status in ACTIVE:
        mark_interrupted()
        job = job_for(request.user, pk)
    return job


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
        # the button leads to the confirmation page, which says whether the undo is possible
        "may_undo": job.status == ImportJob.Status.SUCCEEDED
        and not job.dry_run
        and job.group is not None
        and can(request.user, job.group, Capability.VALIDATE),
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
