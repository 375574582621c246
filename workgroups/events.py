"""What happened on the platform that someone may want to know: the writers announce it
here, the apps that react (``notifications``) listen, and no writer imports them.

An :class:`Occurrence` is sent inside the writer's transaction, so whatever a receiver
writes (notification rows, a queued job) is committed or rolled back with the change itself.
Bulk writes (imports, bulk moderation) announce their outcome once, never row by row.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models
from django.dispatch import Signal
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from .models import Group, User


class Kind(models.TextChoices):
    INVITED = "invitation", _("Invitation reçue")
    JOIN_REQUESTED = "demande", _("Demande d'adhésion à examiner")
    JOIN_APPROVED = "adhesion-acceptee", _("Demande d'adhésion acceptée")
    JOIN_REFUSED = "adhesion-refusee", _("Demande d'adhésion refusée")
    ROLE_CHANGED = "role", _("Rôle changé")
    WAITING = "a-valider", _("Publication à valider")
    VALIDATED = "validee", _("Publication validée")
    REVIEWED = "relecture", _("Relecture reçue")
    PINNED = "accroche", _("Accroché à un portail")
    IMPORT_FINISHED = "import", _("Import terminé")
    COMMENTED = "commentaire", _("Nouveau commentaire")
    MENTIONED = "mention", _("Mention dans un commentaire")
    CONTRIBUTION = "contribution", _("Contribution du public à modérer")


@dataclass(frozen=True)
class Occurrence:
    """``actor`` did ``kind`` in ``group``, about ``item`` (a shared object, a membership,
    an import job) or ``person`` (the one concerned: the invited, the requester…)."""

    kind: Kind
    actor: User | None
    group: Group | None
    item: Any = None
    person: User | None = None


#: Sent with ``occurrence=`` by :func:`announce`.
occurred = Signal()
_quiet: ContextVar[bool] = ContextVar("spass_events_quiet", default=False)


def announce(occurrence: Occurrence) -> None:
    if not _quiet.get():
        occurred.send(sender=Occurrence, occurrence=occurrence)


@contextmanager
def quiet() -> Iterator[None]:
    """Nobody is told of what happens inside: the demo data, written through the services
    as a person would, is not news to anyone."""
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)
