"""A carnet as the reader sees it: each block turned into what its template draws, decided
for *this* reader at render time.

Resources, médiathèque photos and saved maps the reader may not see become « contenu
réservé » (never their title, never their file): :func:`publications.references.resolve`
answers for the whole carnet in one query per kind. Live maps read our vector tiles with the
reader's own session, so they show what the reader may see now. Markdown goes through
:func:`workgroups.markdown.render_markdown` (sanitized); its headings get anchors and make the
table of contents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

from basemaps.services import maplibre_style
from layers.models import Layer
from layers.services import layer_config, layers_features, viewer_config
from observatoire.kinds import Base, Kind
from workgroups.markdown import render_markdown

from .models import Carnet
from .references import Resolved, resolve

HEADING = re.compile(r"<(h[23])>(.*?)</\1>", re.S)


@dataclass
class Page:
    """Everything the reading template needs."""

    carnet: Carnet
    blocks: list[dict[str, Any]]
    toc: list[dict[str, str]]
    maps: list[dict[str, Any]] = field(default_factory=list)
    reserved: int = 0


class _Anchors:
    """Unique anchors across the whole carnet (two « Histoire » headings stay apart)."""

    def __init__(self) -> None:
        self.used: set[str] = set()
        self.toc: list[dict[str, str]] = []

    def html(self, text: str) -> SafeString:
        def anchor(match: re.Match) -> str:
            tag, inner = match.group(1), match.group(2)
            label = strip_tags(inner).strip()
            stem = slugify(label)[:60] or "section"
            slug, n = stem, 1
            while slug in self.used:
                n += 1
                slug = f"{stem}-{n}"
            self.used.add(slug)
            self.toc.append({"id": slug, "label": label, "level": tag})
            return f'<{tag} id="{slug}">{inner}</{tag}>'

        # the sanitizer leaves h2/h3 without attributes, so the pattern sees every heading
        return mark_safe(HEADING.sub(anchor, str(render_markdown(text))))


def media_url(carnet: Carnet, pk: int) -> str:
    return reverse("publications:media", args=[carnet.slug, pk])


def _image(carnet: Carnet, image: dict, found: Resolved) -> dict[str, Any]:
    out = {"alt": image["alt"], "caption": image["caption"], "credit": image["credit"]}
    if "media" in image:
        media = found.media.get(image["media"])
        if media is None:
            return {**out, "missing": True}
        return {
            **out,
            "url": media_url(carnet, media.pk),
            "width": media.width,
            "height": media.height,
        }
    if image["resource"] not in found.resources:
        return {"reserved": True}
    return {
        **out,
        "url": reverse("observatoire:file", args=[image["resource"], image["attachment"]]),
        "resource": found.resources[image["resource"]],
    }


def _layer_of(spec: dict) -> Layer:
    """The unsaved layer a « layer » map block describes (base, kinds, CQL2, style)."""
    return Layer(
        name=spec.get("name")
        or str(Kind(spec["kinds"][0]).label if spec["kinds"] else Base(spec["base"]).label),
        base=spec["base"],
        kinds=spec["kinds"],
        advanced_filter=spec["filter"],
        style=spec["style"],
        color=spec["color"],
    )


def map_config(block: dict, found: Resolved, index: int, style_cache: dict) -> dict | None:
    """The MapLibre configuration of a map block (``layers/carte.js`` draws it), or None when
    its saved map is not visible to the reader."""
    if block.get("map"):
        carte = found.maps.get(block["map"])
        if carte is None:
            return None
        config = viewer_config(carte, "")
        config["title"] = carte.title
        config["url"] = reverse("layers:viewer", args=[carte.slug])
        layers = carte.ordered_layers()
    else:
        layer = _layer_of(block["layer"])
        if "style" not in style_cache:
            style_cache["style"] = maplibre_style(None)
        config = {
            "center": [2.5, 46.6],
            "zoom": 5,
            "style": style_cache["style"],
            "layers": [layer_config(layer, "", "", f"couche-b{index}")],
        }
        layers = [layer]
        config["title"] = layer.name
    config["id"] = f"carte-{index}"
    config["extent"] = block.get("extent")
    config["steps"] = [
        {"extent": s["extent"], "show": s["show"], "hide": s["hide"]} for s in block["steps"]
    ]
    config["layerNames"] = [layer.name for layer in layers]
    config["_layers"] = layers  # for the list alternative and the static image (not JSON)
    return config


def build(carnet: Carnet, reader: Any) -> Page:
    """The reader's page of ``carnet``: blocks with their data, the TOC, the maps."""
    found = resolve(carnet, reader)
    anchors = _Anchors()
    style_cache: dict = {}
    out: list[dict[str, Any]] = []
    maps: list[dict[str, Any]] = []
    reserved = 0
    for index, block in enumerate(carnet.blocks):
        kind = block["type"]
        drawn: dict[str, Any] = {"type": kind, "index": index}
        if kind == "text":
            drawn["html"] = anchors.html(block["markdown"])
        elif kind == "photo":
            drawn["images"] = [_image(carnet, image, found) for image in block["images"]]
            drawn["gallery"] = len(block["images"]) > 1
        elif kind == "compare":
            drawn["before"] = _image(carnet, block["before"], found)
            drawn["after"] = _image(carnet, block["after"], found)
            drawn["caption"] = block["caption"]
            drawn["reserved"] = drawn["before"].get("reserved") or drawn["after"].get("reserved")
        elif kind == "resources":
            drawn["cards"] = [
                {"resource": found.resources[pk]} if pk in found.resources else {"reserved": True}
                for pk in block["resources"]
            ]
        elif kind == "map":
            config = map_config(block, found, index, style_cache)
            drawn["caption"] = block["caption"]
            drawn["steps"] = [anchors.html(step["markdown"]) for step in block["steps"]]
            if config is None:
                drawn["reserved"] = True
            else:
                drawn["config"] = config
                drawn["places"] = _places(config["_layers"], reader)
                maps.append({"block": block, "config": config})
        elif kind == "video":
            drawn.update(title=block["title"], caption=block["caption"])
            if "media" in block:
                media = found.media.get(block["media"])
                drawn["url"] = media_url(carnet, media.pk) if media else ""
                drawn["content_type"] = media.content_type if media else ""
            else:
                drawn["link"] = block["url"]
        elif kind == "quote":
            drawn.update(text=block["text"], source=block["source"])
        reserved += _count_reserved(drawn)
        out.append(drawn)
    return Page(carnet=carnet, blocks=out, toc=anchors.toc, maps=maps, reserved=reserved)


#: Places listed under a live map (its text alternative); the map's own page lists them all.
PLACES = 20


def _places(layers: list[Layer], reader: Any) -> list[dict[str, Any]]:
    """The first places the map shows to the reader, by title: the list beside the map."""
    rows = (
        layers_features(layers, reader)
        .order_by("title", "id")
        .values_list("pk", "title", "kind")[:PLACES]
    )
    return [{"id": pk, "title": title, "kind": Kind(kind).label} for pk, title, kind in rows]


def _count_reserved(drawn: dict) -> int:
    n = 1 if drawn.get("reserved") else 0
    n += sum(1 for image in drawn.get("images", ()) if image.get("reserved"))
    n += sum(1 for card in drawn.get("cards", ()) if card.get("reserved"))
    return n


def public_config(config: dict) -> dict:
    """A map configuration without what is not JSON (the layers themselves)."""
    return {k: v for k, v in config.items() if not k.startswith("_")}
