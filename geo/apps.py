from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GeoConfig(AppConfig):
    name = "geo"
    verbose_name = _("Outils géographiques")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
