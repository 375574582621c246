"""The e-mail jobs, on the ``notifications`` queue of ``manage.py procrastinate worker``:
never sent inside a request. A server that is down fails the job, which procrastinate retries
with a growing wait; the notification itself is in the site from the start."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from . import mail
from .models import Notification, Preference

#: 8 attempts, waiting 2, 4, 8… minutes between them (about 4 hours in all).
RETRY = RetryStrategy(max_attempts=8, exponential_wait=120)
#: The most notifications a digest lists (the rest are in the site).
DIGEST_MAX = 50
#: Unsent notifications older than this are not mailed any more (the site still shows them).
DIGEST_WINDOW = timedelta(days=2)


@app.task(name="notifications.send", queue="notifications", retry=RETRY)
def send_notification(notification_id: int) -> None:
    notification = (
        Notification.objects.select_related("recipient", "actor", "group", "target_type")
        .filter(pk=notification_id, mailed_at__isnull=True)
        .first()
    )
    if notification is None or not notification.recipient.email:
        return
    mail.send_one(notification)
    Notification.objects.filter(pk=notification.pk).update(mailed_at=timezone.now())


@app.periodic(cron="0 7 * * *", periodic_id="notifications_daily_digest")
@app.task(name="notifications.daily_digest", queue="notifications", retry=RETRY)
def daily_digest(timestamp: int) -> None:
    """Every morning, one mail per person who chose the digest and has unsent notifications."""
    since = timezone.now() - DIGEST_WINDOW
    people = Preference.objects.filter(email=Preference.Email.DAILY).values_list(
        "user_id", flat=True
    )
    pending = Notification.objects.filter(
        recipient_id__in=people, mailed_at__isnull=True, created_at__gte=since
    ).select_related("recipient", "actor", "group", "target_type")
    by_person: dict[int, list[Notification]] = {}
    for notification in pending.order_by("recipient_id", "-created_at")[:10_000]:
        by_person.setdefault(notification.recipient_id, []).append(notification)
    for notifications in by_person.values():
        recipient = notifications[0].recipient
        if recipient.email:
            mail.send_digest(recipient, notifications[:DIGEST_MAX])
        Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(
            mailed_at=timezone.now()
        )
