"""The optional e-mail confirmation: a contribution with an e-mail waits, unseen by the
queue's default view, until its author opens the link mailed to them."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.db import connection
from procrastinate.contrib.django.models import ProcrastinateJob

from participation import tasks
from participation.models import Submission

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_queued_jobs():
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM procrastinate_jobs WHERE task_name LIKE 'participation.%'")


def test_a_contribution_waits_for_its_email_to_be_confirmed(
    client, post, form, cast, django_capture_on_commit_callbacks
):
    form.confirm_email = True
    form.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = post.page(email="camille@exemple.invalid")
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.state == "unconfirmed"
    job = ProcrastinateJob.objects.get(task_name="participation.confirmation")
    assert job.args == {"submission_id": submission.pk}
    client.force_login(cast["animateur"])
    queue = client.get(f"/groupes/{cast.group.slug}/contributions/").content.decode()
    assert submission.title not in queue  # the default view is « en attente »
    client.logout()
    tasks.send_confirmation(submission_id=submission.pk)
    (message,) = mail.outbox
    assert message.to == ["camille@exemple.invalid"]
    link = re.search(r"https?://\S+/participer/confirmer/(\S+)/", message.body)
    assert link and link.group(1) == submission.secret
    assert client.get(f"/participer/confirmer/{submission.secret}/").status_code == 302
    submission.refresh_from_db()
    assert submission.state == "pending"
    assert client.get("/participer/confirmer/faux-secret/").status_code == 404


def test_without_an_email_nothing_waits(post, form):
    form.confirm_email = True
    form.save()
    post.page()
    assert Submission.objects.get().state == "pending"
