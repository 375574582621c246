"""The « Accrocher à… » form of the resource and map pages: one POST, then back to the item."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workgroups.errors import NotAllowed
from workgroups.models import Group

from . import services


@require_POST
@login_required
def pin(request: HttpRequest) -> HttpResponse:
    resource = request.POST.get("resource", "")
    map_slug = request.POST.get("map", "")
    if bool(resource) == bool(map_slug) or (resource and not resource.isdigit()):
        return HttpResponseBadRequest(_("Indiquez une ressource ou une carte."))
    group = get_object_or_404(Group, slug=request.POST.get("group", ""))
    # Http404 from the service when the person does not see the item: nothing written
    try:
        _pin, created = services.pin(
            request.user,
            group,
            resource_id=int(resource) if resource else None,
            map_slug=map_slug or None,
        )
    except NotAllowed as error:
        messages.error(request, error.message)
        created = None
    if created is True:
        messages.success(request, _("Accroché au portail de « %s ».") % group.name)
    elif created is False:
        messages.info(request, _("Déjà accroché au portail de « %s ».") % group.name)
    if resource:
        return redirect(reverse("observatoire:detail", args=[int(resource)]))
    return redirect(reverse("layers:viewer", args=[map_slug]))


@require_POST
@login_required
def unpin(request: HttpRequest, pk: int) -> HttpResponse:
    """« Retirer » in a portal's « Accrochés » block: the pinner or an animateur of the group."""
    pin = get_object_or_404(services.visible_pins(request.user).select_related("group"), pk=pk)
    try:
        services.unpin(request.user, pin)
    except NotAllowed as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Retiré du portail de « %s ».") % pin.group.name)
    return redirect(_back_to(request, pin.group))


def _back_to(request: HttpRequest, group: Group) -> str:
    """The page the form was on when it is one of this site's, else the group's page."""
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return target
    return reverse("workgroups:group", args=[group.slug])
