from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LayersConfig(AppConfig):
    name = "layers"
    verbose_name = _("Couches et cartes")

    def ready(self) -> None:
        from workgroups.hooks import contribute_to_group_page

        from .group_page import group_maps

        contribute_to_group_page(group_maps)
