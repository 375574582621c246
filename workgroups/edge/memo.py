"""One memo for what a process compiles once and reuses: the SQL of ``visible_to(user)``
wrapped by the OGC pages (``ogc/pagesql.py``) and by anonymous tiles (``tiles/render.py``),
and the accounts the fast paths name. Compiling the visibility rule costs more than running
it on an indexed page, so its SQL text is kept; what it reads (memberships, levels,
validation) is read by that SQL at each execution, never kept.

One eviction policy: a bounded LRU (the least recently used entry goes first), safe across
the threads of a worker. Keys name everything the value depends on — the person's
visibility key (:func:`person_key`), the collection, the filters, the output shape.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any


def person_key(user: Any) -> int | tuple[int, int] | None:
    """Who a compiled visibility rule is for: an active account's id (with the group a feed
    key restricts it to), or None (public)."""
    if user is not None and user.is_authenticated and user.is_active:
        group = getattr(user, "key_group_id", None)
        return user.pk if group is None else (user.pk, group)
    return None


class Memo:
    """At most ``size`` values by key; :meth:`get` builds what is missing."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, build: Callable[[], Any]) -> Any:
        """The value kept under ``key``, or ``build()`` kept there (built outside the lock:
        a build may use another memo, or this one under another key)."""
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        value = build()
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._entries
