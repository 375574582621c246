from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BasemapsConfig(AppConfig):
    name = "basemaps"
    verbose_name = _("Fonds de carte")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system check)
