"""The directory's one query: the profiles a person may see, filtered by words (French full
text, the ``fr_unaccent`` configuration of ``/recherche/``), kind, context and territory.
The pages, the map's GeoJSON, the REST API and the search block all call it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F, QuerySet
from django.utils.translation import gettext as _

from geo.models import Commune
from geo.territories import commune_by_insee, commune_by_name
from observatoire.models import SEARCH_CONFIG

from .models import Context, Experience, Kind, Profile

MAX_QUERY_LENGTH = 200


@dataclass
class Filters:
    q: str = ""
    kind: str = ""
    context: str = ""
    commune: Commune | None = None


def parse(get: Any) -> tuple[Filters, dict[str, str]]:
    """Filters from a query string; bad values become French messages keyed by parameter."""
    errors: dict[str, str] = {}
    filters = Filters(q=(get.get("q") or "")[:MAX_QUERY_LENGTH].strip())
    kind = get.get("type") or get.get("kind") or ""
    if kind and kind not in Kind.values:
        errors["type"] = _("Type d'acteur inconnu : « %(v)s ».") % {"v": kind}
    filters.kind = kind if kind in Kind.values else ""
    context = get.get("contexte") or get.get("context") or ""
    if context and context not in Context.values:
        errors["contexte"] = _("Contexte inconnu : « %(v)s ».") % {"v": context}
    filters.context = context if context in Context.values else ""
    commune = (get.get("commune") or "").strip()[:100]
    if commune:
        found = commune_by_insee(commune) if len(commune) == 5 and commune[:2].isalnum() else None
        found = found or commune_by_name(commune.split(" (")[0])
        if found is None or found.geom is None:
            errors["commune"] = _(
                "Commune inconnue : « %(v)s » (code INSEE à 5 caractères, ou nom exact)."
            ) % {"v": commune}
        filters.commune = found
    return filters, errors


def profiles(user: Any, filters: Filters) -> QuerySet:
    """Visible profiles matching ``filters``: by relevance with words, else by name."""
    qs = Profile.objects.visible_to(user)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.context:
        qs = qs.filter(contexts__contains=[filters.context])
    if filters.commune is not None:
        # interiors meet: a neighbour that only shares a border is not « on » the commune
        qs = qs.filter(territory__relate=(filters.commune.geom, "T********"))
    if filters.q:
        query = SearchQuery(filters.q, config=SEARCH_CONFIG, search_type="websearch")
        return (
            qs.filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "name", "id")
        )
    return qs.order_by("name", "id")


def experiences(user: Any, filters: Filters) -> QuerySet:
    """Visible experiences with a place, of the profiles the filters keep."""
    ids = profiles(user, filters).order_by().values("pk")
    return (
        Experience.objects.visible_to(user)
        .filter(place__isnull=False, profile__in=ids)
        .select_related("profile")
        .order_by("id")
    )
