"""``/recherche/``: parse the query string, call the search service, render."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from observatoire.cql import FilterError, cql2_to_q
from observatoire.kinds import Base, Kind

from .others import find_others
from .services import SearchParams, parse_year, search

PAGE_SIZE = 20
MAX_QUERY_LENGTH = 200


def _params(request: HttpRequest) -> tuple[SearchParams, dict[str, str], int]:
    """Read the query string; bad values become French messages keyed by parameter."""
    get = request.GET
    errors: dict[str, str] = {}
    params = SearchParams(q=get.get("q", "")[:MAX_QUERY_LENGTH])
    if get.get("base") in Base.values:
        params.base = get["base"]
    elif get.get("base"):
        errors["base"] = _("Base inconnue : « %(v)s ».") % {"v": get["base"]}
    if get.get("type") in Kind.values:
        params.kind = get["type"]
    elif get.get("type"):
        errors["type"] = _("Type inconnu : « %(v)s ».") % {"v": get["type"]}
    params.group = get.get("groupe", "")[:100]
    params.departement = get.get("departement", "")[:3]
    try:
        params.year = parse_year(get.get("annee", ""))
    except ValueError:
        errors["annee"] = _("Année invalide : « %(v)s ».") % {"v": get["annee"]}
    if get.get("filtre"):
        try:
            params.extra = cql2_to_q(get["filtre"])
        except FilterError as exc:
            errors["filtre"] = exc.message
    try:
        page = max(1, int(get.get("page", "1")))
    except ValueError:
        errors["page"] = _("Numéro de page invalide.")
        page = 1
    return params, errors, page


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    params, errors, page = _params(request)
    context = {"params": params, "errors": errors, "query": request.GET.get("q", "")}
    if errors:
        return render(request, "search/results.html", context, status=400)
    result = search(request.user, params, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    base_query = request.GET.copy()
    base_query.pop("page", None)
    context.update(
        result=result,
        page=page,
        has_next=page * PAGE_SIZE < result.total,
        querystring=base_query.urlencode(),
        # carnets and the other kinds the apps above register, on the first page only
        others=find_others(request.user, params.q) if page == 1 else [],
    )
    return render(request, "search/results.html", context)
