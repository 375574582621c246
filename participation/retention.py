"""What the consent text promises the public: past each form's retention period
(``Form.retention_days``, a year by default), contributions that were not kept — refused,
never confirmed, never moderated — are erased with their photos, and the e-mail addresses of
published ones are erased too (their pseudonym stays with the published resource). The
per-address rate counters, keyed hashes useful for one day, go after two.

Run every night by procrastinate (:func:`participation.tasks.purge_expired`) and by hand with
``manage.py purge_participation``; set-based (one statement per kind of erasure), so a form
with thousands of old contributions costs a few queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import DateTimeField, DurationField, ExpressionWrapper, F, Value
from django.utils import timezone

from .models import RateCounter, Submission, SubmissionPhoto

#: States of contributions that were not kept.
NOT_KEPT = (
    Submission.State.REFUSED,
    Submission.State.UNCONFIRMED,
    Submission.State.PENDING,
)
#: Days a rate counter is kept (today's limits need only today's row).
COUNTER_DAYS = 2


@dataclass(frozen=True)
class Purged:
    submissions: int
    photos: int
    emails: int
    counters: int


def _expired(now: dt.datetime):
    """Contributions received before their form's retention period, counted back from
    ``now`` (``retention_days × 1 day`` computed by PostgreSQL for every form at once)."""
    start = ExpressionWrapper(
        Value(now, output_field=DateTimeField())
        - F("form__retention_days") * Value(dt.timedelta(days=1), output_field=DurationField()),
        output_field=DateTimeField(),
    )
    return Submission.objects.filter(created_at__lt=start)


def _remove_files(names: list[str]) -> None:
    storage = SubmissionPhoto._meta.get_field("file").storage
    for name in names:
        storage.delete(name)


def purge_expired(now: dt.datetime | None = None) -> Purged:
    """Erase what each form's retention period says must go by ``now`` (see the module).
    The photos' files are removed once the rows are gone for good (after the commit)."""
    now = now or timezone.now()
    expired = _expired(now)
    not_kept = expired.filter(state__in=NOT_KEPT)
    with transaction.atomic():
        files = list(
            SubmissionPhoto.objects.filter(submission__in=not_kept).values_list("file", flat=True)
        )
        _, deleted = not_kept.delete()
        emails = expired.filter(state=Submission.State.ACCEPTED).exclude(email="").update(email="")
        counters, _ = RateCounter.objects.filter(
            day__lt=now.date() - dt.timedelta(days=COUNTER_DAYS)
        ).delete()
        transaction.on_commit(lambda: _remove_files(files))
    return Purged(
        submissions=deleted.get("participation.Submission", 0),
        photos=len(files),
        emails=emails,
        counters=counters,
    )
