from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TilesConfig(AppConfig):
    name = "tiles"
    verbose_name = _("Tuiles vectorielles")

    def ready(self) -> None:
        from workgroups.hooks import contribute_key_addresses

        from . import signals  # noqa: F401  (connects the cache invalidation on writes)
        from .keys import addresses

        contribute_key_addresses(addresses)
