from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from workgroups.events import occurred

        from .receivers import on_occurrence

        occurred.connect(on_occurrence, dispatch_uid="notifications.on_occurrence")
