"""System checks (spass.E001…) for what the platform needs from its machine."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.db import connections
from django.db.utils import DatabaseError


@register()
def check_gdal_and_proj(app_configs=None, **kwargs) -> list[Error]:
    errors: list[Error] = []
    try:
        from django.contrib.gis.gdal import gdal_version

        gdal_version()
    except Exception as exc:  # the library is missing or cannot load
        errors.append(
            Error(
                f"GDAL est introuvable : {exc}",
                hint="Installez le paquet Debian gdal-bin (make run le fait).",
                id="spass.E001",
            )
        )
    try:
        from pyproj import CRS

        CRS.from_epsg(2154)
    except Exception as exc:
        errors.append(
            Error(
                f"PROJ ne connaît pas EPSG:2154 : {exc}",
                hint="Réinstallez pyproj dans le virtualenv (make run).",
                id="spass.E002",
            )
        )
    return errors


@register(Tags.database)
def check_postgis(app_configs=None, databases=None, **kwargs) -> list[Error]:
    """PostGIS must be installable in the database (migrate creates it when it is not yet)."""
    if not databases or "default" not in databases:
        return []
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'")
            row = cursor.fetchone()
    except DatabaseError as exc:
        return [Error(f"Base de données injoignable : {exc}", id="spass.E003")]
    if row is None:
        return [
            Error(
                "L'extension PostGIS n'est pas disponible sur ce serveur PostgreSQL.",
                hint="Installez PostGIS 3 sur le serveur (paquet Debian postgresql-15-postgis-3).",
                id="spass.E003",
            )
        ]
    return []


@register()
def check_var_writable(app_configs=None, **kwargs) -> list[Error]:
    var_dir = settings.SPASS["VAR_DIR"]
    try:
        var_dir.mkdir(parents=True, exist_ok=True)
        probe = var_dir / ".write-check"
        probe.write_text("ok")
        probe.unlink()
    except OSError as exc:
        return [
            Error(
                f"Le dossier {var_dir} n'est pas accessible en écriture : {exc}",
                hint="Donnez les droits d'écriture ou fixez SPASS_VAR_DIR.",
                id="spass.E004",
            )
        ]
    return []
