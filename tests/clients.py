"""Real clients (GDAL/OGR, QGIS, ogctests, Chromium, uMap) must never go silently missing in
CI: absent on a developer's machine, their tests skip; with ``CI=true`` they FAIL.

Use ``require_client(name, available, reason)`` inside a test or fixture, or mark a module or
test with ``real_client(name, available, reason)`` (handled in ``tests/conftest.py`` before
the test's fixtures run)."""

from __future__ import annotations

import os

import pytest


def in_ci() -> bool:
    """True when the ``CI`` environment variable says so (``true``, ``1`` or ``yes``)."""
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def require_client(name: str, available: bool, reason: str) -> None:
    """Skip the test when the client ``name`` is absent, or fail it under CI."""
    if available:
        return
    message = f"client réel absent — {name} : {reason}"
    if in_ci():
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def real_client(name: str, available: bool, reason: str) -> pytest.MarkDecorator:
    """A marker doing ``require_client(name, available, reason)`` before the test runs."""
    return pytest.mark.real_client(name=name, available=bool(available), reason=reason)
