"""Accounts: sign up with e-mail confirmation, log in at /connexion/, log out, password
reset and profile."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from tests.factories import UserFactory
from workgroups.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "Un-mot-de-passe-solide-42"


def _link(message) -> str:
    return re.search(r"https?://testserver(/\S+)", message.body).group(1)


def test_sign_up_creates_an_inactive_account_and_mails_a_link(client):
    """The account waits for its e-mail to be confirmed; the link activates and logs in."""
    response = client.post(
        "/inscription/",
        {
            "username": "camille",
            "email": "Camille@Exemple.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 200
    user = User.objects.get(username="camille")
    assert not user.is_active and user.email == "camille@exemple.org"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["camille@exemple.org"]
    response = client.get(_link(mail.outbox[0]))
    assert response.status_code == 302 and response["Location"] == "/mon-espace/"
    user.refresh_from_db()
    assert user.is_active
    assert client.get("/mon-espace/").status_code == 200


def test_a_confirmation_link_works_once_and_a_forged_one_never(client):
    """A tampered or reused link is refused with a French page, the account unchanged."""
    client.post(
        "/inscription/",
        {
            "username": "dom",
            "email": "dom@exemple.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    link = _link(mail.outbox[0])
    forged = link.rstrip("/")[:-3] + "xyz/"
    response = client.get(forged)
    assert response.status_code == 400 and "invalide" in response.content.decode()
    assert not User.objects.get(username="dom").is_active
    assert client.get(link).status_code == 302
    client.logout()
    assert client.get(link).status_code == 400


def test_sign_up_errors_are_french_and_write_nothing(client):
    """Mismatched passwords or a taken e-mail: 400, message in French, no account."""
    UserFactory(username="pris", email="pris@exemple.org")
    response = client.post(
        "/inscription/",
        {
            "username": "neuf",
            "email": "pris@exemple.org",
            "password1": PASSWORD,
            "password2": PASSWORD + "x",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Un compte utilise déjà cette adresse e-mail." in body
    assert not User.objects.filter(username="neuf").exists()
    assert mail.outbox == []


def test_login_page_uses_username_and_password_and_logs_in(client):
    """/connexion/ is Django's LoginView: fields username and password, then Mon espace."""
    UserFactory(username="lea")
    page = client.get("/connexion/").content.decode()
    assert 'name="username"' in page and 'name="password"' in page
    response = client.post("/connexion/", {"username": "lea", "password": "mot-de-passe-test"})
    assert response.status_code == 302 and response["Location"] == "/mon-espace/"
    response = client.post("/deconnexion/")
    assert response.status_code == 302
    assert client.get("/mon-espace/")["Location"].startswith("/connexion/")


def test_wrong_password_is_refused_in_french(client):
    UserFactory(username="lea")
    response = client.post("/connexion/", {"username": "lea", "password": "faux"})
    assert response.status_code == 200
    assert "Saisissez un nom d’utilisateur et un mot de passe valides" in response.content.decode()


def test_password_reset_sends_a_link_that_sets_a_new_password(client):
    """The reset link leads to a form; the new password then logs in."""
    UserFactory(username="noe", email="noe@exemple.org")
    response = client.post("/mot-de-passe/oubli/", {"email": "noe@exemple.org"})
    assert response.status_code == 302
    link = _link(mail.outbox[0])
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == 302
    assert client.login(username="noe", password=PASSWORD)


def test_profile_changes_name_and_email(client):
    user = UserFactory(username="ines")
    client.force_login(user)
    response = client.post(
        "/profil/", {"first_name": "Inès", "last_name": "Martin", "email": "ines@exemple.org"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.first_name, user.email) == ("Inès", "ines@exemple.org")


def test_profile_needs_login(client):
    assert client.get("/profil/")["Location"].startswith("/connexion/")
