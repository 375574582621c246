"""How a notification reads and where it leads, checked against what its recipient sees
*now*: the subject's title and link are shown only while the one visibility rule still
shows the subject to them (« un élément qui ne vous est plus visible » otherwise)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from workgroups.events import Kind
from workgroups.models import Shared, User

from .models import Notification

#: The page of a subject, by ``app_label.model``: its URL from the object.
PAGES = {
    "observatoire.resource": lambda o: reverse("observatoire:detail", args=[o.pk]),
    "layers.map": lambda o: reverse("layers:viewer", args=[o.slug]),
    "actualites.newsitem": lambda o: reverse("actualites:news-detail", args=[o.group.slug, o.pk]),
    "actualites.event": lambda o: reverse("actualites:event-detail", args=[o.group.slug, o.pk]),
    "importers.importjob": lambda o: reverse("importers:job", args=[o.pk]),
    "participation.submission": lambda o: reverse(
        "participation:submission", args=[o.form.group.slug, o.pk]
    ),
}

#: The sentence of each kind; ``%(who)s`` the actor, ``%(what)s`` the subject, ``%(group)s``.
SENTENCES = {
    Kind.INVITED: gettext_noop("%(who)s vous invite dans le groupe « %(group)s »."),
    Kind.JOIN_REQUESTED: gettext_noop("%(who)s demande à rejoindre le groupe « %(group)s »."),
    Kind.JOIN_APPROVED: gettext_noop(
        "Votre demande d'adhésion au groupe « %(group)s » est acceptée."
    ),
    Kind.JOIN_REFUSED: gettext_noop(
        "Votre demande d'adhésion au groupe « %(group)s » n'a pas été retenue."
    ),
    Kind.ROLE_CHANGED: gettext_noop("%(who)s a changé votre rôle dans le groupe « %(group)s »."),
    Kind.WAITING: gettext_noop("« %(what)s » attend votre validation (groupe « %(group)s »)."),
    Kind.VALIDATED: gettext_noop("%(who)s a validé « %(what)s » : la publication est diffusée."),
    Kind.REVIEWED: gettext_noop("%(who)s a relu « %(what)s »."),
    Kind.PINNED: gettext_noop("%(who)s a accroché « %(what)s » au portail « %(group)s »."),
    Kind.IMPORT_FINISHED: gettext_noop("Votre import « %(what)s » est terminé."),
    Kind.COMMENTED: gettext_noop("%(who)s a commenté « %(what)s »."),
    Kind.MENTIONED: gettext_noop("%(who)s vous mentionne dans un commentaire sur « %(what)s »."),
    Kind.CONTRIBUTION: gettext_noop(
        "Une contribution du public, « %(what)s », attend votre modération (groupe « %(group)s »)."
    ),
}


@dataclass
class Shown:
    notification: Notification
    text: str
    url: str


def _hidden() -> str:
    return _("un élément qui ne vous est plus visible")


def _subjects(notifications: Iterable[Notification], viewer: User) -> dict[tuple[int, int], object]:
    """The subjects the viewer still sees, fetched with one query per type."""
    ids: dict = defaultdict(set)
    for n in notifications:
        if n.target_type_id:
            ids[n.target_type].add(n.target_id)
    found: dict[tuple[int, int], object] = {}
    for target_type, pks in ids.items():
        model = target_type.model_class()
        if model is None:
            continue
        rows = model.objects.filter(pk__in=pks)
        if issubclass(model, Shared):
            rows = rows.visible_to(viewer).select_related("group")
        elif hasattr(rows, "moderable_by"):  # a contribution of the public: its moderators'
            rows = rows.moderable_by(viewer).select_related("form__group")
        elif hasattr(model, "created_by"):  # an import job: its launcher's
            rows = rows.filter(created_by=viewer)
        for row in rows:
            found[(target_type.pk, row.pk)] = row
    return found


def _url(n: Notification, subject: object | None) -> str:
    """The subject's page while the viewer sees it; for a membership, the group's page."""
    model = n.target_type.model_class() if n.target_type_id else None
    key = key_of(model) if model is not None else ""
    if key in PAGES:
        try:
            return PAGES[key](subject) if subject is not None else ""
        except NoReverseMatch:
            return ""
    if n.group_id:
        return reverse("workgroups:group", args=[n.group.slug])
    return ""


def key_of(model: type) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def shown(notifications: list[Notification], viewer: User) -> list[Shown]:
    """The sentence and link of each notification, for ``viewer`` (their recipient)."""
    subjects = _subjects(notifications, viewer)
    out = []
    for n in notifications:
        subject = subjects.get((n.target_type_id, n.target_id)) if n.target_type_id else None
        text = _(SENTENCES[n.kind]) % {
            "who": n.actor.get_username() if n.actor else _("quelqu'un"),
            "what": n.label if subject is not None else _hidden(),
            "group": n.group.name if n.group else "",
        }
        out.append(Shown(n, text, _url(n, subject)))
    return out
