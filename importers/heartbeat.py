"""The signs of life of an import command: the process recorded on its job and a heartbeat.

A command (``manage.py import_*``) killed mid-run leaves no trace but its job « en cours »;
its process id and machine, and ``heartbeat_at`` written every quarter of
``IMPORT_STALLED_AFTER``, let ``importers.interruptions`` tell a live import from a dead one.
Times are the database's (``now()``, as procrastinate's heartbeats), so the clocks of the
machines running commands do not matter.
"""

from __future__ import annotations

import os
import socket
import threading
from datetime import timedelta
from types import TracebackType

from django.conf import settings
from django.db import connection
from django.db.models.functions import Now

from .models import ImportJob


def stalled_after() -> timedelta:
    """How long a running import may stay silent before it counts as interrupted."""
    return timedelta(seconds=settings.SPASS["IMPORT_STALLED_AFTER"])


def this_process() -> dict[str, int | str]:
    """The fields naming the process that runs an import (shown when it is interrupted)."""
    return {"pid": os.getpid(), "host": socket.gethostname()[:255]}


class Heartbeat:
    """While open, a thread writes ``heartbeat_at`` on the running jobs of this process.

    A thread rather than the progress callback: the final write (``COPY``, ``UPDATE``,
    ``INSERT`` of 45,000 rows) is one long statement during which no row is read."""

    def __init__(self) -> None:
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._beat, name="import-heartbeat", daemon=True)

    def __enter__(self) -> Heartbeat:
        self.thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop.set()
        self.thread.join()

    def _beat(self) -> None:
        every = stalled_after().total_seconds() / 4
        mine = ImportJob.objects.filter(status=ImportJob.Status.RUNNING, **this_process())
        try:
            while True:
                mine.update(heartbeat_at=Now())
                if self.stop.wait(every):
                    return
        finally:
            connection.close()  # the thread's own connection
