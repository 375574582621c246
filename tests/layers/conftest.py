from .maps_fixtures import world  # noqa: F401
