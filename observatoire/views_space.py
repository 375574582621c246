"""« Mon espace »: a summary of what waits for the person, then one paginated, filtered list
per section (mes ressources, à valider, à relire, ressources de mes groupes, demandes
d'adhésion). No page reads more than a page of rows and a capped count."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from workgroups.models import Group, Membership, User
from workgroups.pagination import CappedPaginator, paginate
from workgroups.roles import Role
from workgroups.visibility import group_ids_of

from .listing import SECTIONS, ResourceFilterForm, may_open, roles_held, section_rows
from .models import BulkAction
from .views_bulk import actions_for

#: Rows of each section shown on the summary page.
SUMMARY_ROWS = 5
#: The summary's counts stop here (« plus de 1 000 »).
SUMMARY_CAP = 1000


def join_requests(user: User):
    return (
        Membership.objects.filter(
            group_id__in=group_ids_of(user, Role.ANIMATEUR), state=Membership.State.REQUESTED
        )
        .select_related("user", "group")
        .order_by("group__name", "user__username")
    )


def _summary(rows) -> dict:
    paginator = CappedPaginator(rows, SUMMARY_ROWS, cap=SUMMARY_CAP)
    return {
        "rows": paginator.page(1).object_list,
        "count": paginator.count,
        "capped": paginator.capped,
    }


@login_required
def my_space(request: HttpRequest) -> HttpResponse:
    user = request.user
    roles = roles_held(user)
    sections = [
        {
            "section": section,
            **_summary(section_rows(user, section.slug).select_related("group").order_by("-id")),
        }
        for section in SECTIONS.values()
        if may_open(section, roles)
    ]
    context = {
        "memberships": Membership.objects.filter(user=user)
        .select_related("group")
        .order_by("group__name"),
        "sections": sections,
        "is_animateur": Role.ANIMATEUR in roles,
        "join_requests": _summary(join_requests(user)) if Role.ANIMATEUR in roles else None,
        "bulk_actions": BulkAction.objects.filter(actor=user)[:SUMMARY_ROWS],
    }
    return render(request, "observatoire/my_space.html", context)


@login_required
def section_page(request: HttpRequest, slug: str) -> HttpResponse:
    """One section as a list of 25 rows: filters and sort in GET, bulk actions in POST."""
    user = request.user
    section = SECTIONS.get(slug)
    roles = roles_held(user)
    if section is None or not may_open(section, roles):
        raise Http404
    form = ResourceFilterForm(request.GET, user=user)
    pages = paginate(request, form.apply(section_rows(user, slug)).select_related("group"))
    filters = request.GET.copy()
    filters.pop("page", None)
    context = {
        "section": section,
        "form": form,
        "pages": pages,
        "filters": filters.urlencode(),
        "actions": actions_for(roles),
        "target_groups": Group.objects.filter(pk__in=group_ids_of(user, Role.ANIMATEUR)).order_by(
            "name"
        ),
    }
    return render(request, "observatoire/section.html", context)


@login_required
def join_requests_page(request: HttpRequest) -> HttpResponse:
    if Role.ANIMATEUR not in roles_held(request.user):
        raise Http404
    pages = paginate(request, join_requests(request.user))
    return render(request, "observatoire/join_requests.html", {"pages": pages})
