"""Read replicas: the reads of a GET or HEAD go to a healthy streaming replica, everything
else to the primary (docs/scale.md).

Why reads only of GET/HEAD, and only inside a request: a replica lags the primary by the
time it takes to replay the WAL, so a read may go there only when a slightly old answer is
harmless. Outside a request (procrastinate workers, migrations, management commands, the
shell) nothing marks the context as readable, so every query goes to the primary. Inside a
request, the primary is kept for:

- any method other than GET/HEAD (a form, an API write: they read what they write);
- a person who wrote less than ``SPASS_REPLICA_PIN_S`` seconds ago (a signed cookie set by
  :class:`ReplicaMiddleware` after their write): they see their own change at once;
- the rest of a request once it has written anything, and any read inside an atomic block;
- a replica that does not answer or lags more than ``SPASS_REPLICA_MAX_LAG_S`` (checked at
  most every ``SPASS_REPLICA_CHECK_S`` seconds per process and alias), or that failed a query
  during a request (a GET is answered again on the primary: no 5xx).

The kept prepared statements (:mod:`geo.prepared`) ask :func:`read_alias` for their
connection, so the fast paths (OGC, tiles) follow the same choice.
"""

from __future__ import annotations

import contextvars
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import HttpRequest, HttpResponse
from django.http.cookie import parse_cookie

logger = logging.getLogger(__name__)

#: Name of the signed cookie that keeps a person who just wrote on the primary.
PIN_COOKIE = "spass_primary"
_PIN_SALT = "geo.replicas.pin"
READ_METHODS = frozenset({"GET", "HEAD"})

#: What the replica says of itself: in recovery, and its replay delay in seconds (0 when it
#: has replayed everything it received, so an idle primary does not look like lag).
_HEALTH_SQL = (
    "SELECT pg_is_in_recovery(), CASE WHEN NOT pg_is_in_recovery() "
    "OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
    "ELSE COALESCE(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 0) END"
)


@dataclass
class Reading:
    """The read state of one request: whether a replica may serve it, and which did."""

    allowed: bool
    used: str | None = None


_reading: contextvars.ContextVar[Reading | None] = contextvars.ContextVar(
    "spass_reading", default=None
)


def replica_aliases() -> list[str]:
    """The configured replicas (``DATABASES["replica_N"]``, from SPASS_DATABASE_REPLICA_URLS)."""
    return sorted(alias for alias in connections.settings if alias.startswith("replica_"))


class _Health:
    """Per-process verdicts on each replica, renewed at most every SPASS_REPLICA_CHECK_S."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.verdicts: dict[str, tuple[float, bool]] = {}

    def healthy(self, alias: str) -> bool:
        now = time.monotonic()
        checked = self.verdicts.get(alias)
        if checked is not None and now - checked[0] < settings.SPASS_REPLICA_CHECK_S:
            return checked[1]
        with self.lock:
            checked = self.verdicts.get(alias)
            if checked is not None and now - checked[0] < settings.SPASS_REPLICA_CHECK_S:
                return checked[1]
            verdict = self._check(alias)
            self.verdicts[alias] = (time.monotonic(), verdict)
            return verdict

    def _check(self, alias: str) -> bool:
        """Reachable and within the lag allowed. The check runs on the thread's own
        connection to the replica (Django connections are per thread)."""
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute(_HEALTH_SQL)
                _in_recovery, lag = cursor.fetchone()
        except DatabaseError:
            logger.warning("réplique %s injoignable : lectures sur le primaire", alias)
            connections[alias].close()
            return False
        if float(lag) > settings.SPASS_REPLICA_MAX_LAG_S:
            logger.warning("réplique %s en retard de %.1f s : lectures sur le primaire", alias, lag)
            return False
        return True

    def down(self, alias: str) -> None:
        """A query failed there: the primary serves until the next check."""
        self.verdicts[alias] = (time.monotonic(), False)
        with suppress(DatabaseError):
            connections[alias].close()

    def forget(self) -> None:
        self.verdicts.clear()


health = _Health()


def read_alias() -> str:
    """The alias the reads of the current context go to: a healthy replica when the context
    allows one, else the primary."""
    reading = _reading.get()
    if reading is None or not reading.allowed:
        return DEFAULT_DB_ALIAS
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS
    if reading.used is not None:
        return reading.used
    aliases = replica_aliases()
    if not aliases:
        return DEFAULT_DB_ALIAS
    # one replica per thread, so that each keeps its connections and prepared statements
    start = threading.get_ident() % len(aliases)
    for alias in aliases[start:] + aliases[:start]:
        if health.healthy(alias):
            reading.used = alias
            return alias
    return DEFAULT_DB_ALIAS


def wrote() -> None:
    """The current request wrote: its later reads go to the primary."""
    reading = _reading.get()
    if reading is not None:
        reading.allowed = False


def failed() -> bool:
    """A query of the current context failed: if a replica served it, mark that replica
    down and send the rest of the context to the primary. True when a replica was to blame."""
    reading = _reading.get()
    if reading is None or reading.used is None:
        return False
    health.down(reading.used)
    reading.used = None
    reading.allowed = False
    return True


def is_pinned(cookies: dict[str, str]) -> bool:
    """Whether the signed pin cookie says this person wrote within SPASS_REPLICA_PIN_S."""
    value = cookies.get(PIN_COOKIE)
    if not value:
        return False
    try:
        signing.loads(value, salt=_PIN_SALT, max_age=settings.SPASS_REPLICA_PIN_S)
    except signing.BadSignature:
        return False
    return True


@contextmanager
def reading(method: str, cookies: dict[str, str]) -> Iterator[Reading]:
    """The read state of one request, for the code that runs inside."""
    state = Reading(allowed=method in READ_METHODS and not is_pinned(cookies))
    token = _reading.set(state)
    try:
        yield state
    finally:
        _reading.reset(token)


def reading_environ(environ: dict):
    """:func:`reading` for a WSGI request (the fast paths, before Django)."""
    return reading(environ.get("REQUEST_METHOD", ""), parse_cookie(environ.get("HTTP_COOKIE", "")))


class ReplicaRouter:
    """``DATABASE_ROUTERS``: reads where :func:`read_alias` says, writes and migrations on
    the primary."""

    def db_for_read(self, model, **hints) -> str:
        return read_alias()

    def db_for_write(self, model, **hints) -> str:
        wrote()
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the replicas hold the same rows as the primary

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool:
        return db == DEFAULT_DB_ALIAS


class ReplicaMiddleware:
    """Marks each request as readable from a replica or not, pins a person who wrote to the
    primary for SPASS_REPLICA_PIN_S seconds, and answers a GET again on the primary when a
    replica failed it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not replica_aliases():
            return self.get_response(request)
        with reading(request.method or "", request.COOKIES):
            response = self.get_response(request)
        if request.method not in READ_METHODS:
            response.set_cookie(
                PIN_COOKIE,
                signing.dumps(1, salt=_PIN_SALT),
                max_age=settings.SPASS_REPLICA_PIN_S,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A database error while a replica served this GET: the replica is marked down and
        the request answered again, on the primary (a GET has no effect to repeat)."""
        if isinstance(exception, DatabaseError) and failed():
            logger.warning("réplique en échec pendant %s : réponse du primaire", request.path)
            return self.get_response(request)
        return None
