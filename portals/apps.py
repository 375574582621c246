from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "portals"
    verbose_name = _("Portails des groupes")

    def ready(self) -> None:
        from . import content  # noqa: F401  (registers the sections portals draws itself)
