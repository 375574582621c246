"""The hot endpoints (``items``, ``item``) as a fast path next to pygeoapi.

pygeoapi parses ``filter`` as ECQL, silently drops unknown parameters, answers an unknown id
with a 400 and re-instantiates its provider at each call; these two endpoints therefore run
our parameter checks and call the same provider directly, then build the same document
(links, ``numberMatched``/``numberReturned``, ``timeStamp``) and formats (GeoJSON, CSV,
JSON-LD; HTML is the GeoJSON document rendered by ``ogc.html``).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from django.contrib.gis.geos import GEOSGeometry
from django.core.exceptions import ValidationError
from django.db import DataError
from django.http import QueryDict
from django.utils.translation import gettext as _
from pygeoapi import l10n
from pygeoapi.l10n import Locale
from pygeoapi.linked_data import geojson2jsonld

from observatoire.catalogue import COLLECTIONS

from . import extra
from .params import ITEM, ParameterError, check_known, parse_crs, parse_items
from .provider import ResourceProvider
from .transactions import etag_of_feature

FORMATS = ("json", "html", "csv", "jsonld")
GEOJSON = "application/geo+json"


class NotFound(LookupError):
    """A 404 with a French message."""


def check_format(negotiated: str | None) -> str:
    """The output format negotiated (``f``, then ``Accept``; None: GeoJSON), if we serve it."""
    fmt = negotiated or "json"
    if fmt not in FORMATS:
        raise ParameterError(
            "f",
            _("Paramètre f : format « %(f)s » non proposé (possibles : %(all)s).")
            % {"f": fmt, "all": ", ".join(FORMATS)},
        )
    return fmt


def provider_for(api: Any, collection_id: str, user: Any) -> ResourceProvider:
    if not extra.known(collection_id):
        raise NotFound(_("Collection inconnue : « %(id)s ».") % {"id": collection_id})
    provider_def = api.config["resources"][collection_id]["providers"][0]
    if collection_id not in COLLECTIONS:  # contributed by an app (ogc.extra)
        return extra.provider(collection_id, provider_def, user)
    return ResourceProvider(provider_def, user=user)


def page_href(url: str, params: QueryDict, **changes: Any) -> str:
    """``url`` with the request's parameters, some changed (None: removed)."""
    query = [(k, v) for k, values in params.lists() if k not in changes for v in values]
    query += [(k, v) for k, v in changes.items() if v is not None]
    return f"{url}?{urlencode(query)}" if query else url


def items_document(
    api: Any,
    negotiated: str | None,
    locale: Locale,
    params: QueryDict,
    collection_id: str,
    user: Any,
) -> tuple[dict[str, str], str | bytes]:
    """Headers and body of ``/collections/{id}/items`` in the ``negotiated`` format (see
    :func:`check_format`); raises ParameterError / NotFound."""
    provider = provider_for(api, collection_id, user)
    fmt = check_format(negotiated)
    q = parse_items(params, collection_id, provider.field_defs)
    try:
        content = provider.query(
            offset=q.offset,
            limit=q.limit,
            bbox=q.bbox,
            bbox_crs=q.bbox_crs,
            out_crs=q.crs,
            datetime_=q.datetime,
            properties=q.equals,
            sortby=q.sortby,
            select_properties=q.properties,
            skip_geometry=q.skip_geometry,
            filterq=q.filter_q,
            raw=fmt == "json",
        )
    except (DataError, ValidationError) as exc:
        # values were checked up front; what remains are literals of a CQL2 filter that the
        # database cannot compare with the property (a date that is not one…)
        raise ParameterError(
            "filter",
            _("Paramètre filter : une valeur ne convient pas au type de sa propriété (%(e)s).")
            % {"e": str(exc).splitlines()[0]},
        ) from exc
    uri = f"{api.get_collections_url()}/{collection_id}/items"
    links = [
        {
            "rel": "self" if fmt == "json" else "alternate",
            "type": GEOJSON,
            "title": l10n.translate("This document as GeoJSON", locale),
            "href": page_href(uri, params, f="json"),
        },
        {
            "rel": "self" if fmt == "html" else "alternate",
            "type": "text/html",
            "title": l10n.translate("This document as HTML", locale),
            "href": page_href(uri, params, f="html"),
        },
        {
            "rel": "collection",
            "type": "application/json",
            "title": l10n.translate(extra.title_of(collection_id), locale),
            "href": f"{api.get_collections_url()}/{collection_id}",
        },
    ]
    returned = content["numberReturned"]
    matched = content.get("numberMatched")
    more = returned == q.limit and (matched is None or q.offset + returned < matched)
    link_fmt = None if fmt == "json" else fmt
    if more:
        links.append(
            {
                "rel": "next",
                "type": GEOJSON,
                "title": _("Page suivante"),
                "href": page_href(uri, params, offset=q.offset + q.limit, f=link_fmt),
            }
        )
    if q.offset > 0:
        links.append(
            {
                "rel": "prev",
                "type": GEOJSON,
                "title": _("Page précédente"),
                "href": page_href(uri, params, offset=max(0, q.offset - q.limit), f=link_fmt),
            }
        )
    content["links"] = links
    content["timeStamp"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    headers = {"Content-Crs": q.crs.header}
    if fmt == "csv":
        return {
            **headers,
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f'attachment; filename="{collection_id}.csv"',
        }, _csv(content["features"], list(q.properties or provider.field_defs))
    if fmt == "jsonld":
        return {**headers, "Content-Type": "application/ld+json"}, geojson2jsonld(
            api, content, collection_id, id_field="id"
        )
    features = content.pop("features_text")
    content.pop("type")
    rest = json.dumps(content, ensure_ascii=False)
    body = '{"type": "FeatureCollection", "features": [' + features + "], " + rest[1:]
    return {**headers, "Content-Type": GEOJSON}, body


def item_document(
    api: Any,
    negotiated: str | None,
    locale: Locale,
    params: QueryDict,
    collection_id: str,
    feature_id: str,
    user: Any,
) -> tuple[dict[str, str], str | bytes]:
    """Headers and body of ``/collections/{id}/items/{featureId}`` in the ``negotiated``
    format."""
    provider = provider_for(api, collection_id, user)
    fmt = check_format(negotiated)
    check_known(params, ITEM)
    out_crs = parse_crs(params, "crs")
    feature = provider.get(feature_id, out_crs=out_crs)
    if feature is None:
        raise NotFound(_("Objet introuvable : « %(id)s ».") % {"id": feature_id})
    uri = f"{api.get_collections_url()}/{collection_id}/items/{feature_id}"
    feature["links"] = [
        {
            "rel": "self" if fmt == "json" else "alternate",
            "type": GEOJSON,
            "href": page_href(uri, params, f="json"),
        },
        {
            "rel": "self" if fmt == "html" else "alternate",
            "type": "text/html",
            "href": page_href(uri, params, f="html"),
        },
        {
            "rel": "collection",
            "type": "application/json",
            "href": f"{api.get_collections_url()}/{collection_id}",
        },
    ]
    headers = {"Content-Crs": out_crs.header}
    version = etag_of_feature(feature)
    if version:  # the version a PUT, PATCH or DELETE may require with If-Match
        headers["ETag"] = version
    if fmt == "csv":
        return {**headers, "Content-Type": "text/csv; charset=utf-8"}, _csv(
            [feature], list(provider.field_defs)
        )
    if fmt == "jsonld":
        return {**headers, "Content-Type": "application/ld+json"}, geojson2jsonld(
            api, feature, collection_id, uri, "id"
        )
    return {**headers, "Content-Type": GEOJSON}, json.dumps(feature, ensure_ascii=False)


def _csv(features: list[dict[str, Any]], names: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", *names, "wkt"])
    for feature in features:
        props = feature["properties"]
        geom = feature.get("geometry")
        wkt = GEOSGeometry(json.dumps(geom)).wkt if geom else ""
        writer.writerow([feature["id"], *(_cell(props.get(n)) for n in names), wkt])
    return out.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else value
