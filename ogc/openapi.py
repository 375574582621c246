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
    "commune": _param(
        "commune", "Code(s) INSEE de commune, séparés par des virgules.", {"type": "string"}
    ),
    "epci": _param(
        "epci", "SIREN d'EPCI (9 chiffres), séparés par des virgules.", {"type": "string"}
    ),
    "departement": _param(
        "departement", "Code(s) de département (59, 2A, 974…).", {"type": "string"}
    ),
    "region": _param("region", "Code(s) de région (32, 04…).", {"type": "string"}),
    "featureId": _param(
        "featureId", "Identifiant de l'objet.", {"type": "string"}, where="path", required=True
    ),
    "Content-Crs": _param(
        "Content-Crs",
        "Système de coordonnées de la géométrie envoyée (CRS84 sans cet en-tête), "
        "ex. <http://www.opengis.net/def/crs/EPSG/0/2154>.",
        {"type": "string"},
        where="header",
    ),
    "If-Match": _param(
        "If-Match",
        "ETag de la version lue (réponse 412 si l'objet a changé depuis).",
        {"type": "string"},
        where="header",
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
    "mergePatch": {
        "type": "object",
        "description": "JSON merge patch (RFC 7386) d'un objet : propriétés et géométrie.",
        "properties": {
            "properties": {"type": "object", "nullable": True},
            "geometry": _ref("schemas", "geometryGeoJSON"),
        },
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


_ALLOW = {"description": "Méthodes permises à cette personne ici.", "schema": {"type": "string"}}
_ETAG = {"description": "Version de l'objet (pour If-Match).", "schema": {"type": "string"}}

RESPONSES: dict[str, dict[str, Any]] = {
    "LandingPage": _response("Page d'accueil.", "landingPage"),
    "ConformanceDeclaration": _response("Classes de conformité.", "confClasses"),
    "Collections": _response("Les collections.", "collections"),
    "Collection": _response("Une collection.", "collection"),
    "Features": _response("Une page d'objets.", "featureCollectionGeoJSON", "application/geo+json"),
    "Feature": {
        **_response("Un objet.", "featureGeoJSON", "application/geo+json"),
        "headers": {"ETag": _ETAG},
    },
    "Queryables": _response("Propriétés interrogeables.", "queryables", "application/schema+json"),
    "Schema": _response("Schéma des objets (Part 5).", "queryables", "application/schema+json"),
    "InvalidParameter": _response("Paramètre invalide.", "exception"),
    "Unauthorized": _response("Identifiants incorrects.", "exception"),
    "NotFound": _response("Introuvable.", "exception"),
}


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "headers": {"Allow": _ALLOW},
        "content": {"application/json": {"schema": _ref("schemas", "exception")}},
    }


#: The answers of the writes besides their success (all in the one error body).
WRITE_ERRORS: dict[str, dict[str, Any]] = {
    "400": _error("Objet ou paramètre invalide (message nommant la propriété)."),
    "401": _error("Identification requise (HTTP Basic ou jeton)."),
    "403": _error("Droits insuffisants (lecteur, clé de flux, objet d'un autre)."),
    "404": _error("Objet introuvable pour cette personne."),
    "405": _error("Méthode non proposée ici."),
    "412": _error("L'objet a changé depuis la version nommée par If-Match."),
    "413": _error("Corps trop grand."),
    "415": _error("Type de contenu non accepté."),
}
_FEATURE_BODY = {
    "required": True,
    "content": {
        media: {"schema": _ref("schemas", "featureGeoJSON")}
        for media in ("application/geo+json", "application/json")
    },
}
_PATCH_BODY = {
    "required": True,
    "content": {
        media: {"schema": _ref("schemas", "mergePatch")}
        for media in ("application/merge-patch+json", "application/json")
    },
}


def _write(
    op_id: str,
    summary: str,
    tag: str,
    params: list[str],
    ok: dict[str, Any],
    codes: tuple[str, ...],
    **extra: Any,
) -> dict[str, Any]:
    errors = {code: answer for code, answer in WRITE_ERRORS.items() if code in codes}
    return {
        "operationId": op_id,
        "summary": summary,
        "tags": [tag],
        "parameters": [_ref("parameters", p) for p in params],
        "responses": {**ok, **errors},
        **extra,
    }


def _options(op_id: str, tag: str, params: list[str]) -> dict[str, Any]:
    return _write(
        op_id,
        "Méthodes permises (en-tête Allow), selon la personne et l'objet",
        tag,
        params,
        {"204": {"description": "Voir l'en-tête Allow.", "headers": {"Allow": _ALLOW}}},
        codes=("400", "401"),
    )


def write_operations(cid: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """OGC API Features Part 4 on a collection: (operations of ``/items``, of
    ``/items/{featureId}``). The 201 of a creation links to the created feature's GET,
    PATCH and DELETE (stateful tests follow them)."""
    common, item = list(COMMON_PARAMS), ["featureId", *COMMON_PARAMS]
    created = {
        name: {
            "operationId": f"{verb}-{cid}-feature",
            "parameters": {"featureId": "$response.body#/id"},
        }
        for name, verb in (
            ("GetCreated", "get"),
            ("PatchCreated", "patch"),
            ("DeleteCreated", "delete"),
        )
    }
    items = {
        "post": _write(
            f"create-{cid}-feature",
            "Créer un objet (Location : son adresse)",
            cid,
            [*common, "Content-Crs"],
            {
                "201": {
                    "description": "Créé.",
                    "headers": {"Location": {"schema": {"type": "string"}}, "ETag": _ETAG},
                    "content": {
                        "application/geo+json": {"schema": _ref("schemas", "featureGeoJSON")}
                    },
                    "links": created,
                }
            },
            codes=("400", "401", "403", "413", "415"),
            requestBody=_FEATURE_BODY,
        ),
        "options": _options(f"options-{cid}-features", cid, common),
    }
    changed = {"204": {"description": "Modifié.", "headers": {"ETag": _ETAG}}}
    codes = ("400", "401", "403", "404", "412", "413", "415")
    feature = {
        method: _write(
            f"{verb}-{cid}-feature",
            summary,
            cid,
            [*item, "Content-Crs", "If-Match"],
            changed,
            codes=codes,
            requestBody=body,
        )
        for method, verb, summary, body in (
            ("put", "replace", "Remplacer un objet", _FEATURE_BODY),
            ("patch", "patch", "Modifier un objet (JSON merge patch)", _PATCH_BODY),
        )
    }
    feature |= {
        "delete": _write(
            f"delete-{cid}-feature",
            "Supprimer un objet",
            cid,
            [*item, "If-Match"],
            {"204": {"description": "Supprimé."}},
            codes=("400", "401", "403", "404", "412"),
        ),
        "options": _options(f"options-{cid}-feature", cid, item),
    }
    return items, feature


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
        writes, feature_writes = write_operations(cid)
        paths[f"{base}/items"] = {**items, **writes}
        feature = _op(
            f"get-{cid}-feature",
            title_fr,
            "Feature",
            ["featureId", "f", "lang", "key", "crs"],
            cid,
            True,
        )
        paths[f"{base}/items/{{featureId}}"] = {**feature, **feature_writes}
        paths[f"{base}/queryables"] = _op(
            f"get-{cid}-queryables", title_fr, "Queryables", common, cid, True
        )
        paths[f"{base}/schema"] = _op(f"get-{cid}-schema", title_fr, "Schema", common, cid, True)
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
