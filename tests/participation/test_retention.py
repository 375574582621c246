"""What the consent text promises: past each form's retention period, contributions not
kept (refused, never confirmed, never moderated) are erased with their photos' files, the
published ones lose their e-mail address, and old rate counters go; everything younger stays.
Run as the nightly procrastinate task does and as ``manage.py purge_participation``."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from participation import services, tasks
from participation.models import RateCounter, Submission, SubmissionPhoto
from participation.retention import purge_expired

from .conftest import jpeg

pytestmark = pytest.mark.django_db


def contribute(post, title: str, days_ago: int, **extra) -> Submission:
    response = post.page(photo=jpeg(), titre=title, email="camille@example.org", **extra)
    assert response.status_code == 302, response.content.decode()[:300]
    submission = Submission.objects.get(title=title)
    Submission.objects.filter(pk=submission.pk).update(
        created_at=timezone.now() - dt.timedelta(days=days_ago)
    )
    return submission


def files_of(submission: Submission) -> list[Path]:
    return [Path(p.file.path) for p in SubmissionPhoto.objects.filter(submission=submission)]


def test_old_contributions_not_kept_are_erased_and_addresses_of_published_ones(
    post, form, cast, django_capture_on_commit_callbacks
):
    form.retention_days = 365
    form.save()
    old_pending = contribute(post, "Ancienne en attente", 400)
    old_refused = contribute(post, "Ancienne refusée", 400)
    services.refuse(cast["animateur"], old_refused, "Hors sujet")
    old_accepted = contribute(post, "Ancienne publiée", 400)
    services.accept(cast["animateur"], old_accepted, level="groupe")
    young = contribute(post, "Récente en attente", 30)
    old_photos, young_photos = files_of(old_pending), files_of(young)
    assert old_photos and all(p.exists() for p in old_photos + young_photos)
    RateCounter.objects.create(key="ancien", day=timezone.localdate() - dt.timedelta(days=5))
    RateCounter.objects.create(key="du-jour", day=timezone.localdate())

    with django_capture_on_commit_callbacks(execute=True):
        done = purge_expired()

    assert (done.submissions, done.photos, done.emails) == (2, 1, 1)
    assert done.counters == 1 and RateCounter.objects.filter(key="du-jour").exists()
    left = dict(Submission.objects.values_list("title", "email"))
    assert left == {"Ancienne publiée": "", "Récente en attente": "camille@example.org"}
    assert not any(p.exists() for p in old_photos)
    assert all(p.exists() for p in young_photos)
    old_accepted.refresh_from_db()
    assert old_accepted.resource is not None  # the published resource stays, with its pseudonym
    assert old_accepted.resource.attributes["contributeur"] == "Camille"


def test_each_form_counts_its_own_period(post, form):
    form.retention_days = 30
    form.save()
    contribute(post, "Vieille de 40 jours", 40)
    contribute(post, "Vieille de 20 jours", 20)
    assert purge_expired().submissions == 1
    assert list(Submission.objects.values_list("title", flat=True)) == ["Vieille de 20 jours"]


def test_the_nightly_task_and_the_command_purge(post, form):
    contribute(post, "Très ancienne", 800)
    tasks.purge_expired(timestamp=int(timezone.now().timestamp()))
    assert not Submission.objects.exists()
    contribute(post, "Encore une ancienne", 800)
    out = StringIO()
    call_command("purge_participation", stdout=out)
    assert "Contributions effacées : 1 (1 photo(s))" in out.getvalue()
    assert not Submission.objects.exists()
