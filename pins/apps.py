from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class PinsConfig(AppConfig):
    name = "pins"
    verbose_name = _("Accrocher")

    def ready(self) -> None:
        from workgroups.hooks import contribute_to_item_page

        from .page import pin_box

        contribute_to_item_page(pin_box)
        # the portals' « Accrochés » block, when portals are installed
        if apps.is_installed("portals"):
            from .portal import register_block

            register_block()
