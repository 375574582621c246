from django.apps import AppConfig


class OgcConfig(AppConfig):
    name = "ogc"
    verbose_name = "OGC API Features"

    def ready(self) -> None:
        from workgroups.hooks import contribute_key_addresses

        from .keys import addresses

        contribute_key_addresses(addresses)
