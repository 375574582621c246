"""The activity report pages and files: parse, check who asks, call the report, render."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import shapely
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from geo import staticmap
from workgroups.errors import NotAllowed
from workgroups.models import Group
from workgroups.pages import refused
from workgroups.pagination import paginate
from workgroups.permissions import can
from workgroups.roles import Capability

from . import charts, exports, report, services

#: Missions per page of the report's list.
PER_PAGE = 25
#: Rows of the kinds × EPCI and kinds × communes tables the page shows at most (the
#: template cuts the EPCI at 50); the CSV and the spreadsheet give them all.
PAGE_ROWS = 100
PUBLIC = "publique"


def _public(request: HttpRequest) -> bool:
    return request.GET.get("version") == PUBLIC


def _prepare(request: HttpRequest, slug: str) -> tuple[Group, Any, report.Params] | HttpResponse:
    """The group, whose visibility counts, and the parameters — or the 403/400 answer."""
    group = get_object_or_404(Group, slug=slug)
    try:
        viewer = services.viewer_for(request.user, group, _public(request))
    except NotAllowed as exc:
        if request.path.endswith("/"):
            return refused(request, exc.message)
        return JsonResponse({"detail": exc.message}, status=403)
    try:
        params = report.parse(request.GET)
    except report.ReportError as exc:
        if request.path.endswith("/"):
            context = {"group": group, "errors": exc.errors, "query": request.GET}
            return render(request, "activite/rapport.html", context, status=400)
        return JsonResponse({"detail": " ".join(exc.errors.values()), **exc.errors}, status=400)
    return group, viewer, params


def _chart_data(built: report.Report) -> dict[str, Any]:
    years = [str(y) if y is not None else _("sans date") for y in built.years]
    return {
        "years": years,
        "series": [
            {"label": row["label"], "values": row["counts"]} for row in built.kind_year_rows()
        ],
        "totals": built.year_totals(),
    }


def _context(
    request: HttpRequest,
    group: Group,
    viewer: Any,
    params: report.Params,
    limit: int | None = None,
) -> dict:
    """What the page and the PDF show; ``limit`` cuts the territory tables (see
    :func:`activite.report.build`)."""
    missions = report.missions(viewer, group, params)
    built = report.build(missions, viewer, limit)
    query = params.query()
    if _public(request):
        query["version"] = PUBLIC
    suffix = ("?" + urlencode(query)) if query else ""
    return {
        "group": group,
        "params": params,
        "report": built,
        "tables": built.tables(),
        "kind_year": built.kind_year_rows(),
        "year_totals": built.year_totals(),
        "charts": _chart_data(built),
        "missions": missions,
        "public": _public(request),
        "published": services.is_published(group),
        "may_publish": can(request.user, group, Capability.VALIDATE),
        "suffix": suffix,
        "query": request.GET,
    }


def _guarded(view: Callable) -> Callable:
    def wrapper(request: HttpRequest, slug: str) -> HttpResponse:
        prepared = _prepare(request, slug)
        if isinstance(prepared, HttpResponse):
            return prepared
        return view(request, *prepared)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return require_GET(wrapper)


@_guarded
def report_page(request: HttpRequest, group: Group, viewer: Any, params) -> HttpResponse:
    """The report: tables, charts (Chart.js), choropleth (MapLibre) and the missions."""
    context = _context(request, group, viewer, params, PAGE_ROWS)
    missions = context["missions"].select_related("group").order_by("-date_start", "-id")
    context["pages"] = paginate(request, missions, per_page=PER_PAGE)
    return render(request, "activite/rapport.html", context)


@_guarded
def report_communes(request: HttpRequest, group: Group, viewer: Any, params) -> HttpResponse:
    """The choropleth's data: the communes concerned and their missions, as GeoJSON (read
    by the page's map after it is shown: the page itself stays light), PostgreSQL's text as
    it is."""
    geojson = report.communes_geojson_text(report.missions(viewer, group, params))
    return HttpResponse(geojson, content_type="application/json")


def _filename(group: Group, ext: str) -> str:
    return f"rapport-activite-{group.slug}.{ext}"


@_guarded
def report_csv(request: HttpRequest, group: Group, viewer: Any, params) -> HttpResponse:
    """The report's tables as CSV (UTF-8 with BOM, ``;``)."""
    built = report.build(report.missions(viewer, group, params), viewer)
    response = HttpResponse("\ufeff" + exports.to_csv(built), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{_filename(group, "csv")}"'
    return response


@_guarded
def report_ods(request: HttpRequest, group: Group, viewer: Any, params) -> HttpResponse:
    """The report's tables as an OpenDocument spreadsheet, one sheet per table."""
    built = report.build(report.missions(viewer, group, params), viewer)
    response = HttpResponse(
        exports.to_ods(built), content_type="application/vnd.oasis.opendocument.spreadsheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(group, "ods")}"'
    return response


def _map_png(geojson: dict[str, Any]) -> bytes:
    """The choropleth as a PNG (geo.staticmap): five classes of missions per commune."""
    features = geojson.get("features") or []
    top = max((f["properties"]["missions"] for f in features), default=0)
    drawn = []
    for feature in features:
        share = feature["properties"]["missions"] / top if top else 0
        colour = CLASSES[min(int(share * len(CLASSES)), len(CLASSES) - 1)]
        drawn.append(
            staticmap.Feature(
                shapely.geometry.shape(feature["geometry"]),
                staticmap.Style(fill=colour, stroke="#555555", stroke_width=0.5, opacity=0.85),
            )
        )
    return staticmap.render_png(drawn, width=900, height=560, underlay=staticmap.outlines)


#: Colours of the choropleth, few missions to many (the page's legend says the same).
CLASSES = ("#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c")


@_guarded
def report_pdf(request: HttpRequest, group: Group, viewer: Any, params) -> HttpResponse:
    """The whole report as PDF: tables, charts as SVG, the map as a PNG, first missions."""
    context = _context(request, group, viewer, params)
    charts_data = context["charts"]
    context["bar_svg"] = charts.stacked_bars(
        _("Missions par type et par année"),
        charts_data["years"],
        [(s["label"], s["values"]) for s in charts_data["series"]],
    )
    context["line_svg"] = charts.line(
        _("Missions par année"), charts_data["years"], charts_data["totals"], _("Missions")
    )
    context["first_missions"] = list(
        context["missions"].order_by("-date_start", "-id")[: PER_PAGE * 4]
    )
    png = _map_png(report.communes_geojson(context["missions"]))
    data = exports.to_pdf(context, png, request.build_absolute_uri("/"))
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_filename(group, "pdf")}"'
    return response


@login_required
@require_POST
def publish(request: HttpRequest, slug: str) -> HttpResponse:
    """An animateur publishes (``publier=1``) or withdraws the public version."""
    group = get_object_or_404(Group, slug=slug)
    published = request.POST.get("publier") == "1"
    try:
        services.set_published(request.user, group, published)
    except NotAllowed as exc:
        return refused(request, exc.message)
    messages.success(
        request,
        _("Le rapport d'activité public est publié.")
        if published
        else _("Le rapport d'activité public n'est plus publié."),
    )
    return redirect(reverse("activite:report", args=[group.slug]) + "?version=" + PUBLIC)


def chart_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False)
