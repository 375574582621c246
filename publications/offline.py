"""The carnet for offline reading: a zip holding ``index.html`` (its stylesheets inlined), the
photos it shows the reader in ``medias/``, and its maps as static images (no tiles offline:
the same images as the PDF). Built from the print rendering, so what is reserved for the
reader is left out here too; the links to the site stay absolute."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePath

from django.contrib.staticfiles import finders
from django.http import HttpRequest

from .models import Carnet
from .pdf import _files, print_html
from .render import build

STYLESHEET = re.compile(r'<link rel="stylesheet" href="/static/([^"]+)">')
LOCAL_LINK = re.compile(r'href="/(?!/)')


def carnet_zip(request: HttpRequest, carnet: Carnet) -> bytes:
    page = build(carnet, request.user)
    html = print_html(request, carnet, page)
    files = _files(carnet, page)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for n, (url, path) in enumerate(sorted(files.items())):
            if f'"{url}"' not in html:
                continue
            name = f"medias/{n}{PurePath(path).suffix.lower()}"
            archive.write(path, name)
            html = html.replace(f'"{url}"', f'"{name}"')

        def inline(match: re.Match) -> str:
            found = finders.find(match.group(1))
            if not found or match.group(1).endswith("print.css"):
                return ""
            with open(found, encoding="utf-8") as css:
                return f"<style>{css.read()}</style>"

        html = STYLESHEET.sub(inline, html)
        html = LOCAL_LINK.sub(f'href="{request.build_absolute_uri("/")}', html)
        archive.writestr("index.html", html)
    return out.getvalue()
