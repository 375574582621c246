from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class ActorsConfig(AppConfig):
    name = "actors"
    verbose_name = _("Profils acteurs")

    def ready(self) -> None:
        from workgroups.hooks import (
            contribute_feature_collection,
            contribute_to_item_page,
            contribute_to_search,
        )

        from .collection import COLLECTION
        from .page import credits_box
        from .search import search_block

        contribute_to_item_page(credits_box)
        contribute_to_search(search_block)
        contribute_feature_collection(COLLECTION)
        # the « Acteurs » block of the portals' home, when portals are installed
        if apps.is_installed("portals"):
            from .portal import register_block

            register_block()
