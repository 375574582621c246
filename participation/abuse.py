"""Anti-abuse without a third party: a honeypot field, a minimum fill time carried by a
signed token, and counters per address and per form and day kept in the database.

The counters live in PostgreSQL (:class:`~participation.models.RateCounter`), not in a
process's memory: granian runs several workers, and a limit each of them counted alone
would be that many times too lax. One ``INSERT … ON CONFLICT … RETURNING`` per counter is
atomic, so two workers never both let the 51st through. Addresses are stored only as a keyed
hash (HMAC with the secret key, salted by day: RGPD), and counters older than a few days are
dropped on the way.
"""

from __future__ import annotations

import time
from datetime import timedelta

from django.core import signing
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from .models import Form, RateCounter

#: The honeypot's name: a field people never see (hidden by CSS and ``aria-hidden``).
HONEYPOT = "site_web"
TOKEN_SALT = "participation.started"
#: A form page older than this is refused (reload it).
TOKEN_MAX_AGE = 6 * 3600
KEEP_DAYS = 3


class Refused(Exception):
    """A submission the anti-abuse refuses; ``field`` names where the message belongs."""

    def __init__(self, message: str, field: str = "__all__", status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status


def address_of(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "")


def _hashed(*parts: object) -> str:
    return salted_hmac(
        "participation.rate", "|".join(map(str, parts)), algorithm="sha256"
    ).hexdigest()


def started_token(form: Form) -> str:
    """The hidden field of the form page: when it was served, signed."""
    return signing.TimestampSigner(salt=TOKEN_SALT).sign(str(form.pk))


def check_human(form: Form, data) -> None:
    """The honeypot is empty and the page was served at least ``form.min_seconds`` ago."""
    if data.get(HONEYPOT):
        raise Refused(_("Envoi refusé : un champ invisible a été rempli (robot ?)."))
    token = data.get("debut", "")
    signer = signing.TimestampSigner(salt=TOKEN_SALT)
    try:
        value = signer.unsign(token, max_age=TOKEN_MAX_AGE)
    except signing.SignatureExpired:
        raise Refused(_("La page du formulaire est trop ancienne : rechargez-la.")) from None
    except signing.BadSignature:
        raise Refused(
            _("Champ « debut » absent ou altéré : rechargez la page du formulaire.")
        ) from None
    if value != str(form.pk):
        raise Refused(_("Champ « debut » : il vient d'un autre formulaire."))
    elapsed = time.time() - signing.b62_decode(token.rsplit(":", 2)[-2])
    if elapsed < form.min_seconds:
        raise Refused(
            _(
                "Envoi trop rapide (%(s)d s après l'ouverture de la page) : prenez le temps "
                "de remplir le formulaire, puis renvoyez-le."
            )
            % {"s": int(elapsed)},
            status=429,
        )


_BUMP = """
INSERT INTO participation_ratecounter (key, day, count) VALUES (%s, %s, 1)
ON CONFLICT (key, day) DO UPDATE SET count = participation_ratecounter.count + 1
RETURNING count
"""


def bump(key: str) -> int:
    """Count one more for ``key`` today; the new count (atomic across processes)."""
    with connection.cursor() as cursor:
        cursor.execute(_BUMP, [key, timezone.localdate()])
        return cursor.fetchone()[0]


def count_attempt(form: Form, address: str) -> None:
    """Count this address's attempt on ``form`` and refuse it past the form's limit.

    Committed on its own (before the submission's transaction), so a refused attempt still
    counts: the counter is the one thing a refused submission leaves behind."""
    count = bump(_hashed("address", form.pk, address, timezone.localdate()))
    if count > form.per_address_daily:
        raise Refused(
            _(
                "Trop de contributions envoyées aujourd'hui depuis votre adresse (%(n)d au plus "
                "par jour sur ce formulaire) : réessayez demain."
            )
            % {"n": form.per_address_daily},
            status=429,
        )


def count_for_form(form: Form) -> None:
    """Inside the submission's transaction: one more today for the form, refused past its
    daily cap (rolled back with the submission when anything else fails)."""
    if bump(_hashed("form", form.pk)) > form.daily_cap:
        raise Refused(
            _(
                "Ce formulaire a reçu son maximum de contributions pour aujourd'hui "
                "(%(n)d) : réessayez demain."
            )
            % {"n": form.daily_cap},
            status=429,
        )


def forget_old() -> None:
    RateCounter.objects.filter(day__lt=timezone.localdate() - timedelta(days=KEEP_DAYS)).delete()
