"""« Mon espace »: a summary of what waits for the person, then one paginated, filtered list
per section (mes ressources, à valider, à relire, ressources de mes groupes, demandes
d'adhésion). No page reads more than a page of rows and a capped count. What each page holds
is built by :class:`observatoire.space.MySpace`, which the REST API reads too."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from workgroups.pagination import paginate

from .listing import ResourceFilterForm
from .space import MySpace
from .views_bulk import actions_for


@login_required
def my_space(request: HttpRequest) -> HttpResponse:
    return render(request, "observatoire/my_space.html", MySpace(request.user).page())


@login_required
def section_page(request: HttpRequest, slug: str) -> HttpResponse:
    """One section as a list of 25 rows: filters and sort in GET, bulk actions in POST."""
    space = MySpace(request.user)
    section = space.section(slug)
    if section is None:
        raise Http404
    form = ResourceFilterForm(request.GET, user=request.user)
    pages = paginate(request, form.apply(space.rows(slug)).select_related("group"))
    filters = request.GET.copy()
    filters.pop("page", None)
    context = {
        "section": section,
        "form": form,
        "pages": pages,
        "filters": filters.urlencode(),
        "actions": actions_for(space.capabilities),
        "target_groups": space.target_groups(),
    }
    return render(request, "observatoire/section.html", context)


@login_required
def join_requests_page(request: HttpRequest) -> HttpResponse:
    space = MySpace(request.user)
    if not space.manages_members():
        raise Http404
    pages = paginate(request, space.join_requests())
    return render(request, "observatoire/join_requests.html", {"pages": pages})
