"""A person's own feed keys (``/profil/cles/``, ``/api/v1/me/keys/``): named, reading or
writing, revoked at will; a revoked key is refused (401) on every channel at the next
request, the fast paths included (they check the key at each request). Nobody sees, names
or revokes another's keys."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from .auth import create_feed_key, revoke_feed_key
from .models import FeedKey, Group, User
from .roles import Capability
from .visibility import groups_where

#: Keys a person may hold at once (revoked ones do not count).
MAX_KEYS = 20


def keys_of(user: User) -> QuerySet:
    """The person's keys, those in use first, newest first (bounded by :data:`MAX_KEYS` in
    use; revoked ones are listed after them, the last 20)."""
    return FeedKey.objects.filter(user=user).order_by("revoked_at", "-created_at", "-id")


def groups_for_keys(user: User) -> QuerySet:
    """The groups a key of ``user`` may be restricted to: those where they are active."""
    return Group.objects.filter(pk__in=groups_where(user, Capability.VIEW)).order_by("name")


def create(user: User, name: str, scope: str = FeedKey.Scope.READ, group: str | None = None):
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = _("Donnez un nom à la clé (par exemple « QGIS bureau »).")
    elif len(name) > 100:
        errors["name"] = _("Le nom tient en 100 caractères au plus.")
    if scope not in FeedKey.Scope.values:
        errors["scope"] = _("Portée inconnue : « %(s)s » (possibles : read, write).") % {"s": scope}
    restricted_to = None
    if group:
        restricted_to = groups_for_keys(user).filter(slug=group).first()
        if restricted_to is None:
            errors["group"] = _(
                "Groupe inconnu ou dont vous n'êtes pas membre : « %(g)s » (laissez vide pour "
                "une clé qui ouvre tout ce que vous voyez)."
            ) % {"g": group}
    in_use = FeedKey.objects.filter(user=user, revoked_at__isnull=True).count()
    if in_use >= MAX_KEYS:
        errors["name"] = _(
            "Vous avez déjà %(n)d clés en service : révoquez-en une avant d'en créer une autre."
        ) % {"n": MAX_KEYS}
    if errors:
        raise ValidationError(errors)
    return create_feed_key(user, name, scope, restricted_to)


def revoke(user: User, key_id: int) -> FeedKey | None:
    """Revoke one of ``user``'s keys; None when it is not theirs (or does not exist)."""
    key = FeedKey.objects.filter(user=user, pk=key_id, revoked_at__isnull=True).first()
    if key is not None:
        revoke_feed_key(key)
    return key
