from tests.layers.maps_fixtures import world  # noqa: F401
