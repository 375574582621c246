"""Addresses made from titles: the groups' (``/groupes/<slug>/``) and the maps'
(``/cartes/<slug>/``), each unique and never one of the words their pages use."""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import QuerySet
from django.utils.text import slugify


def free_slug(
    taken: QuerySet, text: str, *, default: str, reserved: Collection[str] = (), length: int = 80
) -> str:
    """The slug of ``text`` (``default`` when it has no letter or digit), followed by ``-2``,
    ``-3``… while ``taken`` (a queryset with a ``slug`` field) holds it or it is reserved."""
    stem = slugify(text)[:length].strip("-") or default
    slug, n = stem, 1
    while slug in reserved or taken.filter(slug=slug).exists():
        n += 1
        slug = f"{stem}-{n}"
    return slug
