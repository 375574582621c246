"""Other kinds of things the search page finds besides resources (carnets, and what comes
next), without ``search`` importing the apps that own them: an app above registers a finder
in its ``AppConfig.ready()``; the page shows each finder's hits under its own heading.

A finder is ``(user, text, limit) -> Hits``: it searches only what ``user`` may see (its
model's ``visible_to``), at most ``limit`` rows, and says how many there are in all (capped).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Hit:
    title: str
    url: str
    summary: str = ""
    meta: str = ""


@dataclass
class Hits:
    label: str
    hits: list[Hit] = field(default_factory=list)
    more_url: str = ""


Finder = Callable[[Any, str, int], Hits]

_finders: list[Finder] = []


def register_kind(finder: Finder) -> Finder:
    """Add a finder of the search page (once)."""
    if finder not in _finders:
        _finders.append(finder)
    return finder


def find_others(user: Any, text: str, limit: int = 5) -> list[Hits]:
    """What every registered finder finds for ``text`` (the ones that found something)."""
    if not text.strip():
        return []
    return [found for found in (finder(user, text, limit) for finder in _finders) if found.hits]
