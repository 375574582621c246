"""What a person is told, in the site (the bell) and by e-mail (at once or in a daily digest).

A notification is personal: only its recipient reads it. It names its subject (a resource,
a map, a news item, an import…) by type and id, and its pages check at every display that
the recipient still sees that subject (:mod:`.display`): a title is never shown to someone
who lost sight of the item since.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from workgroups.events import Kind
from workgroups.models import Group


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("destinataire"),
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("auteur de l'action"),
    )
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("groupe")
    )
    target_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    target_id = models.BigIntegerField(null=True, blank=True)
    #: the subject's title when the notification was made (shown only while it is visible)
    label = models.CharField(_("libellé"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    read_at = models.DateTimeField(_("lue le"), null=True, blank=True)
    #: when it went out by e-mail (alone or in a digest); null: not sent (yet)
    mailed_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notif_recipient_recent"),
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notif_unread",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.get_kind_display()}"


class Preference(models.Model):
    """How a person wants their notifications by e-mail; none stored: at once."""

    class Email(models.TextChoices):
        IMMEDIATE = "immediat", _("Un e-mail à chaque notification")
        DAILY = "quotidien", _("Un résumé par jour")
        NEVER = "jamais", _("Jamais (seulement sur le site)")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("personne"),
    )
    email = models.CharField(
        _("par e-mail"), max_length=10, choices=Email.choices, default=Email.IMMEDIATE
    )

    class Meta:
        verbose_name = _("préférence de notification")
        verbose_name_plural = _("préférences de notification")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_email_display()}"
