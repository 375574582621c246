"""``ogctests`` (OGC API Features Part 1 abstract tests, run as pytest) against a live server,
offline. It pins pytest<9, so it lives in its own venv (``var/ogctests``, made by
``make test``) and runs as a subprocess with a patient HTTP client."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone

from observatoire.kinds import BASE_OF_KIND
from workgroups.roles import Level

from ..clients import real_client
from ..factories import ResourceFactory

VENV_PYTHON = Path(__file__).resolve().parents[2] / "var" / "ogctests" / "bin" / "python"

#: Abstract tests of « features/core » that pass today (ogctests 29 of 29): fewer is a loss.
CONFORMANCE_TESTS = 29

RUNNER = """
import os, sys, httpx
from ogctests.main import run_ogctests
url = sys.argv[1]
client = httpx.Client(base_url=url, timeout=120)
flags = ["-q", "-p", "no:cacheprovider", "-c", os.devnull, "--rootdir", os.getcwd()]
sys.exit(run_ogctests("features/core", url, flags, test_client=client))
"""

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.slow,
    real_client("ogctests", VENV_PYTHON.exists(), "var/ogctests absent (make test)"),
]


@pytest.fixture
def one_public_per_kind(cast):
    """ogctests requires features (with geometry) in each of the first 20 collections."""
    now = timezone.now()
    for i, (kind, base) in enumerate(BASE_OF_KIND.items()):
        ResourceFactory(
            base=base,
            kind=kind,
            title=f"Exemple {kind}",
            group=cast.group,
            author=cast["author"],
            level=Level.PUBLIC,
            validated_at=now,
            geom=Point(2.0 + i / 10, 47.0, srid=4326),
            date_start="2020-01-01",
        )


def test_ogctests_features_core_all_pass(live_server, one_public_per_kind, tmp_path):
    """Every abstract test of OGC API Features Part 1 Core passes."""
    result = subprocess.run(
        [str(VENV_PYTHON), "-c", RUNNER, f"{live_server.url}/ogc"],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "no_proxy": "*"},
    )
    sys.stdout.write(result.stdout[-4000:])
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    # The exit code alone would pass a run that collected nothing: count what passed.
    summary = re.findall(r"^=*\s*(\d+ passed.*?)\s*=*$", result.stdout, re.MULTILINE)
    assert summary, result.stdout[-2000:]
    counts = {word: int(n) for n, word in re.findall(r"(\d+) (\w+)", summary[-1])}
    assert counts["passed"] >= CONFORMANCE_TESTS, summary[-1]
    assert not counts.keys() & {"failed", "error", "errors", "xfailed", "skipped"}, summary[-1]
