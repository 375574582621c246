"""Downloading a harvest's source: http(s) only, streamed under the import size cap
(``IMPORT_MAX_BYTES``), each read bounded by ``HARVEST_TIMEOUT``; an OGC API Features
collection is followed page by page (its ``next`` links) up to ``HARVEST_MAX_PAGES``.

Every failure is an ``ImportFileError`` naming the URL in French, raised before a row is read,
so the run fails as an unreadable file does: recorded on its job, nothing written. The
standard library's ``urllib`` is enough here (no client library among the runtime
dependencies); its redirects are limited to http(s) too, so a source cannot lead the
server to a local file.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from email.message import Message
from pathlib import Path
from typing import IO, Any
from urllib.error import HTTPError, URLError
from urllib.parse import urljoin, urlsplit
from urllib.request import HTTPRedirectHandler, Request, build_opener

from django.conf import settings
from django.utils.translation import gettext as _

from .files import ImportFileError, max_bytes

SCHEMES = ("http", "https")
CHUNK = 1 << 16
#: Media types a JSON source may come as (many open-data portals say ``octet-stream``).
JSON_TYPES = frozenset(
    {
        "application/geo+json",
        "application/vnd.geo+json",
        "application/json",
        "text/json",
        "text/plain",
        "application/octet-stream",
    }
)
#: …and a CSV source, zipped or not.
CSV_TYPES = frozenset(
    {
        "text/csv",
        "application/csv",
        "text/plain",
        "application/vnd.ms-excel",
        "application/octet-stream",
        "application/zip",
        "application/x-zip-compressed",
    }
)
USER_AGENT = "S-PASS Territoires (moisson)"


def check_url(url: str) -> None:
    """Refuse any address but an absolute http(s) one."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in SCHEMES or not parts.netloc:
        raise ImportFileError(
            _("Adresse refusée : « %(url)s » (seules les adresses http et https sont moissonnées).")
            % {"url": url}
        )


class _HttpRedirectsOnly(HTTPRedirectHandler):
    """Follow a redirect only to another http(s) address."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        check_url(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _unreachable(url: str, reason: Any) -> ImportFileError:
    return ImportFileError(
        _("Source injoignable : « %(url)s » (%(reason)s).") % {"url": url, "reason": reason}
    )


def _too_large(url: str) -> ImportFileError:
    return ImportFileError(
        _("Source trop volumineuse : « %(url)s » dépasse %(limit)s octets.")
        % {"url": url, "limit": max_bytes()}
    )


def _media_type(headers: Message) -> str:
    return headers.get_content_type() if headers.get("Content-Type") else ""


def _stream(url: str, types: frozenset[str], limit: int) -> Iterator[bytes]:
    """The body of ``url`` in chunks, checked as it comes: status, media type, size (at most
    ``limit`` bytes: what is left of the import cap)."""
    check_url(url)
    request = Request(url, headers={"User-Agent": USER_AGENT})
    timeout = settings.SPASS["HARVEST_TIMEOUT"]
    try:
        response = build_opener(_HttpRedirectsOnly).open(request, timeout=timeout)
    except HTTPError as exc:
        if exc.code in (404, 410):
            raise ImportFileError(
                _("Source introuvable : « %(url)s » (HTTP %(code)s).")
                % {"url": url, "code": exc.code}
            ) from None
        raise _unreachable(url, f"HTTP {exc.code}") from None
    except (URLError, OSError, ValueError) as exc:
        raise _unreachable(url, getattr(exc, "reason", exc)) from None
    with response:
        media = _media_type(response.headers)
        if media and media not in types:
            raise ImportFileError(
                _("Type inattendu : « %(url)s » répond « %(type)s » (attendus : %(types)s).")
                % {"url": url, "type": media, "types": ", ".join(sorted(types))}
            )
        length = response.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > limit:
            raise _too_large(url)
        total = 0
        while True:
            try:
                chunk = response.read(CHUNK)
            except OSError as exc:
                raise _unreachable(url, exc) from None
            if not chunk:
                return
            total += len(chunk)
            if total > limit:
                raise _too_large(url)
            yield chunk


def download(url: str, dest: Path, types: frozenset[str]) -> None:
    """Write the body of ``url`` to ``dest``."""
    with open(dest, "wb") as fh:
        for chunk in _stream(url, types, max_bytes()):
            fh.write(chunk)


def _page(url: str, limit: int) -> tuple[dict[str, Any], int]:
    """One page of features, decoded, and its size in bytes."""
    body = b"".join(_stream(url, JSON_TYPES, limit))
    try:
        page = json.loads(body)
    except ValueError:
        page = None
    if not isinstance(page, dict) or page.get("type") != "FeatureCollection":
        raise ImportFileError(
            _("Type inattendu : « %(url)s » ne répond pas une collection GeoJSON d'objets.")
            % {"url": url}
        )
    return page, len(body)


def next_link(page: dict[str, Any], url: str) -> str | None:
    """The page's ``next`` link, resolved against its own address."""
    for link in page.get("links") or ():
        if isinstance(link, dict) and link.get("rel") == "next" and link.get("href"):
            return urljoin(url, link["href"])
    return None


def download_pages(url: str, dest: Path) -> int:
    """Write the features of every page of an OGC API Features collection, from ``url``
    (its ``…/items`` address) following the ``next`` links, as one GeoJSON file; returns the
    number of pages. More pages than ``HARVEST_MAX_PAGES`` fail the run: a partial source
    would flag the rest of the rows as removed."""
    pages, limit = 0, max_bytes()
    seen: set[str] = set()
    with open(dest, "w", encoding="utf-8") as fh:
        fh.write('{"type": "FeatureCollection", "features": [')
        first = True
        current: str | None = url
        while current is not None:
            if pages >= settings.SPASS["HARVEST_MAX_PAGES"] or current in seen:
                raise ImportFileError(
                    _(
                        "Trop de pages : « %(url)s » en compte plus de %(n)s ; rien n'a été "
                        "importé (augmentez le nombre d'objets par page, paramètre limit)."
                    )
                    % {"url": url, "n": pages}
                )
            seen.add(current)
            page, size = _page(current, limit)
            pages, limit = pages + 1, limit - size
            first = _write_features(fh, page.get("features") or [], first)
            current = next_link(page, current)
        fh.write("]}")
    return pages


def _write_features(fh: IO[str], features: list[Any], first: bool) -> bool:
    for feature in features:
        fh.write(("" if first else ",") + json.dumps(feature, ensure_ascii=False))
        first = False
    return first
