"""French full-text search over the resources a person may see.

Every search starts from ``Resource.objects.visible_to(user)``: results, counts and facets are
computed on that queryset only. The stored ``search_vector`` column (migration 0001) is built
with the ``fr_unaccent`` configuration (unaccent + French stemming), so « église » matches
« Eglises ». When full text finds nothing, a trigram word similarity on the unaccented title
catches typos (« beffroy » → « Beffroi »).

Like mature search engines, it ranks a bounded candidate set: at most
``SPASS["SEARCH_MAX_CANDIDATES"]`` visible matches are read from the GIN index (a LIMITed
sub-select), then ranked, paged and counted in facets. Below the cap everything is exact;
at the cap the total reads « au moins N » and facets count those N candidates. Highlights
(``ts_headline``) are computed for the shown page only.
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
from django.db import connection, transaction
from django.db.models import BooleanField, Count, F, FloatField, Func, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import ExtractYear, Left, Lower
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from observatoire.kinds import Base, Kind
from observatoire.models import Resource
from workgroups.models import Group

CONFIG = "fr_unaccent"
#: Minimal word similarity (0–1) for the typo fallback.
TRIGRAM_THRESHOLD = 0.4
#: Matches read from the index, ranked and counted, when the setting does not say otherwise.
DEFAULT_MAX_CANDIDATES = 2_000
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


class _Unaccent(Func):
    function = "spass_unaccent"


def max_candidates() -> int:
    return int(settings.SPASS.get("SEARCH_MAX_CANDIDATES", DEFAULT_MAX_CANDIDATES))


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


def _matching(user, params: SearchParams) -> _Matching:
    """Visible resources matching the text (full text, else trigram fallback)."""
    visible = Resource.objects.visible_to(user)
    q = params.q.strip()
    if not q:
        # No text: the newest, read backwards along the primary key.
        return _Matching(visible, Value(0.0, output_field=FloatField()), order=("-id",))
    query = SearchQuery(q, config=CONFIG, search_type="websearch")
    full_text = visible.annotate(sv=_vector()).filter(sv=query)
    if full_text.exists():
        return _Matching(full_text, SearchRank(_vector(), query), query=query)
    # ``<%`` (word similarity above the threshold, set by ``search``) is answered by the
    # trigram GIN index on spass_unaccent(lower(title)); the score only orders candidates.
    similar = RawSQL(
        'spass_unaccent(lower(%s)) <%% spass_unaccent(lower("observatoire_resource"."title"))',
        [q],
        output_field=BooleanField(),
    )
    similarity = Func(
        _Unaccent(Lower(Value(q))),
        _Unaccent(Lower(F("title"))),
        function="word_similarity",
        output_field=FloatField(),
    )
    return _Matching(visible.filter(similar), similarity, fuzzy=True)


def _candidates(matching: _Matching, params: SearchParams, skip: str = "") -> QuerySet:
    """At most ``max_candidates()`` of the filtered matches, as a queryset over their ids.

    The matches are compiled to one LIMITed sub-select (visibility, text and filters
    included), so PostgreSQL stops reading the index once it has enough visible rows. It is
    compiled on its own so that its table references stay its own.
    """
    inner = _filtered(matching.qs, params, skip).order_by(*matching.order).values("id")
    sql, sql_params = inner[: max_candidates()].query.sql_with_params()
    return Resource.objects.filter(
        RawSQL(f'"observatoire_resource"."id" IN ({sql})', sql_params, output_field=BooleanField())
    )


def _facet_dimensions() -> dict[str, Any]:
    return {
        "base": F("base"),
        "kind": F("kind"),
        "group": F("group__slug"),
        "year": ExtractYear("date_start"),
        "departement": _departement_expr(),
    }


def _grouped_counts(qs: QuerySet, names: list[str]) -> dict[str, Counter]:
    """Counts of several facets from one scan: group by all of them, then add up."""
    dims = _facet_dimensions()
    rows = (
        qs.order_by()
        .annotate(**{f"facet_{n}": dims[n] for n in names})
        .values(*[f"facet_{n}" for n in names])
        .annotate(count=Count("id"))
    )
    counters: dict[str, Counter] = {n: Counter() for n in names}
    for row in rows:
        for n in names:
            if row[f"facet_{n}"] is not None:
                counters[n][row[f"facet_{n}"]] += row["count"]
    return counters


def _facet_counts(
    matching: _Matching, candidates: QuerySet, params: SearchParams
) -> dict[str, list[dict[str, Any]]]:
    """Each facet counts the candidates filtered by every other facet (so a chosen value does
    not hide its alternatives). Unchosen facets share one grouped scan of ``candidates``;
    each chosen facet needs its own candidate set."""
    chosen = [n for n in FACETS if getattr(params, n)]
    free = [n for n in FACETS if n not in chosen]
    counters = _grouped_counts(candidates, free) if free else {}
    for name in chosen:
        counters.update(_grouped_counts(_candidates(matching, params, skip=name), [name]))
    facets = {
        name: [
            {"value": value, "count": count}
            for value, count in sorted(counters[name].items(), key=lambda i: (-i[1], str(i[0])))
        ]
        for name in FACETS
    }
    base_labels = dict(Base.choices)
    kind_labels = dict(Kind.choices)
    group_names = dict(
        Group.objects.filter(slug__in=[f["value"] for f in facets["group"]]).values_list(
            "slug", "name"
        )
    )
    labels = {"base": base_labels, "kind": kind_labels, "group": group_names}
    for name, rows in facets.items():
        for row in rows:
            row["label"] = str(labels.get(name, {}).get(row["value"], row["value"]))
            row["selected"] = str(getattr(params, name) or "") == str(row["value"])
    return facets


def _highlight(text: str) -> SafeString:
    """Escape the snippet, then turn the match markers into <mark> elements."""
    html = escape(text).replace(_START, "<mark>").replace(_STOP, "</mark>")
    return mark_safe(html)


def _headlines(ids: list[int], query: SearchQuery | None) -> dict[int, dict[str, str]]:
    """Highlighted title and snippet of the shown resources only (ts_headline is costly)."""
    if query is None or not ids:
        return {}
    marks = {"config": CONFIG, "start_sel": _START, "stop_sel": _STOP}
    rows = Resource.objects.filter(pk__in=ids).values_list(
        "pk",
        SearchHeadline("title", query, highlight_all=True, **marks),
        SearchHeadline(
            Func(F("summary"), Value(" "), F("description"), function="concat"),
            query,
            max_words=35,
            min_words=15,
            **marks,
        ),
    )
    return {pk: {"title": title, "snippet": snippet} for pk, title, snippet in rows}


def search(user, params: SearchParams, limit: int = 20, offset: int = 0) -> SearchResult:
    """Ranked, highlighted results and facet counts, from what ``user`` may see only."""
    with transaction.atomic():
        matching = _matching(user, params)
        if matching.fuzzy:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT set_config('pg_trgm.word_similarity_threshold', %s, true)",
                    [str(TRIGRAM_THRESHOLD)],
                )
        candidates = _candidates(matching, params)
        facets = _facet_counts(matching, candidates, params)
        # The base facet is counted with every other filter applied: with no base chosen,
        # its counts add up to the total, which spares one more scan.
        total = candidates.count() if params.base else sum(r["count"] for r in facets["base"])
        ordered = (
            candidates.annotate(rank=matching.rank).select_related("group").order_by("-rank", "-id")
        )
        results = list(ordered[offset : offset + limit])
        marked = _headlines([r.pk for r in results], matching.query)
    for resource in results:
        shown = marked.get(resource.pk, {})
        resource.snippet_html = _highlight(shown.get("snippet") or resource.summary[:300])
        resource.title_html = _highlight(shown.get("title") or resource.title)
    return SearchResult(
        results=results,
        total=total,
        facets=facets,
        fuzzy=matching.fuzzy,
        capped=total >= max_candidates(),
    )


def parse_year(raw: str) -> int | None:
    """A year facet value, or None; raises ValueError with the bad value."""
    if not raw:
        return None
    year = int(raw)
    if not 800 <= year <= date.today().year + 50:
        raise ValueError(raw)
    return year
