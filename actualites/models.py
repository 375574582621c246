"""News items and events of a working group: shared things like resources, so they follow the
one visibility rule (:class:`workgroups.models.Shared`) and the first-share validation."""

from __future__ import annotations

from django.contrib.gis.db import models
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workgroups.markdown import render_markdown
from workgroups.models import Shared

#: Registration links open in a browser: only the web's schemes (no ``javascript:``, no ``data:``).
web_url = URLValidator(
    schemes=["http", "https"],
    message=_("Saisissez une adresse web commençant par http:// ou https://."),
)


class NewsItem(Shared):
    """An actualité: a dated text (Markdown) the group publishes."""

    title = models.CharField(_("titre"), max_length=200)
    body = models.TextField(_("texte"), blank=True, help_text=_("Markdown."))
    published_at = models.DateTimeField(_("publiée le"), default=timezone.now)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("actualité")
        verbose_name_plural = _("actualités")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["group", "-published_at"], name="news_group_published")]

    def __str__(self) -> str:
        return self.title

    @property
    def html(self):
        return render_markdown(self.body)


class Event(Shared):
    """A manifestation of the agenda: dates, an optional place and registration link."""

    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    start = models.DateTimeField(_("début"))
    end = models.DateTimeField(_("fin"))
    place = models.PointField(_("lieu"), srid=4326, null=True, blank=True)
    place_name = models.CharField(_("nom du lieu"), max_length=200, blank=True)
    registration_url = models.URLField(
        _("lien d'inscription"), max_length=500, blank=True, validators=[web_url]
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("manifestation")
        verbose_name_plural = _("manifestations")
        ordering = ["start", "id"]
        indexes = [models.Index(fields=["group", "start"], name="event_group_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")),
                name="event_end_after_start",
                violation_error_message=_("La fin doit être postérieure ou égale au début."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def html(self):
        return render_markdown(self.description)

    def clean(self) -> None:
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError(
                {"end": _("La fin de la manifestation ne peut pas précéder son début.")}
            )
