"""request_user: the person behind a request on read channels (Basic, Token, feed key)."""

import base64

import pytest
from django.test import RequestFactory
from rest_framework.authtoken.models import Token

from workgroups.auth import BadCredentials, create_feed_key, request_user, revoke_feed_key

from ..factories import UserFactory


def _basic(username, password):
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


@pytest.fixture
def person(db):
    return UserFactory(username="qgis", password="mot-de-passe-test")


def test_anonymous_without_credentials(person):
    """No header, no key, no session: an anonymous visitor."""
    assert not request_user(RequestFactory().get("/")).is_authenticated


def test_basic_token_and_feed_key_identify_the_person(person):
    """Each way a GIS client can authenticate resolves to the same account."""
    token = Token.objects.create(user=person)
    feed_key = create_feed_key(person, "uMap")
    rf = RequestFactory()
    for request in (
        rf.get("/", HTTP_AUTHORIZATION=_basic("qgis", "mot-de-passe-test")),
        rf.get("/", HTTP_AUTHORIZATION=f"Token {token.key}"),
        rf.get("/", {"key": feed_key.key}),
    ):
        assert request_user(request) == person


@pytest.mark.parametrize(
    "headers_or_params",
    [
        {"HTTP_AUTHORIZATION": "Basic !!!"},
        {"HTTP_AUTHORIZATION": _basic("qgis", "faux")},
        {"HTTP_AUTHORIZATION": "Token inconnu"},
        {"data": {"key": "inconnue"}},
    ],
)
def test_wrong_credentials_are_refused_not_downgraded(person, headers_or_params):
    """Wrong credentials raise instead of silently answering as anonymous."""
    params = headers_or_params.pop("data", {})
    with pytest.raises(BadCredentials):
        request_user(RequestFactory().get("/", params, **headers_or_params))


def test_revoked_feed_key_no_longer_works(person):
    """Revoking a feed key shuts every URL that carries it."""
    feed_key = create_feed_key(person)
    revoke_feed_key(feed_key)
    with pytest.raises(BadCredentials):
        request_user(RequestFactory().get("/", {"key": feed_key.key}))
