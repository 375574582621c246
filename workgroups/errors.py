"""Typed errors raised by the services, with French messages meant for people."""

from django.utils.translation import gettext_lazy as _


class SpassError(Exception):
    """Base of the domain errors; ``message`` is shown as is to the user."""

    default_message = _("Opération impossible.")

    def __init__(self, message: str | None = None) -> None:
        self.message = str(message or self.default_message)
        super().__init__(self.message)


class NotAllowed(SpassError):
    """The actor's role does not allow the action."""

    default_message = _("Vous n'avez pas les droits nécessaires pour cette action.")


class InvalidState(SpassError):
    """The object is not in a state where the action applies."""

    default_message = _("Cette action n'est pas possible dans l'état actuel.")


class LastAnimateur(SpassError):
    """A group must always keep at least one animateur."""

    default_message = _("Un groupe doit toujours garder au moins un animateur.")


class Conflict(SpassError):
    """The object changed since the copy the request was made from (HTTP 409): the later
    save is refused and told so, the client keeps its text."""

    default_message = _("Ce contenu a été modifié entre-temps par quelqu'un d'autre.")
