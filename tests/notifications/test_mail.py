"""The mails, through a real SMTP server (aiosmtpd) started by the test and the real
procrastinate worker: one mail per notification for those who want it at once, with its
one-click unsubscribe; the daily digest; a server that is down loses nothing."""

from __future__ import annotations

import email
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller
from django.core import mail as django_mail
from django.test import Client
from procrastinate.contrib.django.models import ProcrastinateJob

from notifications import tasks
from notifications.mail import unsubscribe_token
from notifications.models import Notification, Preference
from tests.factories import UserFactory
from tests.workers import run_worker
from workgroups import services as groups

pytestmark = pytest.mark.django_db(transaction=True)


class Inbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(autouse=True)
def no_queued_jobs():
    """procrastinate's tables are not Django's: the flush between tests leaves their rows."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM procrastinate_jobs WHERE queue_name = 'notifications'")


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


def test_an_invitation_mails_the_invited_through_the_worker(cast, smtp):
    inbox, port = smtp
    newcomer = UserFactory(username="visiteur", email="visiteur@exemple.invalid")
    groups.invite(cast["animateur"], cast.group, newcomer)
    notification = Notification.objects.get(recipient=newcomer)
    assert notification.mailed_at is None and not inbox.messages  # never inside the request

    run_worker(
        "notifications", EMAIL_URL=f"smtp://127.0.0.1:{port}", SITE_URL="https://spass.example"
    )
    (message,) = inbox.messages
    assert message["To"] == "visiteur@exemple.invalid"
    assert "vous invite dans le groupe « Groupe de la matrice »" in message["Subject"]
    body = message.get_content()
    assert "https://spass.example/groupes/groupe-matrice/" in body
    token = unsubscribe_token(newcomer)
    assert f"https://spass.example/notifications/desabonnement/{token}/" in body
    assert message["List-Unsubscribe"].strip() == (
        f"<https://spass.example/notifications/desabonnement/{token}/>"
    )
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    notification.refresh_from_db()
    assert notification.mailed_at is not None


def test_a_mail_server_down_loses_nothing(cast):
    """No server on the port: the job fails and is scheduled again (procrastinate's retry
    with a growing wait); the notification is in the site all along."""
    newcomer = UserFactory(username="patiente")
    groups.invite(cast["animateur"], cast.group, newcomer)
    run_worker("notifications", EMAIL_URL=f"smtp://127.0.0.1:{_free_port()}", EMAIL_TIMEOUT="3")
    job = ProcrastinateJob.objects.get(task_name="notifications.send")
    assert job.status == "todo" and job.attempts == 1  # to be retried, not failed
    assert job.scheduled_at is not None
    notification = Notification.objects.get(recipient=newcomer)
    assert notification.mailed_at is None
    client = Client()
    client.force_login(newcomer)
    page = client.get("/mon-espace/notifications/").content.decode()
    assert "vous invite dans le groupe" in page


def test_no_mail_for_those_who_chose_the_digest_or_never(cast):
    daily, never = UserFactory(username="quotidienne"), UserFactory(username="jamais")
    Preference.objects.create(user=daily, email=Preference.Email.DAILY)
    Preference.objects.create(user=never, email=Preference.Email.NEVER)
    for person in (daily, never):
        groups.invite(cast["animateur"], cast.group, person)
    assert Notification.objects.count() == 2
    assert not ProcrastinateJob.objects.filter(task_name="notifications.send").exists()

    tasks.daily_digest(0)  # the morning job, run here with Django's test mail outbox
    (digest,) = django_mail.outbox
    assert digest.to == [daily.email]
    assert "1 notification du jour" in digest.subject
    assert "vous invite dans le groupe" in digest.body
    assert Notification.objects.get(recipient=daily).mailed_at is not None
    assert Notification.objects.get(recipient=never).mailed_at is None
    tasks.daily_digest(0)
    assert len(django_mail.outbox) == 1  # sent once


def test_one_click_unsubscribe(cast):
    person = UserFactory(username="desabonnee")
    url = f"/notifications/desabonnement/{unsubscribe_token(person)}/"
    client = Client(enforce_csrf_checks=True)
    page = client.get(url)
    assert page.status_code == 200 and "Ne plus recevoir d'e-mails" in page.content.decode()
    done = client.post(url, {"List-Unsubscribe": "One-Click"})  # as a mail client does
    assert done.status_code == 200
    assert Preference.objects.get(user=person).email == Preference.Email.NEVER
    assert client.get("/notifications/desabonnement/faux-jeton/").status_code == 404
    groups.invite(cast["animateur"], cast.group, person)
    assert not ProcrastinateJob.objects.filter(task_name="notifications.send").exists()
