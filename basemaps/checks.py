"""Start-up check: the MapProxy configuration generated from the catalogue is valid."""

from __future__ import annotations

from django.core.checks import Error, register
from django.db import DatabaseError


@register()
def mapproxy_config_check(app_configs=None, **kwargs) -> list[Error]:
    from .mapproxy import build_config, catalogue_errors, config_errors, raster_basemaps

    try:
        basemaps = raster_basemaps()
    except DatabaseError:  # before migrate: nothing to check yet
        return []
    return [
        Error(
            f"Configuration MapProxy invalide : {message}",
            id="basemaps.E001",
            hint="Corrigez le fond de carte concerné dans l'administration.",
        )
        for message in catalogue_errors(basemaps) + config_errors(build_config(basemaps))
    ]
