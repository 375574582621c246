from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class ActualitesConfig(AppConfig):
    name = "actualites"
    verbose_name = _("Actualités et agenda")

    def ready(self) -> None:
        from workgroups.hooks import contribute_to_home_page

        from .home import home_block

        contribute_to_home_page(home_block)
        # the portal's « Actualités » and « Agenda » blocks, when portals are installed
        if apps.is_installed("portals"):
            from .portal import register_sections

            register_sections()
