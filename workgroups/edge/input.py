"""Hostile input is refused before any code reads it.

A NUL byte reaches PostgreSQL as an error (« text fields cannot contain NUL »), invalid
UTF-8 or an endless value reaches parsers that were never meant for them: each was a 500
somewhere (a feed key, a search, a feature id). So every path segment, query parameter,
header and form field is checked once, here, and a request carrying a NUL byte, invalid
UTF-8 or (except form fields, bounded by ``SPASS_MAX_BODY_BYTES`` as a whole: a long
description is legitimate) a value longer than ``SPASS['MAX_PARAM_CHARS']`` is answered
400, naming what is wrong: ``{"code": "InvalidParameterValue", "description": …}`` on the
machine channels, a small French page elsewhere.

Two doors, one check (:func:`hostile_input`):

- :class:`InputEdge` wraps the whole WSGI application, fast paths included
  (``config/wsgi.py``): a hostile request never reaches a fast path; it goes straight to
  Django with the check's verdict in its environ, so that its 400 carries every header
  Django's middleware adds;
- :class:`EdgeMiddleware`, near the top of ``MIDDLEWARE``, answers that verdict, or runs the
  check itself when no :class:`InputEdge` did (Django's test client), and then checks form
  and JSON bodies (only Django reads them: a JSON string holding ``\\u0000`` is a NUL byte
  once parsed). On the way back, a 401 caused by :class:`~workgroups.auth.TooManyAttempts`
  becomes 429 with ``Retry-After``.

Both answers are returned before the locale, clickjacking and CORS middleware: they get the
headers those would add from :func:`~workgroups.edge.headers.middleware_headers`.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _

from ..auth import RETRY_AFTER, TooManyAttempts
from .errors import error_response
from .headers import middleware_headers

#: Path prefixes of the machine channels, answered in JSON.
MACHINE_PREFIXES = ("/api/", "/ogc/", "/tiles/", "/exports/")
#: Environ key of the verdict of :class:`InputEdge` (absent: not checked yet).
VERDICT = "spass.edge.refusal"
#: Longest quoted name in a message (a hostile name can be long too).
NAME_CHARS = 60
#: Media types of the JSON bodies checked for NUL escapes.
JSON_TYPES = ("application/json", "application/geo+json")


@dataclass(frozen=True)
class Refusal:
    """What is wrong (``where``: « paramètre « key » »…) and why."""

    where: str
    reason: str

    @property
    def message(self) -> str:
        return f"{self.where[:1].upper()}{self.where[1:]} invalide : {self.reason}."


def _reason(raw: bytes, limit: int | None) -> str | None:
    """Why ``raw`` is refused, or None."""
    if b"\x00" in raw:
        return _("il contient un caractère nul (0x00)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return _("ce n'est pas du texte UTF-8 valide")
    if limit is not None and len(text) > limit:
        return _("plus de %(limit)s caractères") % {"limit": limit}
    return None


def _shown(raw: bytes) -> str:
    """A name as it can be quoted in a message, whatever it holds."""
    text = raw.decode("utf-8", errors="replace").replace("\x00", "\\x00")
    return text if len(text) <= NAME_CHARS else text[:NAME_CHARS] + "…"


def _wsgi_bytes(value: str) -> bytes:
    """The bytes a WSGI string stands for (PEP 3333: one character per byte); a server that
    hands decoded text instead is read as UTF-8."""
    try:
        return value.encode("latin-1")
    except UnicodeEncodeError:
        return value.encode("utf-8")


def _fields(raw: bytes, kind: str, limit: int | None) -> Refusal | None:
    """The first refused name or value of an ``application/x-www-form-urlencoded`` text."""
    for part in raw.split(b"&"):
        if not part:
            continue
        name, _sep, value = part.partition(b"=")
        name = unquote_to_bytes(name.replace(b"+", b" "))
        value = unquote_to_bytes(value.replace(b"+", b" "))
        reason = _reason(name, limit) or _reason(value, limit)
        if reason:
            return Refusal(f"{kind} « {_shown(name)} »", reason)
    return None


def _plain(value: str, limit: int) -> bool:
    """ASCII, no NUL, within ``limit``: nothing in it can be refused, nothing to decode.
    Nearly every request is only such values; the check runs on each one (a cached tile
    included), so the byte-by-byte reading below is kept for the others."""
    return value.isascii() and "\x00" not in value and len(value) <= limit


def hostile_input(environ: dict) -> Refusal | None:
    """The first hostile part of a request's path, query string or headers, or None."""
    limit = settings.SPASS["MAX_PARAM_CHARS"]
    path = environ.get("PATH_INFO", "")
    if not _plain(path, limit):
        for segment in _wsgi_bytes(path).split(b"/"):
            reason = _reason(segment, limit)
            if reason:
                return Refusal(_("chemin de l'adresse"), reason)
    query = environ.get("QUERY_STRING", "")
    if query and not (_plain(query, limit) and "%" not in query):  # %00 is plain ASCII
        refusal = _fields(_wsgi_bytes(query), _("paramètre"), limit)
        if refusal:
            return refusal
    for name, value in environ.items():
        if (
            (name.startswith("HTTP_") or name == "CONTENT_TYPE")
            and isinstance(value, str)
            and not _plain(value, limit)
        ):
            reason = _reason(_wsgi_bytes(value), limit)
            if reason:
                header = name.removeprefix("HTTP_").replace("_", "-").title()
                return Refusal(_("en-tête « %(name)s »") % {"name": header}, reason)
    return None


def hostile_form(request: HttpRequest) -> Refusal | None:
    """The first hostile field of a form body: urlencoded bodies are read as bytes (UTF-8
    checked); multipart fields, which Django decodes leniently, for NUL bytes."""
    if request.content_type == "application/x-www-form-urlencoded":
        try:
            body = request.body
        except RequestDataTooBig:
            return None  # the view answers it (413 on the API) as it always did
        return _fields(body, _("champ"), None)
    if request.content_type in JSON_TYPES:
        try:
            return _json_nul(request.body)
        except RequestDataTooBig:
            return None
    if request.content_type == "multipart/form-data" and not is_machine(request.path_info):
        for name, values in request.POST.lists():
            if any("\x00" in value for value in [name, *values]):
                where = _("champ « %(name)s »") % {"name": _shown(name.encode())}
                return Refusal(where, _("il contient un caractère nul (0x00)"))
    return None


def _nul_in(value: object, path: tuple[str, ...] = ()) -> Refusal | None:
    """The first string of a parsed JSON document (names included) holding a NUL byte,
    named by its dotted path (``properties.attributes.note``)."""
    if isinstance(value, str):
        if "\x00" in value:
            name = ".".join(path)
            where = _("champ « %(name)s »") % {"name": _shown(name.encode())} if path else None
            return Refusal(where or _("corps JSON"), _("il contient un caractère nul (0x00)"))
    elif isinstance(value, dict):
        for name, item in value.items():
            refusal = _nul_in(name, path) or _nul_in(item, (*path, name))
            if refusal:
                return refusal
    elif isinstance(value, list):
        for index, item in enumerate(value):
            refusal = _nul_in(item, (*path, str(index)))
            if refusal:
                return refusal
    return None


def _json_nul(body: bytes) -> Refusal | None:
    """A JSON body whose strings hold a NUL (``\\u0000``), which PostgreSQL refuses; bodies
    without the escape are not parsed here, nor those the API's parser will refuse."""
    if b"\\u0000" not in body:
        return None
    try:
        return _nul_in(json.loads(body))
    except (ValueError, RecursionError):
        return None  # the parser answers with its message


def is_machine(path: str) -> bool:
    return path.startswith(MACHINE_PREFIXES)


def _edge_headers(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """``no-store`` and what the middleware after this one would have added."""
    response["Cache-Control"] = "no-store"
    middleware_headers(response, request.META, settings.LANGUAGE_CODE)
    return response


def refusal_response(request: HttpRequest, refusal: Refusal) -> HttpResponse:
    """400: JSON on the machine channels, a small French page elsewhere."""
    if is_machine(request.path_info):
        response = error_response(400, refusal.message, "InvalidParameterValue")
    else:
        title = _("Requête invalide")
        response = HttpResponse(
            '<!doctype html>\n<html lang="fr"><head><meta charset="utf-8">'
            f"<title>{title} — S-PASS Territoires</title></head>"
            f"<body><main><h1>{title}</h1><p>{html.escape(refusal.message)}</p>"
            f'<p><a href="/">{_("Retour à l’accueil")}</a></p></main></body></html>\n',
            status=400,
            content_type="text/html; charset=utf-8",
        )
    return _edge_headers(request, response)


def too_many_attempts(request: HttpRequest, seconds: int) -> HttpResponse:
    """429 with ``Retry-After``: only channels that read Basic credentials get here."""
    with translation.override(settings.LANGUAGE_CODE):
        response = error_response(429, str(TooManyAttempts(seconds)), "TooManyRequests")
    response["Retry-After"] = str(seconds)
    return _edge_headers(request, response)


class InputEdge:
    """Wraps the WSGI application with its fast paths (``app``); hostile requests skip them
    and go to ``django``, whose :class:`EdgeMiddleware` answers 400."""

    def __init__(self, app: Callable, django: Callable) -> None:
        self.app, self.django = app, django

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        refusal = hostile_input(environ)
        if refusal:  # worded in the default language, whatever this thread served last
            with translation.override(settings.LANGUAGE_CODE):
                refusal = hostile_input(environ)
        environ[VERDICT] = refusal
        return (self.django if refusal else self.app)(environ, start_response)


class EdgeMiddleware:
    """Django's side of the edge (see the module's docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        checked = VERDICT in request.META
        with translation.override(settings.LANGUAGE_CODE):
            refusal = request.META[VERDICT] if checked else hostile_input(request.META)
            refusal = refusal or hostile_form(request)
            if refusal:
                return refusal_response(request, refusal)
        response = self.get_response(request)
        seconds = getattr(request, RETRY_AFTER, None)
        if seconds is not None and response.status_code == 401:
            return too_many_attempts(request, seconds)
        return response
