"""Leak matrix of the OGC API writes: for every actor and every feature of the world, a
write is answered exactly as the rights say — 401 for the anonymous whatever exists, 404
(the GET's answer, word for word) on what the actor may not see, 403 on what they see but
may not edit — and OPTIONS on a hidden feature is the OPTIONS of a missing one. The
editable features are written with a stale ``If-Match`` (412): rights passed, nothing
written."""

from __future__ import annotations

import json

import pytest

from observatoire.models import Resource
from workgroups.roles import Level

from ..conftest import ACTORS
from .conftest import basic

ITEMS = "/ogc/collections/observatoire/items"
MISSING = 2**62


def may_edit(actor: str, resource: Resource) -> bool:
    """Written apart from the rule: the author edits all of theirs (contributeur of the
    group), the group's animateur all but the private ones; nobody else."""
    return actor == "author" or (actor == "animateur" and resource.level != Level.UTILISATEUR)


def _write(client, method, url, user):
    body = {"type": "Feature", "geometry": None, "properties": {}}
    return getattr(client, method.lower())(
        url,
        data=json.dumps(body if method != "PATCH" else {}),
        content_type="application/geo+json",
        HTTP_IF_MATCH='"version-perimee"',
        **basic(user),
    )


def _without_id(response, pk) -> tuple[int, str]:
    return response.status_code, response.json()["description"].replace(str(pk), "ID")


@pytest.mark.parametrize("actor", ACTORS)
def test_writes_answer_as_the_rights_say_and_never_reveal_a_hidden_feature(
    client, cast, world, actor
):
    user = cast[actor]
    visible = world.visible_ids(user)
    before = dict(Resource.objects.values_list("pk", "updated_at"))
    for resource in world.resources.values():
        url = f"{ITEMS}/{resource.pk}"
        seen = client.get(url, **basic(user)).status_code
        assert seen == (200 if resource.pk in visible else 404)
        for method in ("PUT", "PATCH", "DELETE"):
            response = _write(client, method, url, user)
            if not user.is_authenticated:
                expected = 401
            elif resource.pk not in visible:
                expected = 404
            elif may_edit(actor, resource):
                expected = 412
            else:
                expected = 403
            assert response.status_code == expected, (actor, resource.title, method)
            if expected == 404:
                missing = _write(client, method, f"{ITEMS}/{MISSING}", user)
                assert _without_id(response, resource.pk) == _without_id(missing, MISSING)
        options = client.options(url, **basic(user))
        if resource.pk not in visible:
            assert options["Allow"] == client.options(f"{ITEMS}/{MISSING}", **basic(user))["Allow"]
        else:
            editable = "PUT" in options["Allow"]
            assert editable == may_edit(actor, resource), (actor, resource.title)
    assert dict(Resource.objects.values_list("pk", "updated_at")) == before
