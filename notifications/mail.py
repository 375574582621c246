"""The e-mails: one notification, or the daily digest of a person's unsent ones. Every mail
says why it was sent and carries its one-click unsubscribe link (RFC 8058), RGPD-minded:
the link needs no login and only ever turns e-mails off."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from workgroups.models import User

from .display import Shown, shown
from .models import Notification

SALT = "notifications.unsubscribe"


def unsubscribe_token(user: User) -> str:
    """The same for a person in every mail, and it never expires (a link in an old mail
    must still work): it can only turn e-mails off."""
    return signing.Signer(salt=SALT).sign(str(user.pk))


def user_of_token(token: str) -> User | None:
    try:
        pk = signing.Signer(salt=SALT).unsign(token)
    except signing.BadSignature:
        return None
    return User.objects.filter(pk=int(pk), is_active=True).first() if pk.isdigit() else None


def _absolute(path: str) -> str:
    return settings.SPASS["SITE_URL"].rstrip("/") + path if path else ""


def _message(user: User, subject: str, items: list[Shown]) -> EmailMessage:
    unsubscribe = _absolute(reverse("notifications:unsubscribe", args=[unsubscribe_token(user)]))
    body = render_to_string(
        "notifications/mail.txt",
        {
            "user": user,
            "items": [(item.text, _absolute(item.url)) for item in items],
            "preferences": _absolute(reverse("notifications:preferences")),
            "all": _absolute(reverse("notifications:list")),
            "unsubscribe": unsubscribe,
        },
    )
    return EmailMessage(
        subject=subject,
        body=body,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def send_one(notification: Notification) -> None:
    """Send ``notification`` to its recipient (raises when the server refuses: the job
    retries)."""
    user = notification.recipient
    with translation.override(settings.LANGUAGE_CODE):
        (item,) = shown([notification], user)
        _message(user, f"S-PASS Territoires : {item.text}"[:200], [item]).send()


def send_digest(user: User, notifications: list[Notification]) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        items = shown(notifications, user)
        subject = translation.ngettext(
            "S-PASS Territoires : %(n)d notification du jour",
            "S-PASS Territoires : %(n)d notifications du jour",
            len(items),
        ) % {"n": len(items)}
        _message(user, subject, items).send()
