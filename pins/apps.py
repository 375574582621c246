from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PinsConfig(AppConfig):
    name = "pins"
    verbose_name = _("Accrocher")
