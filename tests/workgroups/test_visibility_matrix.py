"""The one visibility rule, as a table: actors × sharing levels × validated × actions.

Each row below names the actors allowed to do the action on a resource of « Groupe de la
matrice » written by ``author`` (a contributeur), at that level, validated or not. Every
other actor must be refused. Actions run through the real services.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from importers.engine import ImportAborted, run_import
from importers.mapping import ColumnMapping
from importers.sources.ogr_file import GeodataSource
from observatoire import services
from observatoire.models import Resource
from workgroups.errors import InvalidState, NotAllowed
from workgroups.permissions import can
from workgroups.roles import Capability

from ..conftest import ACTORS
from ..factories import ResourceFactory

MEMBERS = "lecteur contributeur expert animateur author"
EVERY_ACCOUNT = "account other_animateur " + MEMBERS

SEE = {
    ("utilisateur", False): "author",
    ("utilisateur", True): "author",
    ("groupe", False): MEMBERS,
    ("groupe", True): MEMBERS,
    ("communaute", False): MEMBERS,
    ("communaute", True): EVERY_ACCOUNT,
    ("public", False): MEMBERS,
    ("public", True): "anonymous " + EVERY_ACCOUNT,
}
EDIT = {
    ("utilisateur", False): "author",
    ("utilisateur", True): "author",
    ("groupe", False): "animateur author",
    ("groupe", True): "animateur author",
    ("communaute", False): "animateur author",
    ("communaute", True): "animateur author",
    ("public", False): "animateur author",
    ("public", True): "animateur author",
}
VALIDATE = {
    ("utilisateur", False): "",
    ("utilisateur", True): "",
    ("groupe", False): "",
    ("groupe", True): "",
    ("communaute", False): "animateur",
    ("communaute", True): "",
    ("public", False): "animateur",
    ("public", True): "",
}
DELETE = EDIT
#: An import of a file holding the resource's source id, by each actor into the resource's
#: group when they may create there, else into their own group: the row changes exactly when
#: the actor may edit it (anyone else gets a conflict, or no import at all).
IMPORT = EDIT

TABLES = {"see": SEE, "edit": EDIT, "validate": VALIDATE, "delete": DELETE, "import": IMPORT}


def _import_over(actor, resource: Resource, cast, path: Path) -> bool:
    """Import, as ``actor``, one feature carrying ``resource``'s source id and a new title;
    True when the stored row took the file's title (anything else must leave it intact)."""
    if not actor.is_authenticated:
        return False  # no channel lets an anonymous visitor import
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"ident": resource.source_id, "nom": "Titre importé"},
                        "geometry": {"type": "Point", "coordinates": [3.06, 50.63]},
                    }
                ],
            }
        )
    )
    source = GeodataSource(
        path,
        base=resource.base,
        kind=resource.kind,
        mapping=ColumnMapping({"source_id": "ident", "title": "nom"}),
        source_name=resource.source,
    )
    target = cast.group if can(actor, cast.group, Capability.CREATE) else cast.other_group
    before = Resource.objects.filter(pk=resource.pk).values().get()
    try:
        job, _report = run_import(source, actor=actor, group=target)
    except ImportAborted:
        job = None
    after = Resource.objects.filter(pk=resource.pk).values().get()
    if after["title"] != "Titre importé":
        assert after == before, "a refused import changed the row"
        assert job is None or job.conflicts == 1
        return False
    assert after["group_id"] == before["group_id"] and job.updated == 1
    return True


def _attempt(action: str, actor, resource: Resource, cast, tmp_path: Path):
    """Do the action as ``actor`` through the services; True when it was allowed, else the
    class of the refusal (``NotAllowed`` or ``InvalidState``; any other error propagates)."""
    if action == "see":
        return Resource.objects.visible_to(actor).filter(pk=resource.pk).exists()
    if action == "import":
        return _import_over(actor, resource, cast, tmp_path / "fichier.geojson")
    try:
        if action == "edit":
            services.update_resource(actor, resource, title="Titre modifié")
        elif action == "validate":
            services.validate(actor, resource)
        elif action == "delete":
            services.delete_resource(actor, resource)
    except (NotAllowed, InvalidState) as error:
        return type(error)
    return True


def _refusal(action: str, actor: str):
    """Why a refused cell is refused: the group's animateur holds the validate right, so a
    refused « validate » is the state check's (already validated, or not shared beyond the
    group); every other refusal is the rights check's."""
    if action == "validate" and actor == "animateur":
        return InvalidState
    return NotAllowed


@pytest.mark.parametrize("action", list(TABLES))
@pytest.mark.parametrize("validated", [False, True], ids=["non-validee", "validee"])
@pytest.mark.parametrize("level", ["utilisateur", "groupe", "communaute", "public"])
@pytest.mark.parametrize("actor", ACTORS)
def test_matrix(cast, actor, level, validated, action, tmp_path, settings):
    """The actor may do the action exactly when the table above names them."""
    settings.SPASS = {**settings.SPASS, "VAR_DIR": tmp_path}
    resource = ResourceFactory(
        group=cast.group,
        author=cast["author"],
        level=level,
        validated_at=timezone.now() if validated else None,
        validated_by=cast["animateur"] if validated else None,
        source="matrice",
        source_id="m-1",
    )
    allowed = actor in TABLES[action][(level, validated)].split()
    outcome = _attempt(action, cast[actor], resource, cast, tmp_path)
    if action in ("see", "import"):
        assert outcome is allowed
    else:
        assert outcome is (True if allowed else _refusal(action, actor))


def test_visible_to_is_one_sql_query(cast):
    """The rule compiles to a single statement (memberships as a sub-select)."""
    ResourceFactory.create_batch(3, group=cast.group, author=cast["author"], level="groupe")
    with CaptureQueriesContext(connection) as queries:
        rows = list(Resource.objects.visible_to(cast["lecteur"]))
    assert len(rows) == 3
    assert len(queries) == 1
    assert "workgroups_membership" in queries[0]["sql"]


def test_inactive_member_sees_like_anonymous(cast):
    """A deactivated account loses every right, even on its own resources' group."""
    ResourceFactory(group=cast.group, author=cast["author"], level="groupe")
    lecteur = cast["lecteur"]
    lecteur.is_active = False
    lecteur.save()
    assert not Resource.objects.visible_to(lecteur).exists()


def test_pending_membership_grants_nothing(cast):
    """A join request waiting for approval does not open the group's resources."""
    from workgroups.models import Membership

    ResourceFactory(group=cast.group, author=cast["author"], level="groupe")
    Membership.objects.filter(user=cast["lecteur"]).update(state=Membership.State.REQUESTED)
    assert not Resource.objects.visible_to(cast["lecteur"]).exists()


def test_validated_resource_moves_between_levels_without_new_validation(cast):
    """Once validated, the author moves the resource back and forth freely."""
    resource = ResourceFactory(group=cast.group, author=cast["author"], level="groupe")
    services.share(cast["author"], resource, "public")
    assert not Resource.objects.visible_to(cast["anonymous"]).exists()
    services.validate(cast["animateur"], resource)
    assert Resource.objects.visible_to(cast["anonymous"]).count() == 1
    services.share(cast["author"], resource, "groupe")
    assert not Resource.objects.visible_to(cast["anonymous"]).exists()
    services.share(cast["author"], resource, "public")
    assert Resource.objects.visible_to(cast["anonymous"]).count() == 1


def test_only_the_author_changes_the_level(cast):
    """An animateur may edit a resource but not choose its sharing level."""
    resource = ResourceFactory(group=cast.group, author=cast["author"], level="groupe")
    with pytest.raises(ValidationError) as error:
        services.update_resource(cast["animateur"], resource, level="public")
    assert "level" in error.value.message_dict
    resource.refresh_from_db()
    assert resource.level == "groupe"
