from ..api.conftest import client_for, states  # noqa: F401
