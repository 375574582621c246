"""Who is behind a request, on every read channel (REST, OGC API, tiles, feeds, exports).

A browser sends its session; GIS clients send HTTP Basic or ``Authorization: Token …``;
clients that cannot send headers use a personal read-only feed key in the URL (``?key=…``).
Channels call :func:`request_user` and then ``visible_to(user)``; nothing else decides.
"""

from __future__ import annotations

import base64
import binascii
import secrets
from functools import cache

from django.contrib.auth import authenticate
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from geo import prepared

from . import basic
from .keyuse import touch
from .models import FeedKey, Group, User

FEED_KEY_PARAM = "key"


class BadCredentials(Exception):
    """Credentials were sent but are wrong: the channel answers 401, not anonymous data."""


class TooManyAttempts(BadCredentials):
    """Too many failed passwords for this username or address: the password is not even
    checked. Channels answer 401 as for any :class:`BadCredentials`; the edge turns that
    answer into 429 with ``Retry-After`` (:data:`RETRY_AFTER`, set on the request)."""

    def __init__(self, seconds: int) -> None:
        super().__init__(
            _(
                "Trop de tentatives d'identification échouées pour ce compte ou depuis cette "
                "adresse : réessayez dans %(seconds)s secondes."
            )
            % {"seconds": seconds}
        )
        self.seconds = seconds


#: Request attribute carrying the seconds of a :class:`TooManyAttempts` refusal to the edge.
RETRY_AFTER = "spass_retry_after"


def _basic_user(request: HttpRequest, header: str) -> User:
    """The account of a Basic header: remembered if verified lately (:mod:`.basic`),
    otherwise checked by Django, unless this username or address failed too often."""
    try:
        decoded = base64.b64decode(header.split(" ", 1)[1].strip()).decode("utf-8")
        username, password = decoded.split(":", 1)
    except (IndexError, ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise BadCredentials("En-tête Authorization Basic mal formé.") from exc
    key = basic.credentials_key(username, password)
    user = basic.remembered_user(key)
    if user is not None:
        return user
    address = request.META.get("REMOTE_ADDR", "")
    seconds = basic.retry_after(username, address)
    if seconds is not None:
        setattr(request, RETRY_AFTER, seconds)
        raise TooManyAttempts(seconds)
    user = authenticate(request, username=username, password=password)
    if user is None or not user.is_active:
        basic.record_failure(username, address)
        raise BadCredentials("Identifiant ou mot de passe incorrect.")
    basic.remember(key, user)
    return user


def _token_user(header: str) -> User:
    from rest_framework.authtoken.models import Token

    key = header.split(" ", 1)[1].strip() if " " in header else ""
    token = Token.objects.select_related("user").filter(key=key).first()
    if token is None or not token.user.is_active:
        raise BadCredentials("Jeton d'accès inconnu ou révoqué.")
    return token.user


def _valid_feed_keys(key: str) -> QuerySet:
    """The feed key ``key`` while it is not revoked and its account is active."""
    return FeedKey.objects.filter(key=key, revoked_at__isnull=True, user__is_active=True)


def writing_key(key: str) -> bool:
    """``key`` is valid and its owner made it a writing key."""
    return _valid_feed_keys(key).filter(scope=FeedKey.Scope.WRITE).exists()


def restricted(user: User, group_id: int | None) -> User:
    """``user`` as named by a key restricted to ``group_id`` (the one rule reads it)."""
    if group_id is not None:
        user.key_group_id = group_id
    return user


def _feed_key_user(key: str, path: str = "") -> User:
    feed_key = _valid_feed_keys(key).select_related("user").first()
    if feed_key is None:
        raise BadCredentials("Clé de flux inconnue ou révoquée.")
    touch(feed_key.pk, path)
    return restricted(feed_key.user, feed_key.group_id)


#: Stands for the key in the kept SQL of :func:`feed_key_owner` (real keys are URL-safe).
_KEY_SLOT = "\x00feed-key\x00"


@cache
def _owner_sql() -> tuple[str, tuple]:
    sql, params = (
        _valid_feed_keys(_KEY_SLOT)
        .values_list("user_id", "group_id", "pk")[:1]
        .query.sql_with_params()
    )
    return sql, tuple(params)


def feed_key_owner(key: str) -> tuple[int, int | None, int] | None:
    """(account id, restricting group id or None, key id) of a valid feed key, or None.

    The same lookup as the one of :func:`request_user`, compiled once and run as a prepared
    statement: the WSGI fast paths call it at every request, where the ORM query cost more
    (compiling, then planning) than the feed it opens."""
    if "\x00" in key:
        return None
    sql, params = _owner_sql()
    row = prepared.fetchone(sql, tuple(key if p == _KEY_SLOT else p for p in params))
    return (row[0], row[1], row[2]) if row else None


def request_user(request: HttpRequest) -> User | AnonymousUser:
    """The person behind ``request``: Authorization header (Basic or Token), then feed key,
    then session. Raises :class:`BadCredentials` when credentials are sent but wrong."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme = header.split(" ", 1)[0].lower() if header else ""
    if scheme == "basic":
        return _basic_user(request, header)
    if scheme == "token":
        return _token_user(header)
    key = request.GET.get(FEED_KEY_PARAM)
    if key:
        return _feed_key_user(key, request.path)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_active:
        return user
    return AnonymousUser()


def is_personal(request: HttpRequest) -> bool:
    """True when the answer depends on who asks (send ``Cache-Control: private``)."""
    user = getattr(request, "user", None)
    return bool(
        request.META.get("HTTP_AUTHORIZATION")
        or request.GET.get(FEED_KEY_PARAM)
        or (user is not None and user.is_authenticated)
    )


def create_feed_key(
    user: User, label: str = "", scope: str = FeedKey.Scope.READ, group: Group | None = None
) -> FeedKey:
    return FeedKey.objects.create(
        user=user, key=secrets.token_urlsafe(32), label=label, scope=scope, group=group
    )


def feed_key_for(user: User, label: str = "uMap") -> str:
    """The user's feed key of that label (one, reused), so that private layers load in
    clients that cannot send headers (uMap, a QGIS connection given by URL)."""
    existing = FeedKey.objects.filter(user=user, label=label, revoked_at__isnull=True).first()
    return (existing or create_feed_key(user, label)).key


def revoke_feed_key(feed_key: FeedKey) -> None:
    feed_key.revoked_at = timezone.now()
    feed_key.save(update_fields=["revoked_at"])


def issue_api_token(user: User) -> str:
    """The person's API token (``Authorization: Token …``), created on first request."""
    from rest_framework.authtoken.models import Token

    return Token.objects.get_or_create(user=user)[0].key


def revoke_api_token(user: User) -> None:
    """Revoke the person's API token: every client using it must authenticate again."""
    from rest_framework.authtoken.models import Token

    Token.objects.filter(user=user).delete()
