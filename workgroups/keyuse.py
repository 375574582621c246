"""When and where a feed key was last used, written at most once a minute per key: each
process remembers when it last wrote a key's use (no query at all in between), and the
``UPDATE`` itself only touches a row whose stored use is a minute old, so several workers
write it once between them. A feed read by QGIS every few seconds costs no write load."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from .models import FeedKey

#: Seconds between two writes of one key's last use.
EVERY = 60

#: The channel of a path, by prefix (the first that matches).
CHANNELS = (
    ("/ogc", "ogc"),
    ("/tiles/", "tuiles"),
    ("/exports/", "exports"),
    ("/cartes/", "cartes"),
    ("/portails/", "flux"),
    ("/api/", "api"),
)

_written: dict[int, float] = {}
_lock = threading.Lock()


def channel_of(path: str) -> str:
    for prefix, name in CHANNELS:
        if path.startswith(prefix):
            return name
    return "autre"


def touch(key_id: int, path: str) -> None:
    """Record that key ``key_id`` opened ``path`` now, unless it was written under a minute
    ago (by this process, or by another: the ``UPDATE``'s condition)."""
    now = time.monotonic()
    with _lock:
        if now - _written.get(key_id, -EVERY) < EVERY:
            return
        _written[key_id] = now
        if len(_written) > 10_000:
            _written.clear()
    stamp = timezone.now()
    FeedKey.objects.filter(pk=key_id).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=stamp - timedelta(seconds=EVERY))
    ).update(last_used_at=stamp, last_used_channel=channel_of(path))


def forget() -> None:
    """Forget what this process wrote (tests)."""
    with _lock:
        _written.clear()
