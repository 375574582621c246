"""The real-client guard itself: absent clients skip on a developer's machine, fail in CI."""

from __future__ import annotations

import pytest

from .clients import in_ci, real_client, require_client


@pytest.mark.parametrize("value", ["true", "1", "TRUE", "yes"])
def test_an_absent_client_fails_under_ci(monkeypatch, value):
    monkeypatch.setenv("CI", value)
    assert in_ci()
    with pytest.raises(pytest.fail.Exception, match="gdal"):
        require_client("gdal", False, "ogrinfo absent")


@pytest.mark.parametrize("value", [None, "", "false", "0"])
def test_an_absent_client_skips_outside_ci(monkeypatch, value):
    if value is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", value)
    assert not in_ci()
    with pytest.raises(pytest.skip.Exception, match="qgis"):
        require_client("qgis", False, "python3-qgis absent")


def test_a_present_client_runs_everywhere(monkeypatch):
    monkeypatch.setenv("CI", "true")
    require_client("chromium", True, "never said")  # no exception


def test_the_marker_carries_what_the_setup_hook_needs():
    mark = real_client("ogctests", 0, "var/ogctests absent").mark
    assert mark.name == "real_client"
    assert mark.kwargs == {"name": "ogctests", "available": False, "reason": "var/ogctests absent"}
