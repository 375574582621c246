"""The « Historique » tab of a resource and the audit page of a group (thin views over
:mod:`.services` and :mod:`.audit`)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workgroups.errors import NotAllowed
from workgroups.models import Group
from workgroups.pagination import paginate

from . import audit, services

PAGE = 10


def _geometries(versions: list[services.Version]) -> dict[str, dict]:
    """Before/after GeoJSON of each version that moved the geometry, by version id."""
    out = {}
    for version in versions:
        for change in version.changes:
            if change.is_geometry:
                out[str(version.id)] = {
                    "before": json.loads(change.before.geojson) if change.before else None,
                    "after": json.loads(change.after.geojson) if change.after else None,
                }
    return out


def resource_history(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        resource = services.resource_for_history(request.user, pk)
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    pages = paginate(request, services.versions_of(resource), per_page=PAGE)
    versions = services.page_of_versions(resource, list(pages.rows))
    return render(
        request,
        "history/resource.html",
        {
            "resource": resource,
            "pages": pages,
            "versions": versions,
            "geometries": _geometries(versions),
            "may_restore": services.may_restore(request.user, resource),
        },
    )


@login_required
@require_POST
def restore(request: HttpRequest, pk: int, version: int) -> HttpResponse:
    try:
        resource = services.resource_for_history(request.user, pk)
        services.restore(request.user, resource, version)
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("history:resource", pk)
    messages.success(
        request,
        _("La version n° %(v)s est restaurée : c'est la nouvelle version.") % {"v": version},
    )
    return redirect("history:resource", pk)


@login_required
def group_audit(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(Group, slug=slug)
    if not audit.may_read(request.user, group):
        raise PermissionDenied(_("Le journal du groupe est réservé à ses animateurs."))
    pages = paginate(request, audit.entries(request.user, group), per_page=25)
    return render(
        request,
        "history/audit.html",
        {"group": group, "pages": pages, "entries": audit.described(list(pages.rows))},
    )
