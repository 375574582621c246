"""Settings of S-PASS Territoires, all from environment variables (12-factor).

Every variable is documented in README.md (« Configuration »). With no DATABASE_URL the
embedded PostGIS cluster started by ``bin/spass-db`` under ``var/`` is used.
"""

from pathlib import Path
from typing import TypedDict

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.DB_SCHEMES["postgres"] = "django.contrib.gis.db.backends.postgis"
environ.Env.DB_SCHEMES["postgresql"] = "django.contrib.gis.db.backends.postgis"

VAR_DIR = Path(env.str("SPASS_VAR_DIR", default=str(BASE_DIR / "var")))


def _embedded_database_url() -> str:
    """URL of the embedded cluster, from the port and password files ``bin/spass-db`` writes."""
    pg_dir = VAR_DIR / "postgres"
    try:
        port = (pg_dir / "port").read_text().strip()
        password = (pg_dir / "password").read_text().strip()
    except FileNotFoundError:
        return "postgis://spass@127.0.0.1:54320/spass"
    return f"postgis://spass:{password}@127.0.0.1:{port}/spass"


DEBUG = env.bool("SPASS_DEBUG", default=False)
SECRET_KEY = env.str(
    "SPASS_SECRET_KEY", default="spass-dev-only-secret-key-change-me-in-production"
)
ALLOWED_HOSTS = env.list("SPASS_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("SPASS_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "django.contrib.postgres",
    "procrastinate.contrib.django",
    "rest_framework",
    "rest_framework.authtoken",
    "rest_framework_gis",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "geo",
    "workgroups",
    "observatoire",
    "activite",
    "importers",
    "layers",
    "basemaps",
    "exports",
    "tiles",
    "ogc",
    "search",
    "pins",
    "accueil",
    "actualites",
    "portals",
    "notifications",
    "participation",
    "pgtrigger",
    "pghistory",
    "history",
    "discussion",
    "actors",
    "publications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "workgroups.edge.EdgeMiddleware",
    "geo.replicas.ReplicaMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "pghistory.middleware.HistoryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "workgroups.edge.FeedCorsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accueil.context_processors.navigation",
                "notifications.context_processors.bell",
            ],
        },
    },
]

DATABASES = {"default": env.db_url("DATABASE_URL", default=_embedded_database_url())}
DATABASES["default"]["ENGINE"] = "django.contrib.gis.db.backends.postgis"
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("SPASS_DB_CONN_MAX_AGE", default=60))
DATABASES["default"]["TEST"] = {"NAME": env.str("SPASS_TEST_DB_NAME", default="test_spass")}
# The hot statements (OGC pages, feed keys, anonymous tiles) are kept SQL texts run as
# server-side prepared statements (geo/prepared.py) with their generic plan: PostgreSQL would
# otherwise plan each execution again for its parameters (0.3-0.5 ms, more than running an OGC
# item). Behind a pooler in transaction mode that does not know prepared statements, set
# SPASS_DB_PREPARED=false. Django's own queries stay unprepared.
SPASS_DB_PREPARED = env.bool("SPASS_DB_PREPARED", default=True)
_OPTIONS = DATABASES["default"].setdefault("OPTIONS", {})
_OPTIONS.setdefault("options", "-c plan_cache_mode=force_generic_plan")
# Read replicas (geo/replicas.py, docs/scale.md): the reads of GET/HEAD requests go to a
# healthy replica lagging less than SPASS_REPLICA_MAX_LAG_S (checked every
# SPASS_REPLICA_CHECK_S); a person who wrote reads from the primary for SPASS_REPLICA_PIN_S.
for _n, _url in enumerate(env.list("SPASS_DATABASE_REPLICA_URLS", default=[])):
    DATABASES[f"replica_{_n}"] = {
        **env.db_url_config(_url),
        "ENGINE": "django.contrib.gis.db.backends.postgis",
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "OPTIONS": {**_OPTIONS, "connect_timeout": 2},
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["geo.replicas.ReplicaRouter"] if len(DATABASES) > 1 else []
SPASS_REPLICA_MAX_LAG_S = env.float("SPASS_REPLICA_MAX_LAG_S", default=10.0)
SPASS_REPLICA_CHECK_S = env.float("SPASS_REPLICA_CHECK_S", default=5.0)
SPASS_REPLICA_PIN_S = env.int("SPASS_REPLICA_PIN_S", default=5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "workgroups.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "/connexion/"
LOGIN_REDIRECT_URL = "/mon-espace/"
LOGOUT_REDIRECT_URL = "/"
# E-mail server: SPASS_EMAIL_URL, e.g. smtp+tls://user:password@host:587, smtps://host:465 or
# smtp://127.0.0.1:25 (console: the mails are written to the log). SPASS_EMAIL_BACKEND, when
# set, still names another Django backend.
_email = env.email_url("SPASS_EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = env.str("SPASS_EMAIL_BACKEND", default=_email["EMAIL_BACKEND"])
EMAIL_HOST = _email.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = bool(_email.get("EMAIL_USE_TLS"))
EMAIL_USE_SSL = bool(_email.get("EMAIL_USE_SSL"))
EMAIL_TIMEOUT = env.int("SPASS_EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env.str("SPASS_FROM_EMAIL", default="S-PASS Territoires <noreply@localhost>")

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("Anglais"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
#: ``static/vendor/`` holds the front-end files the pages use, copied from ``node_modules/`` by
#: ``bin/vendor-assets``: only those are served and collected, not the whole of node_modules.
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"

DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("SPASS_MAX_BODY_BYTES", default=10 * 1024 * 1024)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("SPASS_LOG_LEVEL", default="WARNING")},
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "workgroups.api.authentication.HeaderAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "workgroups.api.parsers.GeoJSONParser",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "workgroups.api.exceptions.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "S-PASS Territoires — API REST",
    "DESCRIPTION": _(
        "Ressources géolocalisées des bases Observatoire, Médiathèque et Activité, groupes de "
        "travail et circuit de validation. Chaque réponse ne contient que ce que la personne "
        "authentifiée a le droit de voir."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {"ActorKindEnum": "actors.models.Kind"},
}


class SpassSettings(TypedDict):
    """The platform's own settings, read at call time through ``settings.SPASS`` (never at
    import, so tests may replace the dict). Each key ``K`` is set by the environment variable
    ``SPASS_K``; its default is here and nowhere else (README, « Configuration »)."""

    DEMO_PASSWORD: str
    VAR_DIR: Path
    MAX_UPLOAD_BYTES: int
    API_PAGE_SIZE: int
    API_MAX_PAGE_SIZE: int
    API_EXACT_COUNT_LIMIT: int
    OGC_COUNT_CAP: int
    OGC_MAP_URL: str
    CONTACT_EMAIL: str
    SITE_URL: str
    EXPORT_MAX_FILE_FEATURES: int
    SEARCH_MAX_CANDIDATES: int
    TILES_CLUSTER_BELOW_ZOOM: int
    TILES_CLUSTER_CELLS: int
    TILES_MAX_FEATURES: int
    TILES_MAXZOOM: int
    TILES_MAX_AGE: int
    TILES_CACHE: bool
    TILES_CACHE_FILTERED: bool
    TILES_PURGE_URL: str
    BASEMAPS_DIR: str
    BASEMAP_GLYPHS: str
    ARCHIRES_MAPPING_DIR: str
    IMPORT_MAX_BYTES: int
    IMPORT_MAX_UPLOAD_BYTES: int
    IMPORT_STALLED_AFTER: int
    HARVEST_TIMEOUT: int
    HARVEST_MAX_PAGES: int
    BASIC_AUTH_REMEMBER_SECONDS: int
    BASIC_AUTH_MAX_FAILURES: int
    BASIC_AUTH_MAX_FAILURES_PER_ADDRESS: int
    BASIC_AUTH_FAILURE_WINDOW: int
    MAX_PARAM_CHARS: int


SPASS: SpassSettings = {
    "DEMO_PASSWORD": env.str("SPASS_DEMO_PASSWORD", default="spass-demo"),
    "VAR_DIR": VAR_DIR,
    # Attachments: largest photo or document (bytes)
    "MAX_UPLOAD_BYTES": env.int("SPASS_MAX_UPLOAD_BYTES", default=5 * 1024 * 1024),
    # REST API: page size (default and maximum) and the count above which it is estimated
    "API_PAGE_SIZE": env.int("SPASS_API_PAGE_SIZE", default=100),
    "API_MAX_PAGE_SIZE": env.int("SPASS_API_MAX_PAGE_SIZE", default=1000),
    "API_EXACT_COUNT_LIMIT": env.int("SPASS_API_EXACT_COUNT_LIMIT", default=100_000),
    # OGC API: numberMatched is given up to this count, omitted above (never a full count)
    "OGC_COUNT_CAP": env.int("SPASS_OGC_COUNT_CAP", default=1_000),
    # OGC API HTML pages: background map tiles, and the contact named in the metadata
    "OGC_MAP_URL": env.str(
        "SPASS_OGC_MAP_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    ),
    "CONTACT_EMAIL": env.str("SPASS_CONTACT_EMAIL", default=""),
    # The site's public address, for the links of e-mails (sent outside any request)
    "SITE_URL": env.str("SPASS_SITE_URL", default="http://127.0.0.1:8000"),
    # Exports: features of one file (above: 413, narrow the filter)
    "EXPORT_MAX_FILE_FEATURES": env.int("SPASS_EXPORT_MAX_FILE_FEATURES", default=200_000),
    # French search: matches read, ranked and counted per query (above it: « au moins N »)
    "SEARCH_MAX_CANDIDATES": env.int("SPASS_SEARCH_MAX_CANDIDATES", default=1000),
    # Tiles: below this zoom, features are aggregated into clusters
    "TILES_CLUSTER_BELOW_ZOOM": env.int("SPASS_TILES_CLUSTER_BELOW_ZOOM", default=10),
    # Cluster grid cells per tile side (32 → a cell of 16 px on a 512 px tile)
    "TILES_CLUSTER_CELLS": env.int("SPASS_TILES_CLUSTER_CELLS", default=32),
    # A tile holding more features (at any zoom below the finest cluster cells) is drawn as
    # clusters too: no map draws 100k points of one tile; 0 turns it off
    "TILES_MAX_FEATURES": env.int("SPASS_TILES_MAX_FEATURES", default=10_000),
    "TILES_MAXZOOM": env.int("SPASS_TILES_MAXZOOM", default=22),
    # Seconds a browser may keep an anonymous tile (the server cache is invalidated on write)
    "TILES_MAX_AGE": env.int("SPASS_TILES_MAX_AGE", default=60),
    # Off: anonymous tiles rendered at every request (several web nodes without a shared
    # VAR_DIR; the tiles bench's cold case).
    "TILES_CACHE": env.bool("SPASS_TILES_CACHE", default=True),
    # Filtered tiles are not stored by default: free-text filters would let anyone fill the disk
    "TILES_CACHE_FILTERED": env.bool("SPASS_TILES_CACHE_FILTERED", default=False),
    # CDN purge hook: POSTed the invalidated tile URLs by the job queue (tiles/purge.py)
    "TILES_PURGE_URL": env.str("SPASS_TILES_PURGE_URL", default=""),
    # MapProxy configuration and cache (empty: VAR_DIR/mapproxy)
    "BASEMAPS_DIR": env.str("SPASS_BASEMAPS_DIR", default=""),
    # The site's own glyphs URL template (a path on this site; empty: no commune names)
    "BASEMAP_GLYPHS": env.str("SPASS_BASEMAP_GLYPHS", default=""),
    # Archirès code lists (school codes, work types): the ``archires/mapping`` CSV files
    "ARCHIRES_MAPPING_DIR": env.str(
        "SPASS_ARCHIRES_MAPPING_DIR",
        default=str(BASE_DIR.parent / "shared" / "data" / "archires" / "mapping"),
    ),
    # Imports: largest data file once decompressed (bytes; a zip bomb stops here)
    "IMPORT_MAX_BYTES": env.int("SPASS_IMPORT_MAX_BYTES", default=512 * 1024 * 1024),
    # Web imports: largest uploaded file (bytes)
    "IMPORT_MAX_UPLOAD_BYTES": env.int("SPASS_IMPORT_MAX_UPLOAD_BYTES", default=200 * 1024 * 1024),
    # Imports: seconds without a sign of life after which a running import is interrupted (its
    # process was killed); keep it well above the procrastinate worker's 10 s heartbeat
    "IMPORT_STALLED_AFTER": env.int("SPASS_IMPORT_STALLED_AFTER", default=60),
    # Harvests: seconds a source may take to answer (each read), pages of an OGC API
    # collection followed at most (beyond: the run fails rather than flag the rest as removed)
    "HARVEST_TIMEOUT": env.int("SPASS_HARVEST_TIMEOUT", default=60),
    "HARVEST_MAX_PAGES": env.int("SPASS_HARVEST_MAX_PAGES", default=200),
    # HTTP Basic (QGIS, GDAL): a verified password is remembered per process this long (0:
    # checked at every request); failed attempts per username / per address in a window
    "BASIC_AUTH_REMEMBER_SECONDS": env.int("SPASS_BASIC_AUTH_REMEMBER_SECONDS", default=300),
    "BASIC_AUTH_MAX_FAILURES": env.int("SPASS_BASIC_AUTH_MAX_FAILURES", default=10),
    "BASIC_AUTH_MAX_FAILURES_PER_ADDRESS": env.int(
        "SPASS_BASIC_AUTH_MAX_FAILURES_PER_ADDRESS", default=50
    ),
    "BASIC_AUTH_FAILURE_WINDOW": env.int("SPASS_BASIC_AUTH_FAILURE_WINDOW", default=300),
    # The edge (workgroups/edge/input.py): longest path segment, parameter or header value
    "MAX_PARAM_CHARS": env.int("SPASS_MAX_PARAM_CHARS", default=16_384),
}

# Debian 12 ships GDAL 3.6, which cannot block network access for SRS look-ups; the platform
# never builds a spatial reference from user-supplied URLs, so the warning is silenced.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]
