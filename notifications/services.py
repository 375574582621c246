"""Reading one's notifications: the unread count, a page of them, marking them read,
choosing how e-mails come. A notification is only ever its recipient's."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils import timezone

from workgroups.models import User

from .models import Notification, Preference

#: The bell counts up to this (« 99+ » above): one bounded query on the unread index.
UNREAD_CAP = 99


def unread_count(user: User) -> tuple[int, bool]:
    count = Notification.objects.filter(recipient=user, read_at__isnull=True)[
        : UNREAD_CAP + 1
    ].count()
    return min(count, UNREAD_CAP), count > UNREAD_CAP


def of(user: User, unread_only: bool = False) -> QuerySet:
    rows = Notification.objects.filter(recipient=user)
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return rows.select_related("actor", "group", "target_type").order_by("-created_at", "-id")


def mark_read(user: User, ids: Iterable[int] | None = None) -> int:
    """Mark ``ids`` (all when None) of ``user``'s notifications read; how many changed."""
    rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.update(read_at=timezone.now())


def preference(user: User) -> Preference:
    return Preference.objects.filter(user=user).first() or Preference(user=user)


def set_email(user: User, choice: str) -> Preference:
    chosen, _created = Preference.objects.update_or_create(user=user, defaults={"email": choice})
    return chosen
