"""Which feed key a live ``.umap`` file carries: its reader chooses, once per download,
among their keys in service, a new key named « uMap », or none (then only what everyone sees
loads in uMap). Nothing is created without being asked. A reader who came with a ``?key=``
(a feed client) keeps that very key."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from workgroups.auth import FEED_KEY_PARAM
from workgroups.keys import create, keys_of
from workgroups.models import FeedKey, User

NEW = "nouvelle"
NONE = "aucune"
#: The name of a key made from the download page.
UMAP_NAME = "uMap"


def usable_keys(user: User) -> QuerySet:
    return keys_of(user).filter(revoked_at__isnull=True).select_related("group")


def chosen_key(user: User, choice: str) -> str:
    """The key to embed for ``choice`` (a key id, :data:`NEW` or :data:`NONE`)."""
    if choice == NONE:
        return ""
    if choice == NEW:
        return create(user, UMAP_NAME).key
    key = usable_keys(user).filter(pk=int(choice)).first() if choice.isdigit() else None
    if key is None:
        raise ValidationError(
            {"cle": _("Clé inconnue ou révoquée : choisissez une de vos clés en service.")}
        )
    return key.key


def key_of_request(request) -> str | None:
    """The feed key the request came with (embedded as is), or None."""
    key = request.GET.get(FEED_KEY_PARAM, "")
    return (
        key if key and FeedKey.objects.filter(key=key, revoked_at__isnull=True).exists() else None
    )
