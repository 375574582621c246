from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscussionConfig(AppConfig):
    name = "discussion"
    verbose_name = _("Discussion")

    def ready(self) -> None:
        from workgroups.hooks import contribute_to_item_page

        from .page import discussion_box
        from .targets import register_builtin

        register_builtin()
        contribute_to_item_page(discussion_box)
