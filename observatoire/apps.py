from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObservatoireConfig(AppConfig):
    name = "observatoire"
    verbose_name = _("Bases de ressources")

    def ready(self) -> None:
        from workgroups.hooks import contribute_to_group_page

        from . import territories  # noqa: F401 (re-derives resources on territories_changed)
        from .group_page import group_resources

        contribute_to_group_page(group_resources)
