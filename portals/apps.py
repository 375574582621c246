from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "portals"
    verbose_name = _("Portails des groupes")

    def ready(self) -> None:
        from workgroups.hooks import contribute_to_group_page

        from . import content  # registers the sections portals draws itself

        contribute_to_group_page(content.group_page_link)
