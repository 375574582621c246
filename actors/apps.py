from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class ActorsConfig(AppConfig):
    name = "actors"
    verbose_name = _("Profils acteurs")

    def ready(self) -> None:
        from search.others import register_kind
        from workgroups.hooks import contribute_feature_collection, contribute_to_item_page

        from .collection import COLLECTION
        from .page import credits_box
        from .search import actor_hits

        contribute_to_item_page(credits_box)
        register_kind(actor_hits)
        contribute_feature_collection(COLLECTION)
        # the « Acteurs » block of the portals' home, when portals are installed
        if apps.is_installed("portals"):
            from .portal import register_block

            register_block()
