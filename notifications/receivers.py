"""The listener of :data:`workgroups.events.occurred`: one notification per recipient, and
for those who want it at once, one e-mail job on the ``notifications`` queue. Both are
written in the writer's transaction: a change rolled back tells nobody, and a mail server
that is down never fails the change (the job retries, the bell shows it already)."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from workgroups.events import Occurrence

from .models import Notification, Preference
from .recipients import recipients
from .tasks import send_notification


def _label(item: Any) -> str:
    for name in ("title", "name", "source_name"):
        value = getattr(item, name, None)
        if value:
            return str(value)[:300]
    return str(item)[:300] if item is not None else ""


def _target(occurrence: Occurrence) -> tuple[ContentType | None, int | None, str]:
    item = occurrence.item
    if isinstance(item, models.Model) and item.pk is not None:
        return ContentType.objects.get_for_model(item), item.pk, _label(item)
    return None, None, ""


def on_occurrence(sender: Any, occurrence: Occurrence, **kwargs: Any) -> list[Notification]:
    people = recipients(occurrence)
    if not people:
        return []
    target_type, target_id, label = _target(occurrence)
    made = Notification.objects.bulk_create(
        Notification(
            recipient=person,
            kind=occurrence.kind,
            actor=occurrence.actor,
            group=occurrence.group,
            target_type=target_type,
            target_id=target_id,
            label=label,
        )
        for person in people
    )
    not_now = set(
        Preference.objects.filter(user__in=people)
        .exclude(email=Preference.Email.IMMEDIATE)
        .values_list("user_id", flat=True)
    )
    for notification in made:
        if notification.recipient_id not in not_now and notification.recipient.email:
            send_notification.defer(notification_id=notification.pk)
    return made
