"""The contributor's e-mails (confirmation link, refusal with its reason), on the
``notifications`` queue of ``manage.py procrastinate worker``: never sent inside a request,
retried by procrastinate when the server is down."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_noop
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

RETRY = RetryStrategy(max_attempts=8, exponential_wait=120)


def _absolute(path: str) -> str:
    return settings.SPASS["SITE_URL"].rstrip("/") + path


def _send(submission_id: int, template: str, subject: str, states: tuple[str, ...]) -> None:
    from .models import Submission

    submission = (
        Submission.objects.select_related("form").filter(pk=submission_id, state__in=states).first()
    )
    if submission is None or not submission.email:
        return
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(
            template,
            {
                "submission": submission,
                "status_url": _absolute(reverse("participation:status", args=[submission.secret])),
                "confirm_url": _absolute(
                    reverse("participation:confirm", args=[submission.secret])
                ),
            },
        )
        EmailMessage(subject=translation.gettext(subject), body=body, to=[submission.email]).send()


@app.task(name="participation.confirmation", queue="notifications", retry=RETRY)
def send_confirmation(submission_id: int) -> None:
    _send(
        submission_id,
        "participation/mail_confirmation.txt",
        gettext_noop("S-PASS Territoires : confirmez votre contribution"),
        ("unconfirmed",),
    )


@app.task(name="participation.refusal", queue="notifications", retry=RETRY)
def send_refusal(submission_id: int) -> None:
    _send(
        submission_id,
        "participation/mail_refusal.txt",
        gettext_noop("S-PASS Territoires : votre contribution n'a pas été retenue"),
        ("refused",),
    )


@app.periodic(cron="23 3 * * *", periodic_id="participation_purge_expired")
@app.task(name="participation.purge_expired", queue="notifications")
def purge_expired(timestamp: int) -> None:
    """Every night: what the forms' retention periods say must go is erased
    (:mod:`participation.retention`)."""
    from .retention import purge_expired as purge

    purge()
