"""The carnet as a PDF for print and archive: WeasyPrint renders the reading template's blocks
(``_blocks.html``, the same as the page) with a print stylesheet. WeasyPrint runs no
JavaScript, so each live map becomes a static PNG (:mod:`geo.staticmap`) of the features *the
reader* may see now (``layers_features`` starts from ``visible_to``), in the block's extent.

Nothing is fetched over the network: the fetcher below serves the stylesheet from the static
files and the images from storage — only those the page already decided the reader may see
(the reader's page names them); any other address is refused."""

from __future__ import annotations

import base64
import mimetypes
import re
from typing import Any

import shapely
from django.contrib.staticfiles import finders
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse

from geo.staticmap import Feature, Style, outlines, render_png
from layers.services import KIND_COLORS, layers_features

from .models import Carnet
from .render import Page, build

#: Features drawn per printed map (the most a static image shows legibly).
PRINT_FEATURES = 3000
ATTACHMENT = re.compile(r"^/ressources/(\d+)/fichiers/(\d+)/$")


def static_map(config: dict[str, Any], reader: Any) -> str:
    """The map of a block as a PNG data URI, drawn from the features the reader may see.
    Features of one colour go to the renderer as one collection: it projects a geometry at a
    time, so 2,000 points cost one projection instead of 2,000 (0.55 s → a few ms a map)."""
    groups: dict[str, list] = {}
    for layer in config["_layers"]:
        rows = (
            layers_features([layer], reader)
            .order_by("id")
            .values_list("geom", "kind")[:PRINT_FEATURES]
        )
        by_kind = layer.style in ("markers", "categories")
        for geom, kind in rows:
            colour = KIND_COLORS.get(kind, layer.color) if by_kind else layer.color
            groups.setdefault(colour, []).append(bytes(geom.wkb))
    features = [
        Feature(
            shapely.GeometryCollection(list(shapely.from_wkb(blobs))),
            Style(fill=colour, stroke="#ffffff", stroke_width=1, opacity=0.8, radius=4),
        )
        for colour, blobs in groups.items()
    ]
    png = render_png(features, bbox=config.get("extent"), width=900, height=560, underlay=outlines)
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _files(carnet: Carnet, page: Page) -> dict[str, str]:
    """Address → file path of the images the page shows the reader (and nothing else)."""
    out: dict[str, str] = {}
    from observatoire.models import Attachment

    wanted: set[int] = set()
    for block in page.blocks:
        images = list(block.get("images", ())) + [
            block[k] for k in ("before", "after") if k in block
        ]
        for image in images:
            url = image.get("url", "")
            if match := ATTACHMENT.match(url):
                wanted.add(int(match.group(2)))
    for attachment in Attachment.objects.filter(pk__in=wanted):
        url = reverse("observatoire:file", args=[attachment.resource_id, attachment.pk])
        out[url] = attachment.file.path
    for media in carnet.media.all():
        out[reverse("publications:media", args=[carnet.slug, media.pk])] = media.file.path
    return out


def print_html(request: HttpRequest, carnet: Carnet, page: Page) -> str:
    for block in page.blocks:
        if block["type"] == "map" and "config" in block:
            block["image"] = static_map(block["config"], request.user)
    return render_to_string(
        "publications/print.html",
        {"carnet": carnet, "page": page, "print": True, "base_url": ""},
        request=request,
    )


def carnet_pdf(request: HttpRequest, carnet: Carnet) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcherResponse

    page = build(carnet, request.user)
    html = print_html(request, carnet, page)
    files = _files(carnet, page)
    root = request.build_absolute_uri("/")

    def fetcher(url: str, *args, **kwargs) -> URLFetcherResponse:
        if url.startswith("data:image/png;base64,"):  # the static maps
            return URLFetcherResponse(
                url, base64.b64decode(url.split(",", 1)[1]), {"Content-Type": "image/png"}
            )
        path = "/" + url[len(root) :] if url.startswith(root) else url
        path = path.split("?", 1)[0]
        found = files.get(path)
        if found is None and path.startswith("/static/"):
            found = finders.find(path[len("/static/") :])
        if not found:
            raise ValueError(f"refused at print time: {url}")
        kind = mimetypes.guess_type(found)[0] or "application/octet-stream"
        with open(found, "rb") as stream:
            return URLFetcherResponse(url, stream.read(), {"Content-Type": kind})

    return HTML(string=html, base_url=root, url_fetcher=fetcher).write_pdf()
