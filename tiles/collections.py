"""The tile collections: one per base and one per kind (``observatoire-marqueur``…).

A plain registry, name → (base, kind or None, French title), meant to be unified with the
OGC API collections.
"""

from __future__ import annotations

from typing import NamedTuple

from observatoire.kinds import KINDS_OF_BASE, Base, Kind


class Collection(NamedTuple):
    base: str
    kind: str | None
    title: str


def collection_name(base: str, kind: str | None = None) -> str:
    """URL name: the base, or ``base-kind`` with hyphens (``mediatheque-site-web``)."""
    return base if kind is None else f"{base}-{kind.replace('_', '-')}"


def _registry() -> dict[str, Collection]:
    registry: dict[str, Collection] = {}
    for base, kinds in KINDS_OF_BASE.items():
        registry[collection_name(base)] = Collection(base, None, str(Base(base).label))
        for kind in kinds:
            registry[collection_name(base, kind)] = Collection(
                base, kind, f"{Base(base).label} — {Kind(kind).label}"
            )
    return registry


COLLECTIONS: dict[str, Collection] = _registry()
