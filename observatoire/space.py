"""« Mon espace », built once: the HTML pages (``views_space``) and the REST API
(``/api/v1/me/``) read the same memberships, sections and queues, all through the
visibility rule and the capabilities of ``workgroups.roles``."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.db.models import QuerySet

from workgroups.models import Group, Membership, User
from workgroups.pagination import CappedPaginator
from workgroups.permissions import capabilities_anywhere
from workgroups.roles import Capability
from workgroups.visibility import groups_where

from .listing import SECTIONS, Section, may_open, section_rows
from .models import BulkAction, Resource

#: How many of their own resources the API lists (the rest through the list's filters).
API_RESOURCES = 50
#: Rows of each section shown on the summary page.
SUMMARY_ROWS = 5
#: The summary's counts stop here (« plus de 1 000 »).
SUMMARY_CAP = 1000


def join_requests(user: User) -> QuerySet[Membership]:
    """Pending requests to join the groups whose members ``user`` manages."""
    return (
        Membership.objects.filter(
            group_id__in=groups_where(user, Capability.MANAGE_MEMBERS),
            state=Membership.State.REQUESTED,
        )
        .select_related("user", "group")
        .order_by("group__name", "user__username")
    )


def _summary(rows: QuerySet) -> dict[str, Any]:
    paginator = CappedPaginator(rows, SUMMARY_ROWS, cap=SUMMARY_CAP)
    return {
        "rows": paginator.page(1).object_list,
        "count": paginator.count,
        "capped": paginator.capped,
    }


class MySpace:
    """What waits for ``user``: memberships, the sections they may open and their rows."""

    def __init__(self, user: User) -> None:
        self.user = user

    @cached_property
    def capabilities(self) -> frozenset[str]:
        return capabilities_anywhere(self.user)

    def memberships(self) -> QuerySet[Membership]:
        return (
            Membership.objects.filter(user=self.user)
            .select_related("group")
            .order_by("group__name")
        )

    def may_open(self, section: Section) -> bool:
        return may_open(section, self.capabilities)

    def section(self, slug: str) -> Section | None:
        """The section ``slug`` when the person may open it."""
        section = SECTIONS.get(slug)
        return section if section is not None and self.may_open(section) else None

    def rows(self, slug: str) -> QuerySet[Resource]:
        return section_rows(self.user, slug)

    def manages_members(self) -> bool:
        return Capability.MANAGE_MEMBERS in self.capabilities

    def join_requests(self) -> QuerySet[Membership]:
        return join_requests(self.user)

    def target_groups(self) -> QuerySet[Group]:
        """Groups a bulk « move to group » may send resources to (``bulk.check_params``)."""
        return Group.objects.filter(pk__in=groups_where(self.user, Capability.EDIT_ANY)).order_by(
            "name"
        )

    def page(self) -> dict[str, Any]:
        """The summary page: the first rows and capped count of every section it may open."""
        return {
            "memberships": self.memberships(),
            "sections": [
                {
                    "section": section,
                    **_summary(self.rows(section.slug).select_related("group").order_by("-id")),
                }
                for section in SECTIONS.values()
                if self.may_open(section)
            ],
            # the import links: importing needs the validate capability (importers.web)
            "is_animateur": Capability.VALIDATE in self.capabilities,
            "join_requests": _summary(self.join_requests()) if self.manages_members() else None,
            "bulk_actions": BulkAction.objects.filter(actor=self.user)[:SUMMARY_ROWS],
        }

    def api(self) -> dict[str, Any]:
        """``/api/v1/me/``: memberships, own resources (newest changes first, the count and
        the first ``API_RESOURCES``) and the validation queue."""
        own = self.rows("ressources").select_related("group", "author").order_by("-updated_at")
        return {
            "username": self.user.username,
            "memberships": self.memberships(),
            "resource_count": own.count(),
            "resources": own[:API_RESOURCES],
            "validation_queue": self.rows("a-valider")
            .select_related("group", "author")
            .order_by("id"),
        }
