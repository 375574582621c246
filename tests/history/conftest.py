"""The history tests reuse the API's cast clients and sharing states, and the importers'
group and file helpers."""

from ..api.conftest import client_for, states  # noqa: F401
from ..importers.conftest import _reports_in_tmp, heritage_group  # noqa: F401
