"""Kept SQL texts run as server-side prepared statements, one libpq call per execution.

The hottest statements (anonymous tiles, OGC pages and items, feed keys) keep one SQL text per
process: planning it again at each request costs more than running it on an indexed page.
psycopg's cursor can prepare them (``execute(..., prepare=True)``) but spends about 60 µs of
Python per execution on the cursor, the query conversion and its generator I/O, a quarter
of the whole cost of a z14 tile. Here a text is converted once per process and prepared once
per connection; each execution is then one ``PQexecPrepared`` (the GIL released while
PostgreSQL works), with the parameters dumped and the row loaded by psycopg's own adapters,
and binary results (tile bytes come without hex). Plans are generic: see ``DATABASES`` in the
settings.

With ``SPASS_DB_PREPARED`` off (a pooler in transaction mode that does not know prepared
statements), the same texts run through Django's cursor, planned at each execution.
"""

from __future__ import annotations

import hashlib
import threading
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import psycopg
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from psycopg import pq
from psycopg.adapt import PyFormat, Transformer

from . import replicas

if TYPE_CHECKING:
    from psycopg.pq.abc import PGresult

BINARY = pq.Format.BINARY
TUPLES_OK = pq.ExecStatus.TUPLES_OK
SQLSTATE = pq.DiagnosticField.SQLSTATE
IDLE = pq.TransactionStatus.IDLE

#: PostgreSQL's code for « prepared statement does not exist » (a DISCARD ALL by a pooler…).
_UNKNOWN_STATEMENT = b"26000"


class _Session:
    """What one thread keeps for its database connection: the statements prepared on it
    and psycopg's adapters, whose dumpers and loaders are looked up once. A thread may hold a
    connection to the primary and one to a replica: one session per alias."""

    def __init__(self, conn: psycopg.Connection) -> None:
        self.conn = conn
        self.names: set[bytes] = set()
        self.transformer = Transformer(conn)


#: Django gives each thread its own connection per alias: one session per thread and alias,
#: renewed with the connection.
_local = threading.local()


@lru_cache(maxsize=1024)
def _statement(sql: str) -> tuple[bytes, bytes]:
    """Name and libpq text (``$1``, ``$2``…) of ``sql`` written with ``%s`` placeholders;
    ``%%`` stands for ``%``, as with Django's cursors."""
    parts = sql.split("%%")
    numbered, count = [], 0
    for part in parts:
        pieces = part.split("%s")
        text = pieces[0]
        for piece in pieces[1:]:
            count += 1
            text += f"${count}{piece}"
        numbered.append(text)
    query = "%".join(numbered)
    return f"spass_{hashlib.sha1(query.encode()).hexdigest()[:20]}".encode(), query.encode()


def fetchone(sql: str, params: tuple[Any, ...], prepared: bool = True) -> tuple[Any, ...] | None:
    """The first row of ``sql`` for ``params``: a kept text as a prepared statement;
    request-specific SQL (``prepared`` false) through Django's cursor, planned for its
    values."""
    alias = replicas.read_alias()
    database = connections[alias]
    if not (prepared and settings.SPASS_DB_PREPARED):
        with database.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()
    database.ensure_connection()
    with database.wrap_database_errors:
        return _execute(database.connection, sql, params, alias)


def _execute(
    conn: psycopg.Connection, sql: str, params: tuple[Any, ...], alias: str = DEFAULT_DB_ALIAS
) -> tuple | None:
    sessions = _local.__dict__.setdefault("sessions", {})
    session = sessions.get(alias)
    if session is None or session.conn is not conn:
        session = sessions[alias] = _Session(conn)
    name, query = _statement(sql)
    transformer = session.transformer
    values = transformer.dump_sequence(params, _text_formats(len(params)))
    pgconn = conn.pgconn
    if name not in session.names:
        _check(conn, pgconn.prepare(name, query))
        session.names.add(name)
    result = pgconn.exec_prepared(name, values, result_format=BINARY)
    if result.status != TUPLES_OK:
        if result.error_field(SQLSTATE) == _UNKNOWN_STATEMENT:
            # deallocated behind our back (DISCARD ALL…): prepared again at the next
            # execution, or now when no transaction was aborted by the failure
            session.names.discard(name)
            if pgconn.transaction_status == IDLE:
                _check(conn, pgconn.prepare(name, query))
                session.names.add(name)
                result = pgconn.exec_prepared(name, values, result_format=BINARY)
        _check(conn, result)
    if not result.ntuples:
        return None
    transformer.set_pgresult(result)
    return transformer.load_row(0, tuple)


@lru_cache(maxsize=64)
def _text_formats(count: int) -> tuple[PyFormat, ...]:
    """Parameters go as text: PostgreSQL gives each the type its place in the query asks."""
    return (PyFormat.TEXT,) * count


def _check(conn: psycopg.Connection, result: PGresult) -> None:
    """Raise psycopg's error for a failed result, as its cursor would."""
    if result.status not in (pq.ExecStatus.COMMAND_OK, pq.ExecStatus.TUPLES_OK):
        raise psycopg.errors.error_from_result(result, encoding=conn.info.encoding)
