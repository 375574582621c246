"""Versions are written by the database: a form's save, a raw SQL ``UPDATE`` and a bulk
import are recorded alike, with who did it and which import; a save or an import that
changes nothing writes nothing."""

from __future__ import annotations

import pghistory
import pytest
from django.contrib.gis.geos import Point
from django.db import connection

from history.models import SHARING, MembershipEvent, ResourceEvent
from history.services import versions_of
from importers.models import ImportJob
from observatoire.models import Resource
from workgroups.models import Membership
from workgroups.roles import Level, Role

from ..factories import GroupFactory, MembershipFactory, ResourceFactory, UserFactory
from ..importers.test_undo import FIRST, SECOND, import_file, write_file

pytestmark = pytest.mark.django_db


def test_create_change_and_unchanged_save():
    resource = ResourceFactory(title="Halle")
    assert list(versions_of(resource).values_list("pgh_label", flat=True)) == ["insert"]
    resource.title = "Halle aux grains"
    resource.save()
    resource.save()  # nothing changed (only updated_at): no version
    labels = list(versions_of(resource).values_list("pgh_label", "title"))
    assert labels == [("update", "Halle aux grains"), ("insert", "Halle")]


def test_raw_sql_update_is_recorded_with_its_context():
    resource = ResourceFactory(title="Lavoir")
    user = UserFactory(username="sql")
    with pghistory.context(user=user.pk), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE observatoire_resource SET geom = ST_SetSRID(ST_MakePoint(2, 47), 4326)"
            " WHERE id = %s",
            [resource.pk],
        )
    newest = versions_of(resource).first()
    assert newest.pgh_label == "update"
    assert newest.geom.equals(Point(2, 47, srid=4326))
    assert newest.pgh_context["user"] == user.pk


def test_sharing_changes_are_a_second_event_for_the_audit():
    resource = ResourceFactory(level=Level.GROUPE)
    resource.level = Level.PUBLIC
    resource.save()
    assert ResourceEvent.objects.filter(pgh_obj_id=resource.pk, pgh_label=SHARING).count() == 1
    assert versions_of(resource).count() == 2  # the sharing copy is not a version


def test_membership_events():
    group = GroupFactory()
    membership = MembershipFactory(group=group, role=Role.LECTEUR)
    membership.role = Role.EXPERT
    membership.save()
    membership.delete()
    labels = MembershipEvent.objects.filter(group_id=group.pk).order_by("pgh_id")
    assert [(e.pgh_label, e.role) for e in labels] == [
        ("insert", Role.LECTEUR),
        ("update", Role.EXPERT),
        ("delete", Role.EXPERT),
    ]
    assert not Membership.objects.filter(group=group).exists()


@pytest.mark.django_db(transaction=True)
def test_an_import_names_its_job_and_a_rerun_over_unchanged_rows_writes_nothing(
    heritage_group, tmp_path
):
    _group, animateur = heritage_group
    path = write_file(tmp_path / "lieux.geojson", FIRST)
    first = import_file(path)
    created = ResourceEvent.objects.filter(pgh_context__import_job=first.pk)
    assert created.count() == len(FIRST)
    assert set(created.values_list("pgh_label", flat=True)) == {"insert"}
    assert {e.pgh_context["user"] for e in created} == {animateur.pk}
    before = ResourceEvent.objects.count()

    again = import_file(path)
    assert again.unchanged == len(FIRST)
    assert ResourceEvent.objects.count() == before

    second = import_file(write_file(tmp_path / "lieux.geojson", SECOND))
    written = ResourceEvent.objects.filter(pgh_context__import_job=second.pk)
    assert sorted(written.values_list("pgh_label", flat=True)) == ["insert"] + ["update"] * 3
    assert ImportJob.objects.count() == 3
    assert Resource.objects.count() == len(SECOND)
