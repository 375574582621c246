"""OGC API Features views: who asks, which parameters, then pygeoapi or the fast path.

Every view resolves the person first (HTTP Basic, ``Authorization: Token``, ``?key=`` feed
key or session; wrong credentials → 401), checks the parameters (unknown → 400), runs with
``current_user`` set so the provider sees exactly ``visible_to(user)``, and marks answers
to identified requests ``Cache-Control: private``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pygeoapi.api as core_api
import pygeoapi.api.itemtypes as itemtypes_api
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from pygeoapi.api import APIRequest

from observatoire.catalogue import COLLECTIONS, visible_extents
from observatoire.fields import fields_of
from workgroups.edge import Unauthorized, error_response, mark_personal, person
from workgroups.edge.errors import reshaped

from . import extra, transactions, views_write
from . import schema as schema_mod
from .api import get_api
from .features import NotFound, item_document, items_document
from .html import Page, as_json_request, render_page
from .params import COMMON, QUERYABLES, ParameterError, check_known
from .provider import current_user

Handler = Callable[[Any, APIRequest, HttpRequest, Any], tuple[dict[str, str], Any]]

#: What every answer depends on besides the URL (who asks, format and language negotiation).
VARY = ("Authorization", "Cookie", "Accept", "Accept-Language")

#: Conformance classes pygeoapi declares for any feature provider, replaced by ours: Parts 4
#: and 5 are served by ``ogc.transactions`` and ``ogc.schema``, not by pygeoapi.
_NOT_SERVED = ("ogcapi-features-4/", "ogcapi-features-5/")
#: What we add: CQL2 filtering (``observatoire.cql``), writes (Part 4), schemas (Part 5).
_ADDED = [
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    *transactions.CONFORMANCE,
    *schema_mod.CONFORMANCE,
]


def _run(request: HttpRequest, page: Page, handler: Handler, *args: Any) -> HttpResponse:
    """Answer with ``handler``'s document; asked as HTML, the same JSON document (so the
    same checks, visibility and counts) rendered by our ``page`` template."""
    try:
        who = person(request)
    except Unauthorized as exc:
        return exc.response
    user = who.user
    api = get_api(request.build_absolute_uri(reverse("ogc:landing")).rstrip("/"))
    api_request = APIRequest.from_django(request, api.locales)
    html = api_request.format == "html"
    if html:
        as_json_request(api_request, request)
    token = current_user.set(user)
    try:
        headers, body = handler(api, api_request, request, user, *args)
        status = int(headers.pop("_status", 200))
        if html and status == 200:
            headers = {"Content-Type": "text/html; charset=utf-8"}
            body = render_page(request, page, api, api_request, user, json.loads(body), *args)
    except ParameterError as exc:
        return error_response(400, exc.message, "InvalidParameterValue")
    except NotFound as exc:
        return error_response(404, str(exc), "NotFound")
    finally:
        current_user.reset(token)
    if status >= 400:  # pygeoapi's own exception document, in the one shape
        body = reshaped(body) or body
    response = HttpResponse(body, status=status)
    for key, value in headers.items():
        response[key] = value
    return mark_personal(response, who.personal, vary=VARY)


def _pygeoapi(func: Callable, api: Any, api_request: APIRequest, *args: Any) -> tuple[dict, Any]:
    """Call one of pygeoapi's API functions; its status travels in the headers dict."""
    if api_request.format not in (None, "json", "html", "jsonld"):
        raise ParameterError(
            "f",
            _("Paramètre f : format « %(f)s » non proposé ici (possibles : json, html, jsonld).")
            % {"f": api_request.format},
        )
    headers, status, content = func(api, api_request, *args)
    headers = dict(headers)
    headers["_status"] = status
    return headers, content


def _json_content(headers: dict, content: Any) -> dict | None:
    ctype = headers.get("Content-Type", "")
    if headers.get("_status") == 200 and "json" in ctype and "ld+json" not in ctype:
        return json.loads(content)
    return None


def _landing(api, api_request, request, user):
    check_known(request.GET, COMMON)
    return _pygeoapi(core_api.landing_page, api, api_request)


def _openapi(api, api_request, request, user):
    check_known(request.GET, COMMON | {"ui"})
    return _pygeoapi(core_api.openapi_, api, api_request)


def _conformance(api, api_request, request, user):
    check_known(request.GET, COMMON)
    # pygeoapi extends its module-level list in place at every call: restore it afterwards
    served = list(core_api.CONFORMANCE_CLASSES)
    try:
        headers, content = _pygeoapi(core_api.conformance, api, api_request)
    finally:
        core_api.CONFORMANCE_CLASSES[:] = served
    doc = _json_content(headers, content)
    if doc is not None:
        classes = {c for c in doc["conformsTo"] if not any(n in c for n in _NOT_SERVED)}
        doc["conformsTo"] = sorted(classes | set(_ADDED))
        content = json.dumps(doc)
    return headers, content


def _collections(api, api_request, request, user, collection_id=None):
    check_known(request.GET, COMMON)
    if collection_id is not None and not extra.known(collection_id):
        raise NotFound(_("Collection inconnue : « %(id)s ».") % {"id": collection_id})
    headers, content = _pygeoapi(core_api.describe_collections, api, api_request, collection_id)
    doc = _json_content(headers, content)
    if doc is not None:
        extents = extra.extents(api, user, collection_id)
        if collection_id is None or collection_id in COLLECTIONS:
            extents |= visible_extents(user, collection_id)
        for item in doc["collections"] if collection_id is None else [doc]:
            _set_extent(item, extents[item["id"]])
            item["links"] = [lk for lk in item["links"] if "schema" not in lk["rel"]]
            item["links"].append(
                {
                    "rel": schema_mod.SCHEMA_REL,
                    "type": schema_mod.SCHEMA_TYPE,
                    "title": _("Schéma des objets de la collection"),
                    "href": f"{api.get_collections_url()}/{item['id']}/schema",
                }
            )
        content = json.dumps(doc, ensure_ascii=False)
    return headers, content


def _set_extent(item: dict, extent: Any) -> None:
    """Replace the configured extent with the one computed from what this person sees."""
    item.pop("extent", None)
    result: dict[str, Any] = {}
    if extent.bbox:
        result["spatial"] = {
            "bbox": [extent.bbox],
            "crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
        }
    if extent.begin or extent.end:
        result["temporal"] = {
            "interval": [[extent.begin, extent.end]],
            "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian",
        }
    if result:
        item["extent"] = result


def _queryables(api, api_request, request, user, collection_id):
    check_known(request.GET, QUERYABLES)
    if not extra.known(collection_id):
        raise NotFound(_("Collection inconnue : « %(id)s ».") % {"id": collection_id})
    headers, content = _pygeoapi(
        itemtypes_api.get_collection_queryables, api, api_request, collection_id
    )
    doc = _json_content(headers, content)
    if doc is not None:
        if collection_id in COLLECTIONS:
            fields = fields_of(collection_id)
        else:
            fields = extra.fields(api, collection_id)
        doc["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        for name, prop in doc["properties"].items():
            if name in fields:
                prop.update(fields[name].schema)
        content = json.dumps(doc, ensure_ascii=False)
    return headers, content


def _schema(api, api_request, request, user, collection_id):
    check_known(request.GET, COMMON)
    if not extra.known(collection_id):
        raise NotFound(_("Collection inconnue : « %(id)s ».") % {"id": collection_id})
    url = f"{api.get_collections_url()}/{collection_id}/schema"
    if collection_id in COLLECTIONS:
        doc = schema_mod.collection_schema(collection_id, url, api_request.locale.language)
    else:
        doc = schema_mod.contributed_schema(
            extra.title_of(collection_id), extra.fields(api, collection_id), url
        )
    headers = {"Content-Type": schema_mod.SCHEMA_TYPE, "_status": 200}
    return headers, json.dumps(doc, ensure_ascii=False)


def _items(api, api_request, request, user, collection_id):
    fmt, locale = api_request.format, api_request.locale
    return items_document(api, fmt, locale, request.GET, collection_id, user)


def _item(api, api_request, request, user, collection_id, feature_id):
    fmt, locale = api_request.format, api_request.locale
    return item_document(api, fmt, locale, request.GET, collection_id, feature_id, user)


@require_safe
def landing(request: HttpRequest) -> HttpResponse:
    return _run(request, Page.LANDING, _landing)


@require_safe
def openapi(request: HttpRequest) -> HttpResponse:
    return _run(request, Page.OPENAPI, _openapi)


@require_safe
def conformance(request: HttpRequest) -> HttpResponse:
    return _run(request, Page.CONFORMANCE, _conformance)


@require_safe
def collections(request: HttpRequest, collection_id: str | None = None) -> HttpResponse:
    return _run(request, Page.COLLECTIONS, _collections, collection_id)


@require_safe
def queryables(request: HttpRequest, collection_id: str) -> HttpResponse:
    return _run(request, Page.QUERYABLES, _queryables, collection_id)


@require_safe
def schema(request: HttpRequest, collection_id: str) -> HttpResponse:
    """Part 5: the schema of the collection's features (HTML: the queryables' page)."""
    return _run(request, Page.QUERYABLES, _schema, collection_id)


@csrf_exempt  # writes by session check the token themselves (ogc.views_write)
def items(request: HttpRequest, collection_id: str) -> HttpResponse:
    if request.method in ("GET", "HEAD"):
        return _run(request, Page.ITEMS, _items, collection_id)
    return views_write.on_items(request, collection_id)


@csrf_exempt
def item(request: HttpRequest, collection_id: str, feature_id: str) -> HttpResponse:
    if request.method in ("GET", "HEAD"):
        return _run(request, Page.ITEM, _item, collection_id, feature_id)
    return views_write.on_item(request, collection_id, feature_id)
