"""Mapping profiles: a group's column mappings, saved under a name and offered again for
the next file with the same columns (web page), or named on the command line (``--profile``)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from workgroups.errors import InvalidState, NotAllowed
from workgroups.models import Group, User

from .mapping import ColumnMapping
from .models import MappingProfile
from .web import importable_groups, may_import

NAME_MAX = MappingProfile._meta.get_field("name").max_length


def column_key(columns: Iterable[str]) -> list[str]:
    """The columns a profile is matched on: their set, as a sorted list (JSON equality)."""
    return sorted(set(columns))


def profiles_for(user: User, columns: Iterable[str]) -> QuerySet[MappingProfile]:
    """The profiles of the groups ``user`` may import into, made for exactly these columns,
    most recently saved first (the one a page preselects)."""
    return (
        MappingProfile.objects.filter(
            group__in=importable_groups(user), columns=column_key(columns)
        )
        .select_related("group")
        .order_by("-updated_at", "name")
    )


def save_profile(
    user: User, group: Group, name: str, mapping: ColumnMapping, columns: Iterable[str]
) -> MappingProfile:
    """Save ``mapping`` as the group's profile ``name`` (replacing one of that name)."""
    if not may_import(user, group):
        raise NotAllowed(
            _("Vous n'êtes pas animateur du groupe « %(group)s ».") % {"group": group.name}
        )
    name = " ".join(name.split())
    if not name or len(name) > NAME_MAX:
        raise InvalidState(
            _("Nom de profil attendu (%(max)s caractères au plus).") % {"max": NAME_MAX}
        )
    profile, _created = MappingProfile.objects.update_or_create(
        group=group,
        name=name,
        defaults={
            "mapping": mapping.to_json(),
            "columns": column_key(columns),
            "created_by": user if user.is_authenticated else None,
        },
    )
    return profile


def profile_named(group: Group, name: str) -> MappingProfile:
    """The group's profile ``name``, or ``InvalidState`` naming the profiles it has."""
    profile = MappingProfile.objects.filter(group=group, name=" ".join(name.split())).first()
    if profile is None:
        known = ", ".join(group.mapping_profiles.values_list("name", flat=True)) or _("aucun")
        raise InvalidState(
            _("Profil « %(name)s » inconnu dans le groupe « %(group)s » (profils : %(known)s).")
            % {"name": name, "group": group.name, "known": known}
        )
    return profile
