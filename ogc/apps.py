from django.apps import AppConfig


class OgcConfig(AppConfig):
    name = "ogc"
    verbose_name = "OGC API Features"

    def ready(self) -> None:
        # pygeoapi and the CQL2 parsers (lark grammars) take seconds to import: pay it when a
        # worker boots, not on its first request (which GIS clients would see time out)
        from layers.cql import parse_filter

        from . import views  # noqa: F401

        parse_filter("id = 1", "cql2-text")
