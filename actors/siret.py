"""SIRET numbers: 14 digits whose Luhn checksum holds (INSEE's rule), spaces allowed."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

#: La Poste's establishments are numbered by another rule (sum of digits divisible by 5).
LA_POSTE_SIREN = "356000000"


def luhn_ok(digits: str) -> bool:
    """The Luhn checksum of ``digits``: every second digit from the right doubled."""
    total = 0
    for i, char in enumerate(reversed(digits)):
        n = int(char)
        if i % 2 == 1:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def clean_siret(value: str) -> str:
    """The SIRET without spaces, or "" when none is given; raises ValidationError keyed
    ``siret`` when it has not 14 digits or fails the checksum."""
    digits = "".join((value or "").split())
    if not digits:
        return ""
    if len(digits) != 14 or not digits.isdigit():
        raise ValidationError(
            {
                "siret": _("Le SIRET compte 14 chiffres (« %(v)s » n'en a pas la forme).")
                % {"v": value}
            }
        )
    valid = (
        sum(int(c) for c in digits) % 5 == 0
        if digits.startswith(LA_POSTE_SIREN)
        else luhn_ok(digits)
    )
    if not valid:
        raise ValidationError(
            {
                "siret": _("SIRET invalide : « %(v)s » ne passe pas la clé de contrôle (Luhn).")
                % {"v": value}
            }
        )
    return digits
