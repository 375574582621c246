"""HTTP Basic without paying PBKDF2 at every request, and without letting anyone guess.

QGIS and GDAL send the same ``Authorization: Basic`` header with every request of a layer;
Django's password check costs ~0.2 s of CPU on purpose (PBKDF2, 1,000,000 iterations).
So:

- a *verified* credential is remembered in this process for
  ``SPASS['BASIC_AUTH_REMEMBER_SECONDS']``, under a keyed hash (HMAC with the secret key) of
  ``username:password``, never the password itself. What is kept is the account's id and its
  session authentication hash (an HMAC of its password hash); every request that uses the
  memo reads the account's row again and compares both, so a password changed, an account
  deactivated, in any worker process or in the admin, takes effect at the next request of
  every process. A failed attempt is never remembered;
- failed attempts are counted per username and per client address in a table that every
  web worker shares (:class:`~workgroups.models.AuthFailures`, one atomic upsert per
  failure): past ``BASIC_AUTH_MAX_FAILURES`` (per username) or
  ``BASIC_AUTH_MAX_FAILURES_PER_ADDRESS`` in ``BASIC_AUTH_FAILURE_WINDOW`` seconds, the
  password is no longer checked until the window ends (429 and ``Retry-After`` at the edge,
  :mod:`workgroups.edge`). Counters are keyed by hashes too: a password typed in the
  username field is not stored.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from .models import AuthFailures, User

#: Most credentials one process remembers (oldest forgotten first): a bound, not a target.
MEMO_SIZE = 1000


def _digest(purpose: str, value: str) -> str:
    return salted_hmac(f"workgroups.basic.{purpose}", value, algorithm="sha256").hexdigest()


@dataclass(frozen=True)
class _Verified:
    user_id: int
    auth_hash: str
    until: float


class _Memo:
    """Verified credentials of this process, by keyed hash, each until its deadline."""

    def __init__(self) -> None:
        self._entries: OrderedDict[str, _Verified] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> _Verified | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry.until <= time.monotonic():
                del self._entries[key]
                entry = None
            return entry

    def put(self, key: str, entry: _Verified) -> None:
        with self._lock:
            self._entries.pop(key, None)
            self._entries[key] = entry
            while len(self._entries) > MEMO_SIZE:
                self._entries.popitem(last=False)

    def forget(self, key: str) -> None:
        with self._lock:
            self._entries.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


memo = _Memo()


def credentials_key(username: str, password: str) -> str:
    """The keyed hash under which a verified ``username``/``password`` is remembered."""
    return _digest("credentials", f"{username}:{password}")


def remembered_user(key: str) -> User | None:
    """The account of a credential verified less than ``BASIC_AUTH_REMEMBER_SECONDS`` ago,
    read again from the database; None (and forgotten) when it is unknown, expired, or its
    account's password or active state changed since."""
    entry = memo.get(key)
    if entry is None:
        return None
    user = User.objects.filter(pk=entry.user_id).first()
    if (
        user is None
        or not user.is_active
        or not constant_time_compare(user.get_session_auth_hash(), entry.auth_hash)
    ):
        memo.forget(key)
        return None
    return user


def remember(key: str, user: User) -> None:
    """Remember that ``key`` was just verified as ``user`` (nothing when the setting is 0)."""
    seconds = settings.SPASS["BASIC_AUTH_REMEMBER_SECONDS"]
    if seconds > 0:
        memo.put(key, _Verified(user.pk, user.get_session_auth_hash(), time.monotonic() + seconds))


def _failure_keys(username: str, address: str) -> tuple[str, str]:
    return _digest("failures", f"user:{username}"), _digest("failures", f"address:{address}")


_RECORD = """
INSERT INTO workgroups_authfailures AS f (key, window_start, failures) VALUES (%s, now(), 1)
ON CONFLICT (key) DO UPDATE SET
  failures = CASE WHEN f.window_start <= now() - make_interval(secs => %s) THEN 1
                  ELSE f.failures + 1 END,
  window_start = CASE WHEN f.window_start <= now() - make_interval(secs => %s) THEN now()
                      ELSE f.window_start END
"""
_RETRY_AFTER = """
SELECT ceil(extract(epoch FROM max(window_start) + make_interval(secs => %s) - now()))::int
FROM workgroups_authfailures
WHERE window_start > now() - make_interval(secs => %s)
  AND ((key = %s AND failures >= %s) OR (key = %s AND failures >= %s))
"""


def retry_after(username: str, address: str) -> int | None:
    """Seconds until ``username`` or ``address`` may try a password again, or None when
    neither has reached its number of failures in the current window."""
    conf = settings.SPASS
    window = conf["BASIC_AUTH_FAILURE_WINDOW"]
    user_key, address_key = _failure_keys(username, address)
    params = [window, window, user_key, conf["BASIC_AUTH_MAX_FAILURES"]]
    params += [address_key, conf["BASIC_AUTH_MAX_FAILURES_PER_ADDRESS"]]
    with connection.cursor() as cursor:
        cursor.execute(_RETRY_AFTER, params)
        seconds = cursor.fetchone()[0]
    return None if seconds is None else max(seconds, 1)


def record_failure(username: str, address: str) -> None:
    """Count one failed attempt for ``username`` and for ``address`` (a new window starts
    when the last one is over); rows of windows long over are dropped on the way."""
    window = settings.SPASS["BASIC_AUTH_FAILURE_WINDOW"]
    with connection.cursor() as cursor:
        for key in _failure_keys(username, address):
            cursor.execute(_RECORD, [key, window, window])
    over = timezone.now() - timedelta(seconds=window)
    AuthFailures.objects.filter(window_start__lt=over).delete()
