"""Who launched an import is told when it ends (the bell, and a mail by the job queue), once
per job; a dry run tells nobody."""

from __future__ import annotations

import pytest

from notifications.models import Notification
from workgroups.events import Kind

from .test_geodata import frame, geodata

pytestmark = pytest.mark.django_db


def test_the_end_of_an_import_is_told_to_its_launcher(heritage, tmp_path):
    path = tmp_path / "realisations.geojson"
    frame().to_file(path, driver="GeoJSON")
    geodata(path, "--dry-run")
    assert not Notification.objects.exists()
    geodata(path)
    (notification,) = Notification.objects.all()
    assert notification.kind == Kind.IMPORT_FINISHED
    assert notification.recipient.username == "anim" and notification.group.slug == "patrimoine"
    assert notification.target_type.model == "importjob"
    geodata(path)  # a re-run is another job: told again
    assert Notification.objects.count() == 2
