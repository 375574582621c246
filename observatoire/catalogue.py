"""The one registry of OGC API collections: three bases and one collection per kind; and the
one meaning of a date filter (:func:`period_q`).

Everything else (pygeoapi's config, queryables, the provider's fields, the OpenAPI document)
is derived from :data:`COLLECTIONS`; nothing is hand-written per collection. Extents are
computed from what the requesting person may see, so they never reveal a hidden resource.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.gis.db.models import Extent
from django.db.models import Max, Min, Q
from django.db.models.functions import Coalesce

from observatoire.kinds import BASE_HELP, KIND_HELP, KINDS_OF_BASE, Base, Kind
from observatoire.models import Resource
from observatoire.schemas import KIND_SCHEMAS

#: English labels (French ones come from the model's choices).
_EN_BASES = {
    Base.OBSERVATOIRE: ("Observatory", "Participatory observatory of the living environment."),
    Base.MEDIATHEQUE: ("Media library", "Articles, publications, photos, data, videos, tools."),
    Base.ACTIVITE: ("Activity", "Activity of the CAUE: missions, advice, training."),
}
_EN_KINDS = {
    Kind.MARQUEUR: "Landmark",
    Kind.PROJET: "Project",
    Kind.REALISATION: "Completed work",
    Kind.ACTION: "Action",
    Kind.ARTICLE: "Article",
    Kind.PUBLICATION: "Publication",
    Kind.PHOTO: "Photograph",
    Kind.DONNEE_GEO: "Geographic dataset",
    Kind.SITE_WEB: "Website",
    Kind.VIDEO: "Video",
    Kind.OUTIL: "Tool",
    Kind.VIE_ASSOCIATION: "Life of the association",
    Kind.CONSEIL_COLLECTIVITES: "Advice to local authorities",
    Kind.CONSEIL_PARTICULIERS: "Advice to individuals",
    Kind.FORMATION: "Training",
    Kind.SENSIBILISATION: "Awareness action",
    Kind.EDITION: "Publishing",
}

#: Bounding box used when nothing visible has a place (mainland France and overseas).
WORLD_BBOX = [-180.0, -90.0, 180.0, 90.0]


@dataclass(frozen=True)
class Collection:
    """One OGC API collection: a base, or one kind of a base."""

    id: str
    base: str
    kind: str | None
    title: dict[str, str]
    description: dict[str, str]
    keywords: dict[str, list[str]] = field(default_factory=dict)

    def __hash__(self) -> int:
        # one collection per id; its titles are dicts, so the generated hash would fail
        # (channels use collections in keys of compiled-SQL memos)
        return hash(self.id)

    def q(self) -> Q:
        """The rows of this collection (to combine with ``visible_to(user)``)."""
        if self.kind:
            return Q(kind=self.kind)
        return Q(base=self.base)

    @property
    def kinds(self) -> tuple[str, ...]:
        return (self.kind,) if self.kind else tuple(KINDS_OF_BASE[self.base])

    @property
    def attribute_schema(self) -> dict[str, dict[str, Any]]:
        """Per-kind attributes shown as flat properties (kind collections only)."""
        if not self.kind:
            return {}
        return dict(KIND_SCHEMAS.get(self.kind, {}).get("properties", {}))


def _build() -> dict[str, Collection]:
    registry: dict[str, Collection] = {}
    for base in Base:
        en_title, en_desc = _EN_BASES[base]
        registry[base.value] = Collection(
            id=base.value,
            base=base.value,
            kind=None,
            title={"fr": str(base.label), "en": en_title},
            description={"fr": str(BASE_HELP[base]), "en": en_desc},
            keywords={"fr": [str(base.label)], "en": [en_title]},
        )
        for kind in KINDS_OF_BASE[base]:
            kind = Kind(kind)
            collection_id = f"{base.value}-{kind.value.replace('_', '-')}"
            registry[collection_id] = Collection(
                id=collection_id,
                base=base.value,
                kind=kind.value,
                title={
                    "fr": f"{base.label} : {kind.label}",
                    "en": f"{en_title}: {_EN_KINDS[kind]}",
                },
                description={
                    "fr": str(KIND_HELP[kind]),
                    "en": f"{_EN_KINDS[kind]} ({en_title}).",
                },
                keywords={
                    "fr": [str(base.label), str(kind.label)],
                    "en": [en_title, _EN_KINDS[kind]],
                },
            )
    return registry


COLLECTIONS: dict[str, Collection] = _build()


@dataclass
class CollectionExtent:
    bbox: list[float] | None = None
    begin: str | None = None
    end: str | None = None


def visible_extents(user: Any, only: str | None = None) -> dict[str, CollectionExtent]:
    """Spatial and temporal extents of every collection (or ``only`` one), from what ``user``
    may see. One grouped query over ``visible_to(user)``; kinds are merged into their base.
    """
    qs = Resource.objects.visible_to(user)
    if only is not None:
        qs = qs.filter(COLLECTIONS[only].q())
    rows = (
        qs.order_by()
        .values("base", "kind")
        .annotate(
            box=Extent("geom"),
            begin=Min("date_start"),
            end=Max(Coalesce("date_end", "date_start")),
        )
    )
    per_kind = {row["kind"]: row for row in rows}
    extents: dict[str, CollectionExtent] = {}
    for collection in COLLECTIONS.values():
        if only is not None and collection.id != only:
            continue
        extent = CollectionExtent()
        for kind in collection.kinds:
            row = per_kind.get(kind)
            if row is None:
                continue
            extent.bbox = _union(extent.bbox, row["box"])
            extent.begin = _first(extent.begin, row["begin"], min)
            extent.end = _first(extent.end, row["end"], max)
        extents[collection.id] = extent
    return extents


def _union(bbox: list[float] | None, box: tuple | None) -> list[float] | None:
    if box is None:
        return bbox
    if bbox is None:
        return [float(v) for v in box]
    return [min(bbox[0], box[0]), min(bbox[1], box[1]), max(bbox[2], box[2]), max(bbox[3], box[3])]


def _first(current: str | None, value: Any, pick: Any) -> str | None:
    if value is None:
        return current
    text = value.isoformat() + "T00:00:00Z"
    return text if current is None else pick(current, text)


def period_q(date_from: dt.date | None = None, date_to: dt.date | None = None) -> Q:
    """Resources whose period overlaps [``date_from``, ``date_to``] (either end open): the one
    meaning of ``date_from``/``date_to`` in every channel (REST, OGC API ``datetime``, tiles,
    maps, downloads through their CQL2).

    A resource's period is [date_start, date_end or date_start]: it matches ``date_from``
    when it ends on or after it, ``date_to`` when it starts on or before it.
    :func:`period_cql2` writes the same condition in CQL2."""
    q = Q()
    if date_from is not None:
        q &= Q(date_end__gte=date_from) | Q(date_end__isnull=True, date_start__gte=date_from)
    if date_to is not None:
        q &= Q(date_start__lte=date_to)
    return q


def period_cql2(date_from: dt.date | None = None, date_to: dt.date | None = None) -> list[str]:
    """:func:`period_q` as CQL2 text clauses (to AND together), for filters saved as text
    (maps' layers and their viewer): each clause is atomic (no top-level AND/OR)."""
    clauses = []
    if date_from is not None:
        day = f"DATE('{date_from.isoformat()}')"
        clauses.append(f"(date_end >= {day} OR (date_end IS NULL AND date_start >= {day}))")
    if date_to is not None:
        clauses.append(f"date_start <= DATE('{date_to.isoformat()}')")
    return clauses
