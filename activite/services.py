"""Who may read a group's activity report, and its publication.

Members of the group read it (their own ``visible_to``); its public version — computed for
an anonymous visitor, so only public, validated missions count — may be read by anyone once
an animateur has published it, and by members at any time (to check it before publishing).
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _

from observatoire.models import PublishedActivityReport
from workgroups.errors import NotAllowed
from workgroups.models import Group, User
from workgroups.permissions import can
from workgroups.roles import Capability

from .report import public_viewer


def is_published(group: Group) -> bool:
    return PublishedActivityReport.objects.filter(group=group).exists()


def viewer_for(user: User | AnonymousUser, group: Group, public: bool) -> User | AnonymousUser:
    """Whose ``visible_to`` the report counts from; NotAllowed (403) when refused."""
    member = can(user, group, Capability.VIEW)
    if public:
        if member or is_published(group):
            return public_viewer()
        raise NotAllowed(
            _("Le rapport d'activité public du groupe « %(g)s » n'est pas publié.")
            % {"g": group.name}
        )
    if not member:
        raise NotAllowed(
            _("Le rapport d'activité du groupe « %(g)s » est réservé à ses membres.")
            % {"g": group.name}
        )
    return user


def set_published(actor: User, group: Group, published: bool) -> None:
    """An animateur publishes (or withdraws) the public version of the report."""
    if not can(actor, group, Capability.VALIDATE):
        raise NotAllowed(_("Seul un animateur du groupe publie son rapport d'activité."))
    if published:
        PublishedActivityReport.objects.get_or_create(group=group, defaults={"published_by": actor})
    else:
        PublishedActivityReport.objects.filter(group=group).delete()
