"""Resource pages: view, add (« + Ajouter »), edit, delete, validate, review, files.

Views parse, call the services and render. What a person may see always comes from
``Resource.objects.visible_to(user)``: anything else is a 404, so private resources do not
even reveal that they exist.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workgroups.errors import SpassError
from workgroups.permissions import can
from workgroups.roles import Capability
from workgroups.sharing import may_validate

from . import services
from .attachments import create_with_files, detach, max_upload_bytes, update_with_files
from .forms import ResourceForm, StartForm, contributor_groups, kind_choices_by_base
from .kinds import BASE_OF_KIND, Kind
from .models import Attachment, Resource
from .permissions import can_edit, can_review
from .schemas import KIND_SCHEMAS


def _visible(request: HttpRequest, pk: int) -> Resource:
    return get_object_or_404(
        Resource.objects.visible_to(request.user).select_related("group", "author"), pk=pk
    )


def _editable(request: HttpRequest, pk: int) -> Resource:
    return get_object_or_404(
        Resource.objects.editable_by(request.user).select_related("group"), pk=pk
    )


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    resource = _visible(request, pk)
    user = request.user
    schema = KIND_SCHEMAS.get(resource.kind, {}).get("properties", {})
    attributes = [
        (schema.get(name, {}).get("title", name), value)
        for name, value in resource.attributes.items()
        if value not in (None, "")
    ]
    member = can(user, resource.group, Capability.VIEW)
    context = {
        "resource": resource,
        "attributes": attributes,
        "links": Resource.objects.visible_to(user).filter(linked_from=resource),
        "linked_from": Resource.objects.visible_to(user).filter(links=resource),
        "attachments": resource.attachments.all(),
        "reviews": resource.reviews.select_related("author") if member else [],
        "member": member,
        "may_edit": can_edit(user, resource),
        "may_validate": may_validate(user, resource),
        "may_review": can_review(user, resource),
    }
    return render(request, "observatoire/detail.html", context)


def attachment_file(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    """Serve a file only to those who see its resource."""
    resource = _visible(request, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_id, resource=resource)
    return FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        filename=attachment.name,
        as_attachment=attachment.category == Attachment.Category.DOCUMENT,
    )


def _linked(request: HttpRequest, form: ResourceForm) -> list[Resource]:
    """The resources the form links (posted, else initial), those the person may see."""
    if "links" not in form.fields:
        return []
    if form.is_bound:
        raw = request.POST.getlist("links")
        ids = [int(v) for v in raw if v.isdigit()]
    else:
        ids = form.initial.get("links", [])
    return list(Resource.objects.visible_to(request.user).filter(pk__in=ids).order_by("title"))


def _service_fields(request: HttpRequest, fields: dict) -> dict:
    """The form's fields for the services: linked ids → resources the person may see."""
    if "links" in fields:
        fields["links"] = services.linkable(request.user, fields["links"])
    return fields


def _form_context(form: ResourceForm, request: HttpRequest | None = None, **extra) -> dict:
    kind = form.kind
    return {
        "linked": _linked(request, form) if request is not None else [],
        "form": form,
        "kind": kind,
        "base": BASE_OF_KIND.get(kind, ""),
        "kind_label": Kind(kind).label,
        "max_upload_bytes": max_upload_bytes(),
        **extra,
    }


@login_required
def create(request: HttpRequest) -> HttpResponse:
    """« + Ajouter »: step 1 chooses the group and kind (GET), step 2 is the resource form."""
    user = request.user
    groups = contributor_groups(user)
    start = StartForm(user, request.GET or None)
    if not groups.exists():
        return render(request, "observatoire/start.html", {"no_group": True}, status=403)
    if not start.is_valid():
        status = 400 if request.GET else 200
        return render(
            request,
            "observatoire/start.html",
            {"start": start, "bases": kind_choices_by_base()},
            status=status,
        )
    group, kind = start.cleaned_data["groupe"], start.cleaned_data["type"]
    form = ResourceForm(kind, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            resource = create_with_files(
                user,
                group,
                kind=kind,
                level=form.cleaned_data["level"],
                files=form.cleaned_data["files"],
                **_service_fields(request, form.resource_fields()),
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        except SpassError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("La ressource « %(t)s » a été créée.") % {"t": resource})
            return redirect("observatoire:detail", pk=resource.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "observatoire/form.html",
        _form_context(form, request, group=group),
        status=status,
    )


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    resource = _editable(request, pk)
    is_author = resource.author_id == request.user.pk
    initial = ResourceForm.initial_from(resource)
    initial["links"] = list(
        Resource.objects.visible_to(request.user)
        .filter(linked_from=resource)
        .values_list("pk", flat=True)
    )
    form = ResourceForm(
        resource.kind,
        request.POST or None,
        request.FILES or None,
        initial=initial,
        with_level=is_author,
    )
    if request.method == "POST" and form.is_valid():
        changes = form.resource_fields(previous=resource.attributes)
        if is_author:
            changes["level"] = form.cleaned_data["level"]
        try:
            changes = _service_fields(request, changes)
            update_with_files(request.user, resource, files=form.cleaned_data["files"], **changes)
        except ValidationError as exc:
            resource.refresh_from_db()
            form.add_service_errors(exc)
        except SpassError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Modifications enregistrées."))
            return redirect("observatoire:detail", pk=resource.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "observatoire/form.html",
        _form_context(form, request, group=resource.group, resource=resource),
        status=status,
    )


@login_required
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    resource = _editable(request, pk)
    if request.method == "POST":
        services.delete_resource(request.user, resource)
        messages.success(request, _("La ressource a été supprimée."))
        return redirect("observatoire:my-space")
    return render(request, "observatoire/delete.html", {"resource": resource})


@login_required
@require_POST
def delete_attachment(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    resource = _editable(request, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_id, resource=resource)
    detach(request.user, attachment)
    messages.success(request, _("Le fichier a été retiré."))
    return redirect("observatoire:edit", pk=pk)


@login_required
@require_POST
def validate(request: HttpRequest, pk: int) -> HttpResponse:
    resource = _visible(request, pk)
    try:
        services.validate(request.user, resource)
    except SpassError as exc:
        messages.error(request, exc.message)
        return redirect("observatoire:detail", pk=pk)
    messages.success(request, _("Ressource validée : elle est maintenant diffusée."))
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return redirect(next_url)
    return redirect("observatoire:detail", pk=pk)


@login_required
@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    resource = _visible(request, pk)
    try:
        services.review(request.user, resource, request.POST.get("comment", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except SpassError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Relecture enregistrée."))
    return redirect("observatoire:detail", pk=pk)
