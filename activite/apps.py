from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActiviteConfig(AppConfig):
    """The activity report of a group: its missions counted by kind, year and territory."""

    name = "activite"
    verbose_name = _("Rapport d'activité")
