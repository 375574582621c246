"""Who asks, for every read channel (OGC API, tiles, exports, maps and their feeds, both
WSGI fast paths): session, ``Authorization: Token``, HTTP Basic or a ``?key=`` feed key, as
:func:`workgroups.auth.request_user` reads them; wrong credentials are a 401, never an
anonymous answer. Answers to an identified person are ``Cache-Control: private`` and every
answer varies on the credentials.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, QueryDict

from ..auth import (
    FEED_KEY_PARAM,
    BadCredentials,
    feed_key_owner,
    is_personal,
    request_user,
    restricted,
    writing_key,
)
from ..keyuse import touch
from ..models import User
from .errors import error_response
from .headers import add_vary
from .memo import Memo

#: What an answer depends on besides the URL when credentials may be sent.
CREDENTIALS_VARY = ("Authorization", "Cookie")


class Unauthorized(Exception):
    """Credentials were sent but are wrong: :attr:`response` is the channel's 401."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    @property
    def response(self) -> HttpResponse:
        return error_response(401, self.message)


@dataclass(frozen=True)
class Person:
    """The account (or anonymous visitor) a request is answered for; ``personal``: the
    answer depends on who asks (credentials or a session were sent); ``read_only``: the
    person was named by a reading feed key (the OGC API's writes refuse it with a 403; a
    writing key, made by its owner on /profil/cles/, writes)."""

    user: User | AnonymousUser
    personal: bool
    read_only: bool = False


def person(request: HttpRequest) -> Person:
    """Who asks (raises :class:`Unauthorized` on wrong credentials)."""
    try:
        user = request_user(request)
    except BadCredentials as exc:
        raise Unauthorized(str(exc)) from exc
    key = "" if request.META.get("HTTP_AUTHORIZATION") else request.GET.get(FEED_KEY_PARAM, "")
    return Person(user, is_personal(request), read_only=bool(key) and not _writes(request, key))


def _writes(request: HttpRequest, key: str) -> bool:
    """A writing key, asked only by the methods that write or say what one may write (a
    read, the hot path, costs no query more)."""
    return request.method not in ("GET", "HEAD") and writing_key(key)


def person_or_401(request: HttpRequest) -> tuple[Person | None, HttpResponse | None]:
    """(who asks, None), or (None, the 401 answer)."""
    try:
        return person(request), None
    except Unauthorized as exc:
        return None, exc.response


def mark_personal(
    headers: MutableMapping[str, str], personal: bool, vary: tuple[str, ...] = CREDENTIALS_VARY
) -> MutableMapping[str, str]:
    """``Vary`` on ``vary``, and ``Cache-Control: private`` (no ``public``) when the answer
    is personal; ``headers``: a response or a dict."""
    add_vary(headers, vary)
    if personal:
        directives = [d.strip() for d in headers.get("Cache-Control", "").split(",")]
        kept = [d for d in directives if d and d.lower() not in ("public", "private")]
        headers["Cache-Control"] = ", ".join([*kept, "private"])
    return headers


#: Accounts named by feed keys on the fast paths (kept per process: the object only names
#: whose visibility SQL is compiled; the key itself is checked at every request).
_people = Memo(512)


def fast_person(environ: dict, params: QueryDict) -> User | AnonymousUser | None:
    """Who asks, for a fast path: the anonymous visitor, or the active account of a valid
    feed key (one prepared statement); None when Django must answer (``Authorization``, a
    session cookie, a wrong key: its 401 is worded there)."""
    if environ.get("HTTP_AUTHORIZATION") or (
        settings.SESSION_COOKIE_NAME in environ.get("HTTP_COOKIE", "")
    ):
        return None
    key = params.get(FEED_KEY_PARAM)
    if not key:
        return AnonymousUser()
    found = feed_key_owner(key)
    if found is None:
        return None
    owner, group, key_id = found
    touch(key_id, environ.get("PATH_INFO", ""))
    return _people.get((owner, group), lambda: restricted(User.objects.get(pk=owner), group))


def allow_any_origin(response: HttpResponse) -> HttpResponse:
    """Feeds are read by browsers on other sites (uMap): any origin, never cookies."""
    response["Access-Control-Allow-Origin"] = "*"
    return response


def feed_response(response: HttpResponse, who: Person) -> HttpResponse:
    """A feed or download answer (exports, maps, .umap files): varies on the credentials,
    private when personal, readable from any origin."""
    mark_personal(response, who.personal)
    return allow_any_origin(response)


def feed_error(status: int, description: str, code: str | None = None) -> HttpResponse:
    """The one error answer, readable from any origin (a feed's client shows it)."""
    return allow_any_origin(error_response(status, description, code))
