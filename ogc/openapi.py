"""The OpenAPI 3.0 document of ``/ogc/``, generated from the registry and self-contained.

pygeoapi's generated document points at remote OGC schemas; validators and GIS clients that
run offline cannot follow those, so every ``$ref`` here is local (``#/components/...``).
"""

from __future__ import annotations

from typing import Any

from observatoire.catalogue import COLLECTIONS
from observatoire.fields import fields_of

from . import crs as crs_mod
from .params import COMMON_PARAMS, DEFAULT_LIMIT, ITEMS_PARAMS, MAX_LIMIT


def _ref(kind: str, name: str) -> dict[str, str]:
    return {"$ref": f"#/components/{kind}/{name}"}


def _param(
    name: str,
    description: str,
    schema: dict[str, Any],
    style: str = "form",
    explode: bool = False,
    where: str = "query",
    required: bool = False,
) -> dict:
    param = {
        "name": name,
        "in": where,
        "description": description,
        "required": required,
        "schema": schema,
    }
    if where == "query":
        param.update(style=style, explode=explode)
    return param


_CRS_SCHEMA = {"type": "string", "format": "uri", "enum": list(crs_mod.SUPPORTED)}

PARAMETERS: dict[str, dict[str, Any]] = {
    "f": _param(
        "f", "Format de la réponse.", {"type": "string", "enum": ["json", "html", "csv", "jsonld"]}
    ),
    "lang": _param("lang", "Langue (fr par défaut, en).", {"type": "string", "enum": ["fr", "en"]}),
    "key": _param("key", "Clé de flux personnelle (lecture seule).", {"type": "string"}),
    "limit": _param(
        "limit",
        "Nombre maximal d'objets par page.",
        {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
    ),
    "offset": _param(
        "offset", "Rang du premier objet.", {"type": "integer", "minimum": 0, "default": 0}
    ),
    "bbox": _param(
        "bbox",
        "Emprise (xmin,ymin,xmax,ymax).",
        {"type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number"}},
    ),
    "bbox-crs": _param("bbox-crs", "Système de coordonnées de bbox.", _CRS_SCHEMA),
    "crs": _param("crs", "Système de coordonnées de la réponse.", _CRS_SCHEMA),
    "datetime": _param("datetime", "Date ou intervalle RFC 3339.", {"type": "string"}),
    "properties": _param(
        "properties", "Propriétés à renvoyer.", {"type": "array", "items": {"type": "string"}}
    ),
    "sortby": _param(
        "sortby", "Tri (+propriété ou -propriété).", {"type": "array", "items": {"type": "string"}}
    ),
    "filter": _param("filter", "Filtre CQL2.", {"type": "string"}),
    "filter-lang": _param(
        "filter-lang",
        "Langage du filtre.",
        {"type": "string", "enum": ["cql2-text", "cql2-json"], "default": "cql2-text"},
    ),
    "filter-crs": _param(
        "filter-crs",
        "Système de coordonnées du filtre.",
        {"type": "string", "enum": [crs_mod.CRS84]},
    ),
    "skipGeometry": _param("skipGeometry", "Omettre les géométries.", {"type": "boolean"}),
    "featureId": _param(
        "featureId", "Identifiant de l'objet.", {"type": "string"}, where="path", required=True
    ),
}

_LINK = {
    "type": "object",
    "required": ["href"],
    "properties": {
        "href": {"type": "string"},
        "rel": {"type": "string"},
        "type": {"type": "string"},
        "hreflang": {"type": "string"},
        "title": {"type": "string"},
    },
}
_LINKS = {"type": "array", "items": _ref("schemas", "link")}

SCHEMAS: dict[str, dict[str, Any]] = {
    "link": _LINK,
    "exception": {
        "type": "object",
        "required": ["code"],
        "properties": {"code": {"type": "string"}, "description": {"type": "string"}},
    },
    "landingPage": {
        "type": "object",
        "required": ["links"],
        "properties": {
            "title": {"type": "string"},
            "description": {"type": "string"},
            "links": _LINKS,
        },
    },
    "confClasses": {
        "type": "object",
        "required": ["conformsTo"],
        "properties": {"conformsTo": {"type": "array", "items": {"type": "string"}}},
    },
    "extent": {
        "type": "object",
        "properties": {
            "spatial": {
                "type": "object",
                "properties": {
                    "bbox": {
                        "type": "array",
                        "items": {"type": "array", "items": {"type": "number"}},
                    },
                    "crs": {"type": "string"},
                },
            },
            "temporal": {
                "type": "object",
                "properties": {
                    "interval": {
                        "type": "array",
                        "items": {"type": "array", "items": {"type": "string", "nullable": True}},
                    }
                },
            },
        },
    },
    "collection": {
        "type": "object",
        "required": ["id", "links"],
        "properties": {
            "id": {"type": "string"},
            "title": {"type": "string"},
            "description": {"type": "string"},
            "links": _LINKS,
            "extent": _ref("schemas", "extent"),
            "itemType": {"type": "string"},
            "crs": {"type": "array", "items": {"type": "string"}},
            "storageCrs": {"type": "string"},
        },
    },
    "collections": {
        "type": "object",
        "required": ["links", "collections"],
        "properties": {
            "links": _LINKS,
            "collections": {"type": "array", "items": _ref("schemas", "collection")},
        },
    },
    "geometryGeoJSON": {
        "type": "object",
        "nullable": True,
        "required": ["type"],
        "properties": {
            "type": {"type": "string"},
            "coordinates": {"type": "array", "items": {}},
            "geometries": {"type": "array", "items": {}},
        },
    },
    "featureGeoJSON": {
        "type": "object",
        "required": ["type", "geometry", "properties"],
        "properties": {
            "type": {"type": "string", "enum": ["Feature"]},
            "geometry": _ref("schemas", "geometryGeoJSON"),
            "properties": {"type": "object", "nullable": True},
            "id": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
            "links": _LINKS,
        },
    },
    "featureCollectionGeoJSON": {
        "type": "object",
        "required": ["type", "features"],
        "properties": {
            "type": {"type": "string", "enum": ["FeatureCollection"]},
            "features": {"type": "array", "items": _ref("schemas", "featureGeoJSON")},
            "links": _LINKS,
            "timeStamp": {"type": "string", "format": "date-time"},
            "numberMatched": {"type": "integer", "minimum": 0},
            "numberReturned": {"type": "integer", "minimum": 0},
        },
    },
    "queryables": {
        "type": "object",
        "properties": {"properties": {"type": "object"}, "$id": {"type": "string"}},
    },
}


def _response(description: str, schema: str, media: str = "application/json") -> dict:
    return {
        "description": description,
        "content": {
            media: {"schema": _ref("schemas", schema)},
            "text/html": {"schema": {"type": "string"}},
        },
    }


RESPONSES: dict[str, dict[str, Any]] = {
    "LandingPage": _response("Page d'accueil.", "landingPage"),
    "ConformanceDeclaration": _response("Classes de conformité.", "confClasses"),
    "Collections": _response("Les collections.", "collections"),
    "Collection": _response("Une collection.", "collection"),
    "Features": _response("Une page d'objets.", "featureCollectionGeoJSON", "application/geo+json"),
    "Feature": _response("Un objet.", "featureGeoJSON", "application/geo+json"),
    "Queryables": _response("Propriétés interrogeables.", "queryables", "application/schema+json"),
    "InvalidParameter": _response("Paramètre invalide.", "exception"),
    "Unauthorized": _response("Identifiants incorrects.", "exception"),
    "NotFound": _response("Introuvable.", "exception"),
}

_ERRORS = {"400": _ref("responses", "InvalidParameter"), "401": _ref("responses", "Unauthorized")}


def _op(
    op_id: str, summary: str, response: str, params: list[str], tag: str, not_found: bool = False
) -> dict[str, Any]:
    responses = {"200": _ref("responses", response), **_ERRORS}
    if not_found:
        responses["404"] = _ref("responses", "NotFound")
    return {
        "get": {
            "operationId": op_id,
            "summary": summary,
            "tags": [tag],
            "parameters": [_ref("parameters", p) for p in params],
            "responses": responses,
        }
    }


def build_openapi(base_url: str, title: str, description: str) -> dict[str, Any]:
    """The whole document; paths are listed per collection, as OGC validators expect."""
    common = list(COMMON_PARAMS)
    paths: dict[str, Any] = {
        "/": _op("getLandingPage", "Page d'accueil", "LandingPage", common, "server"),
        "/openapi": _op("getOpenapi", "Ce document", "LandingPage", common, "server"),
        "/conformance": _op(
            "getConformance", "Conformité", "ConformanceDeclaration", common, "server"
        ),
        "/collections": _op("getCollections", "Collections", "Collections", common, "server"),
    }
    items_params = list(ITEMS_PARAMS)
    for cid, collection in COLLECTIONS.items():
        base = f"/collections/{cid}"
        title_fr = collection.title["fr"]
        paths[base] = _op(f"describe-{cid}", title_fr, "Collection", common, cid, True)
        items = _op(f"get-{cid}-features", title_fr, "Features", items_params, cid, True)
        items["get"]["parameters"] += [
            _param(name, field.schema.get("title", name), {"type": field.schema["type"]})
            for name, field in fields_of(cid).items()
            if field.schema.get("type") in ("string", "integer", "number")
        ]
        paths[f"{base}/items"] = items
        paths[f"{base}/items/{{featureId}}"] = _op(
            f"get-{cid}-feature",
            title_fr,
            "Feature",
            ["featureId", "f", "lang", "key", "crs"],
            cid,
            True,
        )
        paths[f"{base}/queryables"] = _op(
            f"get-{cid}-queryables", title_fr, "Queryables", common, cid, True
        )
    return {
        "openapi": "3.0.2",
        "info": {
            "title": title,
            "description": description,
            "version": "1.0.0",
            "license": {"name": "Licence Ouverte 2.0"},
        },
        "servers": [{"url": base_url}],
        "tags": [{"name": "server"}] + [{"name": cid} for cid in COLLECTIONS],
        "paths": paths,
        "components": {"parameters": PARAMETERS, "schemas": SCHEMAS, "responses": RESPONSES},
    }
