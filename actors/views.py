"""Pages of the directory: ``/acteurs/`` (search, filters, map and list), a profile, its
vCard, the create and edit forms, the map's GeoJSON, the territory suggestions and the
credits of resources. Every read starts from ``visible_to(user)``; views parse and render,
the services decide."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from observatoire.models import Resource
from publications.models import Carnet
from workgroups.errors import NotAllowed
from workgroups.markdown import render_markdown
from workgroups.pagination import paginate

from . import directory, services, territories, vcard
from .forms import ExperienceFormSet, ProfileForm, attach_errors, experience_initial
from .models import Context, Credit, Kind, Profile

#: Experiences drawn on the directory's map at most (the list pages through profiles).
MAP_MAX = 2000


def _visible_profile(request: HttpRequest, slug: str) -> Profile:
    return get_object_or_404(
        Profile.objects.visible_to(request.user).select_related("group", "created_by"), slug=slug
    )


@require_GET
def directory_page(request: HttpRequest) -> HttpResponse:
    filters, errors = directory.parse(request.GET)
    qs = directory.profiles(request.user, filters) if not errors else Profile.objects.none()
    pages = paginate(request, qs, per_page=20)
    context = {
        "pages": pages,
        "filters": filters,
        "errors": errors,
        "kinds": Kind.choices,
        "contexts": Context.choices,
        "commune_value": request.GET.get("commune", ""),
        "map_query": request.GET.urlencode(),
        "may_create": request.user.is_authenticated,
    }
    return render(request, "actors/directory.html", context, status=400 if errors else 200)


@require_GET
def experiences_geojson(request: HttpRequest) -> HttpResponse:
    """The directory's map: visible experiences of the filtered profiles, as GeoJSON."""
    filters, errors = directory.parse(request.GET)
    if errors:
        return JsonResponse({"detail": " ".join(errors.values()), "errors": errors}, status=400)
    features = [
        {
            "type": "Feature",
            "id": e.pk,
            "geometry": {
                "type": "Point",
                "coordinates": [round(e.place.x, 6), round(e.place.y, 6)],
            },
            "properties": {
                "title": e.title,
                "client": e.client,
                "years": e.years,
                "profile": e.profile.name,
                "url": f"/acteurs/{e.profile.slug}/#experience-{e.pk}",
            },
        }
        for e in directory.experiences(request.user, filters)[:MAP_MAX]
    ]
    response = HttpResponse(
        json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False),
        content_type="application/geo+json",
    )
    if request.user.is_authenticated:
        response["Cache-Control"] = "private"
    response["Vary"] = "Cookie"
    return response


@require_GET
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    profile = _visible_profile(request, slug)
    experiences = list(profile.experiences.prefetch_related("photos")[:100])
    visible_resources = Resource.objects.visible_to(request.user)
    for e in experiences:
        e.html = render_markdown(e.text, shift_headings=2)  # under the experience's <h3>
        e.shown_resources = list(
            visible_resources.filter(actor_experiences=e).only("id", "title")[:20]
        )
    places = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [e.place.x, e.place.y]},
            "properties": {"title": e.title, "anchor": f"experience-{e.pk}"},
        }
        for e in experiences
        if e.place
    ]
    credits = list(
        Credit.objects.filter(profile=profile, resource__in=visible_resources)
        .select_related("resource")
        .order_by("role", "resource__title")[:50]
    )
    carnet_credits = list(
        Credit.objects.filter(profile=profile, carnet__in=Carnet.objects.visible_to(request.user))
        .select_related("carnet")
        .order_by("role", "carnet__title")[:50]
    )
    context = {
        "profile": profile,
        "services_html": render_markdown(profile.services, shift_headings=1),  # under <h2>
        "about_html": render_markdown(profile.about, shift_headings=1),
        "experiences": experiences,
        "places": json.dumps({"type": "FeatureCollection", "features": places}),
        "territory": profile.territory.json if profile.territory else "",
        "territory_labels": territories.labels(profile.territory_codes),
        "contact": profile.contact_visible_to(request.user),
        "credits": credits,
        "carnet_credits": carnet_credits,
        "may_edit": services.may_edit(request.user, profile),
    }
    return render(request, "actors/detail.html", context)


@require_GET
def vcard_download(request: HttpRequest, slug: str) -> HttpResponse:
    profile = _visible_profile(request, slug)
    text = vcard.of(profile, request.user, request.build_absolute_uri(f"/acteurs/{slug}/"))
    response = HttpResponse(text, content_type="text/vcard; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{profile.slug}.vcf"'
    if request.user.is_authenticated:
        response["Cache-Control"] = "private"
    return response


def _form_page(request: HttpRequest, profile: Profile | None) -> HttpResponse:
    initial = experience_initial(profile) if profile else []
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES, user=request.user, profile=profile)
        formset = ExperienceFormSet(request.POST, request.FILES, prefix="exp", initial=initial)
        if form.is_valid() and formset.is_valid():
            indexes, items = [], []
            for i, sub in enumerate(formset.forms):
                if sub.has_changed() and sub.has_content():
                    indexes.append(i)
                    items.append(sub.to_input())
            try:
                data = form.to_input(items)
                with transaction.atomic():
                    if profile is None:
                        saved = services.create_profile(request.user, data)
                    else:
                        saved = services.update_profile(request.user, profile, data)
                return redirect("actors:detail", saved.slug)
            except ValidationError as exc:
                attach_errors(exc, form, formset, indexes)
    else:
        form = ProfileForm(user=request.user, profile=profile)
        formset = ExperienceFormSet(prefix="exp", initial=initial)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "formset": formset, "profile": profile}
    return render(request, "actors/form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    return _form_page(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    profile = _visible_profile(request, slug)
    if not services.may_edit(request.user, profile):
        return render(request, "actors/forbidden.html", {"profile": profile}, status=403)
    return _form_page(request, profile)


@login_required
@require_POST
def delete(request: HttpRequest, slug: str) -> HttpResponse:
    profile = _visible_profile(request, slug)
    try:
        services.delete_profile(request.user, profile)
    except NotAllowed:
        return render(request, "actors/forbidden.html", {"profile": profile}, status=403)
    return redirect("actors:directory")


@require_GET
def territory_suggestions(request: HttpRequest) -> JsonResponse:
    """Names for the chooser: départements and communes (``?communes=1``: communes only)."""
    text = request.GET.get("q", "")[:100]
    found = territories.suggestions(text)
    if request.GET.get("communes"):
        found = [s for s in found if len(s.rsplit("(", 1)[-1].rstrip(")")) == 5]
    return JsonResponse({"suggestions": found})


def _credit(request: HttpRequest, item: Resource | Carnet, back: str) -> HttpResponse:
    try:
        services.add_credit(
            request.user,
            item,
            request.POST.get("profile", "").strip(),
            request.POST.get("role", ""),
        )
    except NotAllowed as exc:
        return HttpResponse(exc.message, status=403)
    except ValidationError as exc:
        messages = [m for ms in exc.message_dict.values() for m in ms]
        return render(
            request,
            "actors/credit_error.html",
            {"back": back, "title": item.title, "messages": messages},
            status=400,
        )
    return redirect(back)


@login_required
@require_POST
def add_credit(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource = get_object_or_404(Resource.objects.visible_to(request.user), pk=resource_id)
    return _credit(request, resource, reverse("observatoire:detail", args=[resource.pk]))


@login_required
@require_POST
def add_carnet_credit(request: HttpRequest, carnet_id: int) -> HttpResponse:
    carnet = get_object_or_404(Carnet.objects.visible_to(request.user), pk=carnet_id)
    return _credit(request, carnet, reverse("publications:detail", args=[carnet.slug]))


@login_required
@require_POST
def remove_credit(request: HttpRequest, credit_id: int) -> HttpResponse:
    credit = get_object_or_404(Credit.objects.visible_to(request.user), pk=credit_id)
    item = credit.resource or credit.carnet
    if not type(item).objects.visible_to(request.user).filter(pk=item.pk).exists():
        raise Http404
    try:
        services.remove_credit(request.user, credit)
    except NotAllowed:
        return HttpResponse(_("Vous ne pouvez pas retirer ce crédit."), status=403)
    if credit.carnet_id:
        return redirect("publications:detail", credit.carnet.slug)
    return redirect("observatoire:detail", credit.resource_id)
