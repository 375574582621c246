from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HistoryConfig(AppConfig):
    name = "history"
    verbose_name = _("Historique et audit")

    def ready(self) -> None:
        from workgroups.hooks import contribute_to_item_page

        from .page import history_link

        contribute_to_item_page(history_link)
