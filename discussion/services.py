"""Commenting: reading, writing, replying, mentioning, editing, deleting, hiding, following.

Every entry point starts from the thing's one rule (:func:`visible_thing`): a thing the
person does not see is a 404, whatever the comment asked. Mentions notify only the active
members of the thing's group who see it; anyone else named by ``@`` is left as plain text,
with the same answer as for a name that does not exist (no leak of who has an account).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from workgroups.errors import NotAllowed
from workgroups.events import Kind, Occurrence, announce
from workgroups.models import Membership, User
from workgroups.permissions import can
from workgroups.roles import Capability

from .models import MAX_LENGTH, Comment, Follow
from .targets import Target, target_for, target_named

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

MENTION = re.compile(r"(?<![\w@])@([\w.+-]{1,150})")


def visible_thing(user: User | AnonymousUser, label: str, pk: int) -> tuple[Target, Any]:
    """The thing ``label``/``pk`` if ``user`` sees it (404 otherwise, unknown or hidden)."""
    target = target_named(label)
    if target is None:
        raise Http404(_("Élément introuvable."))
    thing = target.visible(user).filter(pk=pk).first()
    if thing is None:
        raise Http404(_("Élément introuvable."))
    return target, thing


def _where(thing: Any) -> dict[str, Any]:
    return {"target_type": ContentType.objects.get_for_model(thing), "target_id": thing.pk}


def thread(thing: Any) -> QuerySet:
    """The top-level comments of ``thing`` (newest first) with their replies (oldest first)."""
    replies = Comment.objects.select_related("author", "hidden_by").order_by("created_at", "id")
    return (
        Comment.objects.filter(parent__isnull=True, **_where(thing))
        .select_related("author", "hidden_by")
        .prefetch_related(Prefetch("replies", queryset=replies))
        .order_by("-created_at", "-id")
    )


def may_moderate(user: User | AnonymousUser, thing: Any) -> bool:
    target = target_for(thing)
    return target is not None and can(user, target.group_of(thing), Capability.VALIDATE)


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Le commentaire est vide.")})
    if len(body) > MAX_LENGTH:
        raise ValidationError(
            {"body": _("Le commentaire dépasse %(n)s caractères.") % {"n": MAX_LENGTH}}
        )
    return body


def mentioned(thing: Any, body: str, actor: User) -> list[User]:
    """The people ``@named`` in ``body`` who are active members of the thing's group and
    see it; everyone else named is ignored, silently."""
    target = target_for(thing)
    names = {m.lower() for m in MENTION.findall(body)}
    if target is None or not names:
        return []
    members = User.objects.filter(
        is_active=True,
        memberships__group=target.group_of(thing),
        memberships__state=Membership.State.ACTIVE,
    ).exclude(pk=actor.pk)
    found = [u for u in members if u.username.lower() in names]
    return [u for u in found if target.visible(u).filter(pk=thing.pk).exists()]


def _tell(actor: User, thing: Any, mentions: list[User]) -> None:
    target = target_for(thing)
    group = target.group_of(thing) if target else None
    for person in mentions:
        announce(Occurrence(Kind.MENTIONED, actor, group, thing, person=person))
    told = {u.pk for u in mentions} | {actor.pk}
    followers = set(Follow.objects.filter(**_where(thing)).values_list("user_id", flat=True)) | {
        getattr(thing, "author_id", None)
    }
    for person in User.objects.filter(pk__in=followers - told - {None}, is_active=True):
        announce(Occurrence(Kind.COMMENTED, actor, group, thing, person=person))


@transaction.atomic
def post(actor: User, thing: Any, body: str, parent: Comment | None = None) -> Comment:
    """``actor`` (who sees ``thing``: the caller checked it) comments or replies; the author
    follows the discussion from now on."""
    if not actor.is_authenticated:
        raise NotAllowed(_("Connectez-vous pour commenter."))
    body = _clean_body(body)
    where = _where(thing)
    if parent is not None:
        if (parent.target_type_id, parent.target_id) != (where["target_type"].pk, thing.pk):
            raise ValidationError({"parent": _("Ce commentaire n'est pas sur cet élément.")})
        parent = parent.parent or parent  # one level of replies
    comment = Comment.objects.create(author=actor, parent=parent, body=body, **where)
    Follow.objects.get_or_create(user=actor, **where)
    _tell(actor, thing, mentioned(thing, body, actor))
    return comment


def comment_on(thing: Any, pk: int) -> Comment:
    comment = Comment.objects.filter(pk=pk, **_where(thing)).first()
    if comment is None:
        raise Http404(_("Commentaire introuvable."))
    return comment


@transaction.atomic
def edit(actor: User, comment: Comment, body: str) -> Comment:
    if comment.author_id != actor.pk or comment.deleted_at or comment.hidden_at:
        raise NotAllowed(_("Seul son auteur peut modifier un commentaire."))
    comment.body = _clean_body(body)
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "edited_at"])
    return comment


@transaction.atomic
def delete(actor: User, comment: Comment) -> None:
    if comment.author_id != actor.pk:
        raise NotAllowed(_("Seul son auteur peut supprimer un commentaire."))
    comment.body = ""
    comment.deleted_at = timezone.now()
    comment.save(update_fields=["body", "deleted_at"])


@transaction.atomic
def hide(actor: User, thing: Any, comment: Comment, reason: str) -> Comment:
    if not may_moderate(actor, thing):
        raise NotAllowed(_("Seuls les animateurs du groupe modèrent les commentaires."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Indiquez le motif du masquage.")})
    comment.hidden_at = timezone.now()
    comment.hidden_by = actor
    comment.hidden_reason = reason[:300]
    comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    return comment


def follows(user: User | AnonymousUser, thing: Any) -> bool:
    return user.is_authenticated and Follow.objects.filter(user=user, **_where(thing)).exists()


def set_follow(user: User, thing: Any, on: bool) -> None:
    if on:
        Follow.objects.get_or_create(user=user, **_where(thing))
    else:
        Follow.objects.filter(user=user, **_where(thing)).delete()
