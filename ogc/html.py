"""The OGC API pages a person opens in a browser (``?f=html`` or ``Accept: text/html``).

Each page is the JSON document of the same request (same checks, same visibility, same
counts) rendered by our Django templates in the site's look: French first, every asset and
link served by the site (pygeoapi's own templates load Bootstrap and Leaflet from the
internet). pygeoapi itself is only ever asked for JSON.
"""

from __future__ import annotations

from enum import Enum
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from pygeoapi import l10n
from pygeoapi.api import APIRequest

from basemaps.services import maplibre_style
from observatoire.catalogue import COLLECTIONS
from observatoire.fields import fields_of
from observatoire.kinds import Kind
from workgroups.auth import FEED_KEY_PARAM

from . import extra
from .features import GEOJSON, page_href

#: Query parameters every link between pages keeps: the language asked for and the feed key
#: of a person who opened the pages with one.
KEPT = ("lang", FEED_KEY_PARAM)
#: Items shown by uMap per request (it asks again as the map moves, ``{bbox}``).
UMAP_LIMIT = 1000
#: The prefix of OGC standard identifiers, shown without it (no link leaves the site).
OGC_SPEC = "http://www.opengis.net/spec/"
OGC_CRS = "http://www.opengis.net/def/crs/"


#: The JSON twin of the items and item pages is GeoJSON.
_GEOJSON_LINK = {"json_type": GEOJSON, "json_label": "GeoJSON"}


class Page(Enum):
    LANDING = "landing"
    OPENAPI = "openapi"
    CONFORMANCE = "conformance"
    COLLECTIONS = "collections"
    QUERYABLES = "queryables"
    ITEMS = "items"
    ITEM = "item"


def as_json_request(api_request: APIRequest, request: HttpRequest) -> None:
    """Make pygeoapi answer this HTML request with its JSON document, in the page's language.

    pygeoapi 0.21's ``APIRequest`` has no public setter: its format and locale attributes are
    set directly. The language is ``lang`` when given (pygeoapi's own switch), else the site's
    (language cookie, then ``Accept-Language``), so that the site's language menu works here.
    """
    api_request._format = "json"
    if "lang" not in request.GET:
        api_request._locale = l10n.str2locale(translation.get_language() or "fr")


def render_page(
    request: HttpRequest,
    page: Page,
    api: Any,
    api_request: APIRequest,
    user: Any,
    doc: dict[str, Any],
    *args: Any,
) -> str:
    """The HTML of ``page`` for the JSON document ``doc`` of this request."""
    locale = api_request.locale
    with translation.override(locale.language):
        links = _Links(request, api.base_url)
        context = {"doc": doc, "links": links, "base_url": api.base_url}
        context.update(_CONTEXT[page](request, api, locale, user, doc, links, *args))
        return render_to_string(f"ogc/{context.pop('template')}.html", context, request)


class _Links:
    """Links between the pages: HTML, with the kept parameters; the JSON of this page."""

    def __init__(self, request: HttpRequest, base_url: str) -> None:
        self.kept = [(k, request.GET[k]) for k in KEPT if request.GET.get(k)]
        self.base = base_url
        self.json = page_href(request.path, request.GET, f="json")

    def html(self, url: str, **params: Any) -> str:
        """``url`` (absolute, or a path under the API) as the path of an HTML page."""
        if not url.startswith(self.base):
            url = f"{self.base}/{url}".rstrip("/")
        split = urlsplit(url)
        params = {"f": "html", **params}
        query = [(k, v) for k, v in parse_qsl(split.query) if k not in params]
        query += [(k, v) for k, v in params.items() if v is not None]
        query += [kv for kv in self.kept if kv[0] not in dict(query)]
        return f"{split.path}?{urlencode(query)}"

    @property
    def home(self) -> str:
        return self.html("")

    @property
    def collections(self) -> str:
        return self.html("collections")

    @property
    def conformance(self) -> str:
        return self.html("conformance")

    @property
    def openapi(self) -> str:
        return self.html("openapi")

    @property
    def openapi_json(self) -> str:
        return self.html("openapi", f="json")

    def collection(self, cid: str) -> str:
        return self.html(f"collections/{cid}")

    def items(self, cid: str) -> str:
        return self.html(f"collections/{cid}/items")

    def queryables(self, cid: str) -> str:
        return self.html(f"collections/{cid}/queryables")


def _crumbs(links: _Links, *trail: tuple[str, str]) -> list[tuple[str, str]]:
    return [(_("API OGC"), links.home), *trail]


def _title(collection_id: str, locale: Any) -> str:
    return l10n.translate(extra.title_of(collection_id), locale)


def _landing(request, api, locale, user, doc, links):
    return {"template": "landing", "crumbs": _crumbs(links)}


def _openapi(request, api, locale, user, doc, links):
    operations = [
        {"path": path, "method": method.upper(), "summary": op.get("summary", "")}
        for path, item in doc.get("paths", {}).items()
        for method, op in item.items()
        if isinstance(op, dict) and "responses" in op
    ]
    crumbs = _crumbs(links, (_("Définition de l'API"), ""))
    return {
        "template": "openapi",
        "crumbs": crumbs,
        "operations": operations,
        "json_type": "application/vnd.oai.openapi+json",
    }


def _conformance(request, api, locale, user, doc, links):
    classes = [c.removeprefix(OGC_SPEC).split("/") for c in doc["conformsTo"]]
    rows = [(parts[0], parts[1], "/".join(parts[3:])) for parts in classes]
    return {
        "template": "conformance",
        "crumbs": _crumbs(links, (_("Conformité"), "")),
        "classes": rows,
    }


def _collections(request, api, locale, user, doc, links, collection_id=None):
    if collection_id is None:
        return {
            "template": "collections",
            "crumbs": _crumbs(links, (_("Collections"), "")),
            "collections": [
                {
                    "doc": c,
                    "url": links.collection(c["id"]),
                    "items_url": links.items(c["id"]),
                    "queryables_url": links.queryables(c["id"]),
                }
                for c in doc["collections"]
            ],
        }
    items = f"{api.get_collections_url()}/{collection_id}/items"
    key = _feed_key(request, user)
    umap = {"f": "json", "limit": UMAP_LIMIT, FEED_KEY_PARAM: key or None}
    umap_query = urlencode({k: v for k, v in umap.items() if v is not None})
    return {
        "template": "collection",
        "crumbs": _crumbs(links, (_("Collections"), links.collections), (doc["title"], "")),
        "collection": doc,
        "items_url": links.items(collection_id),
        "queryables_url": links.queryables(collection_id),
        "extent": doc.get("extent", {}),
        "crs": [_crs_name(c) for c in doc.get("crs", [])],
        "feed_key": key,
        "signed_in": user.is_authenticated,
        "keys_url": reverse("workgroups:keys"),
        "qgis_url": api.base_url + (f"?{FEED_KEY_PARAM}={key}" if key else ""),
        "umap_url": f"{items}?{umap_query}&bbox={{bbox}}",
        "login_url": reverse("workgroups:login")
        + "?"
        + urlencode({"next": request.get_full_path()}),
    }


def _crs_name(uri: str) -> str:
    """``EPSG:2154`` for its OGC URI, ``CRS84`` for OGC's."""
    authority, _version, code = uri.removeprefix(OGC_CRS).split("/")
    return code if authority == "OGC" else f"{authority}:{code}"


def _feed_key(request: HttpRequest, user: Any) -> str:
    """The feed key the person came with (``?key=``), to keep in the addresses shown; never
    one created behind their back: keys are made, named and restricted in « Mes clés »."""
    if not user.is_authenticated:
        return ""
    return request.GET.get(FEED_KEY_PARAM, "")


def _queryables(request, api, locale, user, doc, links, collection_id):
    title = _title(collection_id, locale)
    trail = ((_("Collections"), links.collections), (title, links.collection(collection_id)))
    return {
        "template": "queryables",
        "crumbs": _crumbs(links, *trail, (_("Propriétés interrogeables"), "")),
        "collection_title": title,
        "properties": doc.get("properties", {}),
    }


def _map_config(request: HttpRequest, data_url: str) -> dict[str, Any]:
    """What ``ogc/carte.js`` needs: the site's basemap style and the GeoJSON to draw, with
    absolute URLs (MapLibre resolves tile templates against nothing; the site's paths are
    prefixed by hand because ``build_absolute_uri`` would quote the ``{z}`` of a template)."""
    origin = request.build_absolute_uri("/").removesuffix("/")
    style = maplibre_style(None)
    for source in style["sources"].values():
        if isinstance(source.get("data"), str):
            source["data"] = origin + source["data"]
        if "tiles" in source:
            source["tiles"] = [origin + t for t in source["tiles"]]
    return {"style": style, "data": origin + data_url}


def _kind(value: str | None) -> str:
    return str(Kind(value).label) if value in Kind.values else (value or "")


def _items(request, api, locale, user, doc, links, collection_id):
    title = _title(collection_id, locale)
    rel = {link["rel"]: link["href"] for link in doc["links"]}
    returned = doc["numberReturned"]
    offset = int(request.GET.get("offset") or 0)
    rows = [
        {
            "id": f["id"],
            "title": f["properties"].get("title") or f["id"],
            "kind": _kind(f["properties"].get("kind")),
            "group": f["properties"].get("group") or "",
            "date": f["properties"].get("date_start") or "",
            "url": links.html(f"collections/{collection_id}/items/{f['id']}"),
        }
        for f in doc["features"]
    ]
    trail = ((_("Collections"), links.collections), (title, links.collection(collection_id)))
    return {
        "template": "items",
        **_GEOJSON_LINK,
        "crumbs": _crumbs(links, *trail, (_("Objets"), "")),
        "collection_title": title,
        "collection_id": collection_id,
        "rows": rows,
        "first": offset + 1,
        "last": offset + returned,
        "matched": doc.get("numberMatched"),
        "next": links.html(rel["next"]) if "next" in rel else "",
        "prev": links.html(rel["prev"]) if "prev" in rel else "",
        "map": _map_config(request, links.json),
    }


def _item(request, api, locale, user, doc, links, collection_id, feature_id):
    title = _title(collection_id, locale)
    if collection_id in COLLECTIONS:
        fields = fields_of(collection_id)
    else:
        fields = extra.fields(api, collection_id)
    props = doc["properties"]
    facts = [
        (fields[name].schema.get("title", name) if name in fields else name, _shown(name, value))
        for name, value in props.items()
        if value not in (None, "", [], {})
    ]
    trail = (
        (_("Collections"), links.collections),
        (title, links.collection(collection_id)),
        (_("Objets"), links.items(collection_id)),
    )
    name = props.get("title") or str(doc["id"])
    return {
        "template": "item",
        **_GEOJSON_LINK,
        "crumbs": _crumbs(links, *trail, (name, "")),
        "name": name,
        "collection_title": title,
        "collection_id": collection_id,
        "facts": facts,
        "detail_url": reverse("observatoire:detail", kwargs={"pk": doc["id"]}),
        "map": _map_config(request, links.json),
    }


def _shown(name: str, value: Any) -> str:
    """A property value as text (lists joined, kinds by their label)."""
    if name == "kind":
        return _kind(value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k} : {v}" for k, v in value.items())
    return str(value)


_CONTEXT = {
    Page.LANDING: _landing,
    Page.OPENAPI: _openapi,
    Page.CONFORMANCE: _conformance,
    Page.COLLECTIONS: _collections,
    Page.QUERYABLES: _queryables,
    Page.ITEMS: _items,
    Page.ITEM: _item,
}
