"""``/exports/{collection}.{format}?filter=…``: exactly the filtered, visible features."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from observatoire.cql import FilterError
from workgroups.edge import allow_any_origin, feed_error, feed_response, person_or_401

from .formats import FORMATS, ExportRequest
from .services import collection_names, filtered_resources, max_file_features

CRS_CHOICES = {"4326": 4326, "2154": 2154, "EPSG:4326": 4326, "EPSG:2154": 2154}


@require_GET
def export(request: HttpRequest, collection: str, fmt: str) -> HttpResponse:
    """Download a collection in ``fmt``; ``filter`` (CQL2 text) and ``crs`` (4326/2154)."""
    spec = FORMATS[fmt]
    who, failure = person_or_401(request)
    if failure:
        return allow_any_origin(failure)
    user = who.user
    if collection not in collection_names():
        return feed_error(404, _("Collection inconnue : « %(name)s ».") % {"name": collection})
    crs = request.GET.get("crs", "4326")
    if crs not in CRS_CHOICES or (CRS_CHOICES[crs] != 4326 and not spec.crs_choice):
        return feed_error(
            400,
            _("Paramètre « crs » invalide : %(crs)s (possibles : %(choices)s).")
            % {"crs": crs, "choices": "4326, 2154" if spec.crs_choice else "4326"},
        )
    try:
        queryset = filtered_resources(user, collection, request.GET.get("filter", ""))
    except FilterError as exc:
        return feed_error(400, _("Paramètre « filter » : %(message)s") % {"message": exc.message})
    if not spec.streamed and queryset.count() > max_file_features():
        return feed_error(
            413,
            _(
                "Trop d'objets pour ce format (plus de %(max)d) : affinez le "
                "paramètre « filter » ou choisissez GeoJSON ou CSV."
            )
            % {"max": max_file_features()},
            "ResultTooLarge",
        )
    req = ExportRequest(
        queryset, request.build_absolute_uri("/").rstrip("/"), collection, CRS_CHOICES[crs]
    )
    if spec.streamed:
        response: HttpResponse = StreamingHttpResponse(
            spec.writer(req), content_type=spec.media_type
        )
    else:
        response = HttpResponse(spec.writer(req), content_type=spec.media_type)
    response["Content-Disposition"] = f'attachment; filename="{collection}.{fmt}"'
    return feed_response(response, who)
