from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TilesConfig(AppConfig):
    name = "tiles"
    verbose_name = _("Tuiles vectorielles")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the cache invalidation on writes)
