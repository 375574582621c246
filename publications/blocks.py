"""The blocks of a carnet: one schema per block type, one validator for them all.

A carnet's body is a JSON list of objects, each with a ``type``. Every write (REST API, the
editor's autosave, the demo loader) goes through :func:`clean_blocks`, which returns the
normalised list or raises a ``ValidationError`` keyed ``blocks[<index>].<field>`` with a French
message that names the block (counted from 1, as people count) and the field. It checks the
shape only; what the blocks point to (resources, maps, uploads) is checked against the
author's rights by :mod:`publications.references`.

Block types (fields marked * are required):

- ``text``: markdown* (sanitized at render, headings make the table of contents);
- ``photo``: images* (1 to 60: a photo, or a gallery), each ``{media}`` (an upload of this
  carnet) or ``{resource, attachment}`` (a médiathèque photo), with alt*, caption, credit;
- ``map``: a saved map (``map``: its slug) or a layer (``layer``: base*, kinds, filter in
  CQL2, style, color); extent ``[west, south, east, north]``, caption, and story ``steps``
  (markdown*, extent, show/hide: positions of the map's layers);
- ``resources``: resources* (1 to 12 ids), shown as cards;
- ``video``: an uploaded ``media`` or a ``url`` of a video host (a link card), title*, caption;
- ``compare``: before* and after* (two images as in ``photo``), caption;
- ``quote``: text*, source;
- ``separator``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from geo.validation import extent_error
from observatoire.cql import FilterError, cql2_to_q
from observatoire.kinds import BASE_OF_KIND, Base

#: Bounds that keep a carnet readable and its page fast.
MAX_BLOCKS = 200
MAX_TEXT = 20_000
MAX_SHORT = 500
MAX_IMAGES = 60
MAX_RESOURCES = 12
MAX_STEPS = 20
#: The largest identifier a database column holds (a larger one is no row: refused, not a 500).
MAX_ID = 2**31 - 1
MAP_STYLES = ("markers", "clusters", "heatmap", "categories", "circles")
COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")

TYPES: dict[str, str] = {
    "text": "texte",
    "photo": "photo",
    "map": "carte",
    "resources": "fiches",
    "video": "vidéo",
    "compare": "avant/après",
    "quote": "citation",
    "separator": "séparateur",
}


class BlockError(Exception):
    """A field of one block is wrong: ``field`` is its path inside the block."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _text(block: dict, name: str, *, required: bool = False, limit: int = MAX_SHORT) -> str:
    value = block.get(name, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise BlockError(name, _("un texte est attendu."))
    value = value.strip() if limit <= MAX_SHORT else value
    if required and not value.strip():
        raise BlockError(name, _("ce champ est obligatoire."))
    if len(value) > limit:
        raise BlockError(name, _("%(n)d caractères au plus.") % {"n": limit})
    return value


def _id(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_ID:
        raise BlockError(name, _("un identifiant (nombre entier positif) est attendu."))
    return value


def _extent(value: Any, name: str) -> list[float] | None:
    if value in (None, ""):
        return None
    ok = (
        isinstance(value, list)
        and len(value) == 4
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
    )
    if not ok:
        raise BlockError(name, _("une emprise [ouest, sud, est, nord] en degrés est attendue."))
    extent = [float(v) for v in value]
    if extent_error(extent):
        raise BlockError(
            name, _("emprise hors du monde ou inversée (ouest < est, sud < nord, en degrés).")
        )
    return extent


def _image(value: Any, name: str) -> dict:
    if not isinstance(value, dict):
        raise BlockError(name, _("une image est attendue (objet avec « media » ou « resource »)."))
    out: dict[str, Any] = {}
    if value.get("media") is not None:
        out["media"] = _id(value["media"], f"{name}.media")
    elif value.get("resource") is not None:
        out["resource"] = _id(value["resource"], f"{name}.resource")
        out["attachment"] = _id(value.get("attachment"), f"{name}.attachment")
    else:
        raise BlockError(
            name, _("indiquez une image déposée (« media ») ou une photo de la médiathèque.")
        )
    try:
        out["alt"] = _text(value, "alt", required=True)
        out["caption"] = _text(value, "caption")
        out["credit"] = _text(value, "credit", limit=200)
    except BlockError as exc:
        if exc.field == "alt":
            exc.message = _("le texte alternatif (description de l'image) est obligatoire.")
        raise BlockError(f"{name}.{exc.field}", exc.message) from None
    return out


def _text_block(block: dict) -> dict:
    return {"markdown": _text(block, "markdown", required=True, limit=MAX_TEXT)}


def _photo(block: dict) -> dict:
    images = block.get("images")
    if not isinstance(images, list) or not images:
        raise BlockError("images", _("au moins une image est attendue."))
    if len(images) > MAX_IMAGES:
        raise BlockError("images", _("%(n)d images au plus par bloc.") % {"n": MAX_IMAGES})
    return {"images": [_image(image, f"images[{i}]") for i, image in enumerate(images)]}


def _layer(value: Any) -> dict:
    if not isinstance(value, dict):
        raise BlockError("layer", _("une couche est attendue (objet avec « base »)."))
    base = value.get("base")
    if base not in Base.values:
        raise BlockError(
            "layer.base", _("base inconnue (possibles : %(b)s).") % {"b": ", ".join(Base.values)}
        )
    kinds = value.get("kinds") or []
    if not isinstance(kinds, list) or any(BASE_OF_KIND.get(k) != base for k in kinds):
        raise BlockError("layer.kinds", _("types inconnus ou hors de la base choisie."))
    cql = value.get("filter") or ""
    if not isinstance(cql, str) or len(cql) > 2000:
        raise BlockError("layer.filter", _("un filtre CQL2 (texte) est attendu."))
    if cql.strip():
        try:
            cql2_to_q(cql)
        except FilterError as exc:
            raise BlockError("layer.filter", exc.message) from None
    style = value.get("style") or "markers"
    if style not in MAP_STYLES:
        raise BlockError(
            "layer.style", _("style inconnu (possibles : %(s)s).") % {"s": ", ".join(MAP_STYLES)}
        )
    color = value.get("color") or "#c0392b"
    if not isinstance(color, str) or not COLOR.match(color):
        raise BlockError("layer.color", _("une couleur #rrggbb est attendue."))
    name = value.get("name") or ""
    if not isinstance(name, str) or len(name) > 200:
        raise BlockError("layer.name", _("un nom de 200 caractères au plus est attendu."))
    return {
        "base": base,
        "kinds": list(kinds),
        "filter": cql.strip(),
        "style": style,
        "color": color,
        "name": name,
    }


def _positions(value: Any, name: str) -> list[int]:
    if value in (None, ""):
        return []
    if not isinstance(value, list) or any(
        isinstance(v, bool) or not isinstance(v, int) or v < 0 for v in value
    ):
        raise BlockError(name, _("une liste de positions de couches (0, 1, …) est attendue."))
    return value


def _map(block: dict) -> dict:
    out: dict[str, Any] = {}
    if block.get("map"):
        if not isinstance(block["map"], str) or len(block["map"]) > 100:
            raise BlockError("map", _("l'identifiant d'une carte est attendu."))
        out["map"] = block["map"]
    elif block.get("layer"):
        out["layer"] = _layer(block["layer"])
    else:
        raise BlockError("map", _("choisissez une carte (« map ») ou une couche (« layer »)."))
    out["extent"] = _extent(block.get("extent"), "extent")
    out["caption"] = _text(block, "caption")
    steps = block.get("steps") or []
    if not isinstance(steps, list) or len(steps) > MAX_STEPS:
        raise BlockError("steps", _("%(n)d étapes au plus.") % {"n": MAX_STEPS})
    out["steps"] = []
    for i, step in enumerate(steps):
        name = f"steps[{i}]"
        if not isinstance(step, dict):
            raise BlockError(name, _("une étape est un objet (texte, emprise, couches)."))
        try:
            markdown = _text(step, "markdown", required=True, limit=MAX_TEXT)
        except BlockError as exc:
            raise BlockError(f"{name}.{exc.field}", exc.message) from None
        out["steps"].append(
            {
                "markdown": markdown,
                "extent": _extent(step.get("extent"), f"{name}.extent"),
                "show": _positions(step.get("show"), f"{name}.show"),
                "hide": _positions(step.get("hide"), f"{name}.hide"),
            }
        )
    return out


def _resources(block: dict) -> dict:
    ids = block.get("resources")
    if not isinstance(ids, list) or not ids:
        raise BlockError("resources", _("au moins une fiche est attendue."))
    if len(ids) > MAX_RESOURCES:
        raise BlockError("resources", _("%(n)d fiches au plus par bloc.") % {"n": MAX_RESOURCES})
    return {"resources": [_id(v, f"resources[{i}]") for i, v in enumerate(ids)]}


def _video(block: dict) -> dict:
    out: dict[str, Any] = {
        "title": _text(block, "title", required=True, limit=200),
        "caption": _text(block, "caption"),
    }
    if block.get("media") is not None:
        out["media"] = _id(block["media"], "media")
    elif block.get("url"):
        url = block["url"]
        parts = urlsplit(url) if isinstance(url, str) else None
        if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
            raise BlockError("url", _("une adresse web commençant par https:// est attendue."))
        out["url"] = url[:500]
    else:
        raise BlockError(
            "media", _("déposez une vidéo (« media ») ou donnez son adresse (« url »).")
        )
    return out


def _compare(block: dict) -> dict:
    return {
        "before": _image(block.get("before"), "before"),
        "after": _image(block.get("after"), "after"),
        "caption": _text(block, "caption"),
    }


def _quote(block: dict) -> dict:
    return {
        "text": _text(block, "text", required=True, limit=2000),
        "source": _text(block, "source"),
    }


def _separator(block: dict) -> dict:
    return {}


CLEANERS: dict[str, Callable[[dict], dict]] = {
    "text": _text_block,
    "photo": _photo,
    "map": _map,
    "resources": _resources,
    "video": _video,
    "compare": _compare,
    "quote": _quote,
    "separator": _separator,
}


def _where(index: int, kind: str | None) -> str:
    if kind in TYPES:
        return _("Bloc n° %(n)d (%(type)s)") % {"n": index + 1, "type": TYPES[kind]}
    return _("Bloc n° %(n)d") % {"n": index + 1}


def clean_blocks(value: Any) -> list[dict]:
    """The normalised blocks, or a ``ValidationError`` naming the block and the field."""
    if not isinstance(value, list):
        raise ValidationError({"blocks": _("Une liste de blocs (JSON) est attendue.")})
    if len(value) > MAX_BLOCKS:
        raise ValidationError({"blocks": _("%(n)d blocs au plus.") % {"n": MAX_BLOCKS}})
    out = []
    for index, block in enumerate(value):
        kind = block.get("type") if isinstance(block, dict) else None
        if kind not in CLEANERS:
            raise ValidationError(
                {
                    f"blocks[{index}].type": _(
                        "%(where)s, champ « type » : type de bloc inconnu (possibles : %(types)s)."
                    )
                    % {"where": _where(index, None), "types": ", ".join(CLEANERS)}
                }
            )
        try:
            cleaned = CLEANERS[kind](block)
        except BlockError as exc:
            raise ValidationError(
                {
                    f"blocks[{index}].{exc.field}": _("%(where)s, champ « %(field)s » : %(msg)s")
                    % {"where": _where(index, kind), "field": exc.field, "msg": exc.message}
                }
            ) from None
        out.append({"type": kind, **cleaned})
    return out


def is_empty(blocks: list[dict]) -> bool:
    """Nothing to read: no block, or only separators."""
    return all(block.get("type") == "separator" for block in blocks)
