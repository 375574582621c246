from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "participation"
    verbose_name = _("Formulaires participatifs")

    def ready(self) -> None:
        from workgroups.hooks import contribute_to_group_page

        from .pages import group_page_links

        contribute_to_group_page(group_page_links)
        # the portals' « Contributions du public » block, when portals are installed
        if apps.is_installed("portals"):
            from .portal import register_block

            register_block()
