from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class PublicationsConfig(AppConfig):
    name = "publications"
    verbose_name = _("Publication numérique")

    def ready(self) -> None:
        from search.others import register_kind
        from workgroups.hooks import contribute_to_home_page

        from .home import home_block
        from .search import carnet_hits

        contribute_to_home_page(home_block)
        register_kind(carnet_hits)
        # comments under a carnet, by the carnet's one rule (discussion never imports carnets)
        if apps.is_installed("discussion"):
            from .discussion import register_target

            register_target()
        # the portals' « Publications » block, when portals are installed
        if apps.is_installed("portals"):
            from .portal import register_block

            register_block()
