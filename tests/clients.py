"""Real clients (GDAL/OGR, QGIS, ogctests, Chromium, uMap) must never go silently missing in
CI: absent on a developer's machine, their tests skip; with ``CI=true`` they FAIL.

Use ``require_client(name, available, reason)`` inside a test or fixture, or mark a module or
test with ``real_client(name, available, reason)`` (handled in ``tests/conftest.py`` before
the test's fixtures run)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

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


#: The system Python, where Debian's python3-qgis lives (not this project's virtualenv).
SYSTEM_PYTHON = "/usr/bin/python3"
#: Debian's Chromium, never a downloaded one.
CHROMIUM = "/usr/bin/chromium"
#: Headless, with WebGL through SwiftShader (MapLibre needs it).
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
)


def has_qgis() -> bool:
    """Whether the system Python imports ``qgis.core``."""
    try:
        return (
            subprocess.run(
                [SYSTEM_PYTHON, "-c", "import qgis.core"], capture_output=True, timeout=60
            ).returncode
            == 0
        )
    except (OSError, subprocess.SubprocessError):
        return False


@contextmanager
def chromium(args: Sequence[str] = CHROMIUM_ARGS) -> Iterator[Any]:
    """Debian's Chromium launched by Playwright's sync API; closed on the way out."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=list(args))
        yield browser
        browser.close()


def sign_in(page: Any, base: str, username: str, password: str) -> None:
    """Sign in through the site's own form in a Playwright ``page``, as a person does."""
    page.goto(f"{base}/connexion/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form.narrow button[type=submit]")
    page.wait_for_url(f"{base}/mon-espace/")
