"""French full-text search over the resources a person may see.

Every search starts from ``Resource.objects.visible_to(user)``: results, counts and facets are
computed on that queryset only. The stored ``search_vector`` column (migration 0001) is built
with the ``fr_unaccent`` configuration (unaccent + French stemming), so « église » matches
« Eglises ». When full text finds nothing, the typed words are corrected against the words of
titles (trigram similarity, ``search.typos``) and searched again in full text (« beffroy » →
« beffroi »).

Like mature search engines, it ranks a bounded candidate set: at most
``SPASS["SEARCH_MAX_CANDIDATES"]`` visible matches are read by a LIMITed query returning
their id, rank and facet values (in physical order when matches are dense, through the GIN
index otherwise: ``search.physical``); Python ranks, pages and counts those rows. Below
the cap everything is exact; at the cap the total reads « au moins N » and facets count
those N candidates. Highlights (``ts_headline``) are computed for the shown page only,
which is fetched again from ``visible_to(user)`` by id.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db import transaction
from django.db.models import F, FloatField, Func, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import ExtractYear, Left
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from observatoire.kinds import Base, Kind
from observatoire.models import Resource
from search import physical, typos
from workgroups.models import Group

CONFIG = "fr_unaccent"
#: Markers ts_headline puts around matches; the text is escaped before they become <mark>.
_START, _STOP = "\ue000", "\ue001"

FACETS = ("base", "kind", "group", "year", "departement")


@dataclass
class SearchParams:
    """What the person asked: the text and the facet filters (all optional)."""

    q: str = ""
    base: str = ""
    kind: str = ""
    group: str = ""
    year: int | None = None
    departement: str = ""
    extra: Q | None = None


@dataclass
class SearchResult:
    """``total`` is exact unless ``capped``: then at least ``total`` resources match and the
    facets count the first ``total`` candidates."""

    results: list[Resource]
    total: int
    facets: dict[str, list[dict[str, Any]]]
    fuzzy: bool = False
    capped: bool = False
    errors: dict[str, str] = field(default_factory=dict)


@dataclass
class _Matching:
    """Visible resources matching the text, how to rank them, and how to take candidates."""

    qs: QuerySet
    rank: Any
    query: SearchQuery | None = None
    fuzzy: bool = False
    order: tuple[str, ...] = ()


def max_candidates() -> int:
    """Matches read from the index, ranked and counted (``SPASS_SEARCH_MAX_CANDIDATES``)."""
    return settings.SPASS["SEARCH_MAX_CANDIDATES"]


def _vector() -> RawSQL:
    return RawSQL('"observatoire_resource"."search_vector"', [], output_field=SearchVectorField())


def _departement_expr():
    """Département of the resource from its INSEE commune code (first two characters)."""
    return Left(KeyTextTransform("commune_insee", "attributes"), 2)


def _filtered(qs: QuerySet, params: SearchParams, skip: str = "") -> QuerySet:
    """Apply the facet filters except ``skip`` (so a facet still shows its other values)."""
    if params.base and skip != "base":
        qs = qs.filter(base=params.base)
    if params.kind and skip != "kind":
        qs = qs.filter(kind=params.kind)
    if params.group and skip != "group":
        qs = qs.filter(group__slug=params.group)
    if params.year and skip != "year":
        qs = qs.filter(date_start__year=params.year)
    if params.departement and skip != "departement":
        qs = qs.filter(attributes__commune_insee__startswith=params.departement)
    if params.extra is not None:
        qs = qs.filter(params.extra)
    return qs


def _full_text(user, query: SearchQuery, fuzzy: bool = False) -> _Matching:
    full_text = Resource.objects.visible_to(user).annotate(sv=_vector()).filter(sv=query)
    return _Matching(full_text, SearchRank(_vector(), query), query=query, fuzzy=fuzzy)


def matching_of(user, params: SearchParams) -> _Matching:
    """Visible resources matching the text by full text (all visible ones without text)."""
    q = params.q.strip()
    if not q:
        # No text: the newest, read backwards along the primary key.
        visible = Resource.objects.visible_to(user)
        return _Matching(visible, Value(0.0, output_field=FloatField()), order=("-id",))
    return _full_text(user, SearchQuery(q, config=CONFIG, search_type="websearch"))


def similar_of(user, params: SearchParams) -> _Matching:
    """Typo fallback: visible resources matching the text once each word is replaced by the
    closest words of titles (none when a word has no close title word)."""
    corrected = typos.corrected_query(params.q.strip())
    if corrected is None:
        none = Resource.objects.none()
        return _Matching(none, Value(0.0, output_field=FloatField()), fuzzy=True)
    return _full_text(user, SearchQuery(corrected, config=CONFIG, search_type="raw"), fuzzy=True)


def _dimensions() -> dict[str, Any]:
    return {
        "base": F("base"),
        "kind": F("kind"),
        "group": F("group_id"),
        "year": ExtractYear("date_start"),
        "departement": _departement_expr(),
    }


def candidate_query(
    matching: _Matching, params: SearchParams, skip: str = "", where: Q | None = None
) -> QuerySet:
    """At most ``max_candidates()`` filtered matches (within ``where``, e.g. a block range):
    id, rank and facet values.

    The LIMIT lets PostgreSQL stop reading once it has enough visible rows; ranking, paging
    and facet counts then work on these few rows.
    """
    qs = _filtered(matching.qs, params, skip).order_by(*matching.order)
    if where is not None:
        qs = qs.filter(where)
    qs = qs.annotate(rank=matching.rank, **{f"facet_{n}": e for n, e in _dimensions().items()})
    return qs.values("id", "rank", *[f"facet_{n}" for n in FACETS])[: max_candidates()]


def _candidates(matching: _Matching, params: SearchParams, skip: str = "") -> list[dict]:
    """Full-text candidates: the first blocks are probed; dense matches are then read on in
    physical order, sparse ones through the GIN index (same rows either way). The physical read
    stops after ``SCAN_MAX_ROWS`` rows: matches rarer further on fall back to the index."""
    if matching.query is None:
        return list(candidate_query(matching, params, skip))
    cap, blocks = max_candidates(), physical.probe_blocks()
    head = list(candidate_query(matching, params, skip, physical.in_blocks(0, blocks)))
    if len(head) >= cap:
        return head
    if physical.dense(len(head), cap):
        stop = physical.scan_stop(blocks)
        with physical.planner(physical.PHYSICAL):
            tail = candidate_query(matching, params, skip, physical.in_blocks(blocks, stop))
            found = head + list(tail[: cap - len(head)])
        if len(found) >= cap:
            return found
    with physical.planner(physical.SPARSE):
        return list(candidate_query(matching, params, skip))


def _counts(rows: list[dict], names: list[str]) -> dict[str, Counter]:
    return {n: Counter(r[f"facet_{n}"] for r in rows if r[f"facet_{n}"] is not None) for n in names}


def _facet_counts(
    matching: _Matching, candidates: list[dict], params: SearchParams
) -> dict[str, list[dict[str, Any]]]:
    """Each facet counts the candidates filtered by every other facet (so a chosen value does
    not hide its alternatives). Unchosen facets count ``candidates``; each chosen facet needs
    its own candidate set."""
    chosen = [n for n in FACETS if getattr(params, n)]
    counters = _counts(candidates, [n for n in FACETS if n not in chosen])
    for name in chosen:
        counters.update(_counts(_candidates(matching, params, skip=name), [name]))
    groups = {
        pk: (slug, name)
        for pk, slug, name in Group.objects.filter(pk__in=list(counters["group"])).values_list(
            "pk", "slug", "name"
        )
    }
    counters["group"] = Counter({groups[pk][0]: n for pk, n in counters["group"].items()})
    labels = {
        "base": dict(Base.choices),
        "kind": dict(Kind.choices),
        "group": dict(groups.values()),
    }
    return {
        name: [
            {
                "value": value,
                "count": count,
                "label": str(labels.get(name, {}).get(value, value)),
                "selected": str(getattr(params, name) or "") == str(value),
            }
            for value, count in sorted(counters[name].items(), key=lambda i: (-i[1], str(i[0])))
        ]
        for name in FACETS
    }


def _highlight(text: str) -> SafeString:
    """Escape the snippet, then turn the match markers into <mark> elements."""
    html = escape(text).replace(_START, "<mark>").replace(_STOP, "</mark>")
    return mark_safe(html)


def _page(user, ids: list[int], query: SearchQuery | None) -> list[Resource]:
    """The shown resources in ``ids`` order, with highlighted title and snippet computed for
    them only (ts_headline is costly)."""
    qs = Resource.objects.visible_to(user).filter(pk__in=ids).select_related("group")
    if query is not None:
        marks = {"config": CONFIG, "start_sel": _START, "stop_sel": _STOP}
        qs = qs.annotate(
            title_marked=SearchHeadline("title", query, highlight_all=True, **marks),
            snippet=SearchHeadline(
                Func(F("summary"), Value(" "), F("description"), function="concat"),
                query,
                max_words=35,
                min_words=15,
                **marks,
            ),
        )
    by_id = {r.pk: r for r in qs}
    results = [by_id[pk] for pk in ids if pk in by_id]
    for resource in results:
        text = getattr(resource, "snippet", None) or resource.summary[:300]
        resource.snippet_html = _highlight(text)
        resource.title_html = _highlight(getattr(resource, "title_marked", None) or resource.title)
    return results


def _no_text_match(matching: _Matching, params: SearchParams, candidates: list) -> bool:
    """True when the text matches no visible resource at all, filters aside: the typo
    fallback applies. Reads candidates (LIMIT N) rather than EXISTS (LIMIT 1), which would
    tempt the planner into a sequential scan of the whole table when nothing matches."""
    if candidates or matching.query is None:
        return False
    unfiltered = SearchParams(q=params.q)
    return unfiltered == params or not _candidates(matching, unfiltered)


def search(user, params: SearchParams, limit: int = 20, offset: int = 0) -> SearchResult:
    """Ranked, highlighted results and facet counts, from what ``user`` may see only."""
    with transaction.atomic():
        matching = matching_of(user, params)
        candidates = _candidates(matching, params)
        if _no_text_match(matching, params, candidates):
            matching = similar_of(user, params)
            candidates = _candidates(matching, params)
        facets = _facet_counts(matching, candidates, params)
        ranked = sorted(candidates, key=lambda r: (-r["rank"], -r["id"]))[offset : offset + limit]
        results = _page(user, [r["id"] for r in ranked], matching.query)
    return SearchResult(
        results=results,
        total=len(candidates),
        facets=facets,
        fuzzy=matching.fuzzy,
        capped=len(candidates) >= max_candidates(),
    )


def parse_year(raw: str) -> int | None:
    """A year facet value, or None; raises ValueError with the bad value."""
    if not raw:
        return None
    year = int(raw)
    if not 800 <= year <= date.today().year + 50:
        raise ValueError(raw)
    return year
