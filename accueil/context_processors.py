"""What every page's navigation needs to know."""

from django.apps import apps


def navigation(request) -> dict:
    return {"portals_installed": apps.is_installed("portals")}
