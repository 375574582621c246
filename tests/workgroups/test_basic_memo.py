"""HTTP Basic remembered per process, forgotten when it must be, and rate-limited, through a
real HTTP server (the live server, WSGI fast paths and edge included)."""

from __future__ import annotations

import time

import pytest
import requests
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from workgroups import basic
from workgroups.models import AuthFailures

from ..factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "mot-de-passe-test"
ITEMS = "/ogc/collections/observatoire/items?limit=1"


class CountingHasher(PBKDF2PasswordHasher):
    """Django's real PBKDF2 hasher (few iterations), counting the passwords it verifies."""

    iterations = 1000
    verified = 0

    def verify(self, password, encoded):
        CountingHasher.verified += 1
        return super().verify(password, encoded)


@pytest.fixture
def qgis(settings):
    settings.PASSWORD_HASHERS = ["tests.workgroups.test_basic_memo.CountingHasher"]
    settings.SPASS = {**settings.SPASS, "BASIC_AUTH_REMEMBER_SECONDS": 300}
    basic.memo.clear()
    CountingHasher.verified = 0
    yield UserFactory(username="qgis", password=PASSWORD)
    basic.memo.clear()


def _get(live_server, password=PASSWORD, username="qgis"):
    return requests.get(f"{live_server.url}{ITEMS}", auth=(username, password), timeout=30)


def test_verified_password_is_checked_once_then_remembered(live_server, qgis):
    """Five requests of a layer: one password check, five 200s."""
    assert [_get(live_server).status_code for _ in range(5)] == [200] * 5
    assert CountingHasher.verified == 1


def test_password_change_takes_effect_at_the_next_request(live_server, qgis):
    """Remembered, then the password changes (elsewhere): the old one is refused at once."""
    assert _get(live_server).status_code == 200
    qgis.set_password("nouveau-mot-de-passe")
    qgis.save()
    assert _get(live_server).status_code == 401
    assert _get(live_server, "nouveau-mot-de-passe").status_code == 200


def test_deactivated_account_is_refused_at_the_next_request(live_server, qgis):
    assert _get(live_server).status_code == 200
    qgis.is_active = False
    qgis.save()
    assert _get(live_server).status_code == 401


def test_expired_entry_is_verified_again(live_server, qgis, settings):
    """Past the remembering time the password is checked again (and a wrong one would 401)."""
    settings.SPASS = {**settings.SPASS, "BASIC_AUTH_REMEMBER_SECONDS": 1}
    assert _get(live_server).status_code == 200
    assert _get(live_server).status_code == 200
    assert CountingHasher.verified == 1
    time.sleep(1.2)
    assert _get(live_server).status_code == 200
    assert CountingHasher.verified == 2


def test_wrong_password_is_never_remembered_and_failures_are_limited(live_server, qgis, settings):
    """Each wrong password is checked (never a cached answer); past the limit: 429 with
    Retry-After and a French message, without checking; the right password, remembered
    before, still works."""
    settings.SPASS = {**settings.SPASS, "BASIC_AUTH_MAX_FAILURES": 3}
    assert _get(live_server).status_code == 200
    checked = CountingHasher.verified
    assert [_get(live_server, "faux").status_code for _ in range(3)] == [401] * 3
    assert CountingHasher.verified == checked + 3
    refused = _get(live_server, "faux")
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 300
    assert refused.json()["code"] == "TooManyRequests"
    assert "Trop de tentatives" in refused.json()["description"]
    assert CountingHasher.verified == checked + 3
    assert _get(live_server).status_code == 200
    # nothing typed is stored: the counters are keyed hashes
    assert not AuthFailures.objects.filter(key__contains="qgis").exists()


def test_failures_are_limited_per_address_too(live_server, qgis, settings):
    """Guessing across many usernames from one address is limited as well."""
    settings.SPASS = {**settings.SPASS, "BASIC_AUTH_MAX_FAILURES_PER_ADDRESS": 4}
    codes = [_get(live_server, "faux", username=f"inconnu{i}").status_code for i in range(5)]
    assert codes == [401] * 4 + [429]


@pytest.mark.parametrize(
    "path",
    ["/api/v1/me/", "/tiles/observatoire/14/8311/5467.pbf", "/exports/observatoire.geojson"],
)
def test_every_channel_reading_basic_remembers_and_limits(live_server, qgis, settings, path):
    """REST, tiles and exports share the memo and the limit."""
    settings.SPASS = {**settings.SPASS, "BASIC_AUTH_MAX_FAILURES": 2}
    url = f"{live_server.url}{path}"
    assert requests.get(url, auth=("qgis", PASSWORD), timeout=30).status_code in (200, 204)
    assert requests.get(url, auth=("qgis", PASSWORD), timeout=30).status_code in (200, 204)
    assert CountingHasher.verified == 1
    codes = [requests.get(url, auth=("qgis", "faux"), timeout=30).status_code for _ in range(3)]
    assert codes == [401, 401, 429]
