"""Comments on shared things (resources, maps, later carnets) and who follows them.

A comment names its thing by type and id (:mod:`.targets` knows which types); whoever reads
a comment is first checked to see the thing, by the thing's own rule. Replies are one level
deep. A deleted comment keeps its place (its replies stay readable) without its text; a
hidden one keeps its text for the moderators and shows the reason to the others.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

#: Longest comment, in characters.
MAX_LENGTH = 5000


class Comment(models.Model):
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.BigIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("auteur"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("en réponse à"),
    )
    body = models.TextField(_("commentaire"), max_length=MAX_LENGTH)
    created_at = models.DateTimeField(_("écrit le"), auto_now_add=True)
    edited_at = models.DateTimeField(_("modifié le"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("supprimé le"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("masqué le"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("masqué par"),
    )
    hidden_reason = models.CharField(_("motif"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("commentaire")
        verbose_name_plural = _("commentaires")
        indexes = [
            models.Index(fields=["target_type", "target_id", "-created_at"], name="comment_target"),
        ]

    def __str__(self) -> str:
        return f"{self.author} · {self.body[:40]}"


class Follow(models.Model):
    """``user`` is told of every new comment on the thing."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("suivi")
        verbose_name_plural = _("suivis")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "target_type", "target_id"], name="follow_unique"
            )
        ]
        indexes = [models.Index(fields=["target_type", "target_id"], name="follow_target")]

    def __str__(self) -> str:
        return f"{self.user} → {self.target_type_id}:{self.target_id}"
