"""What can be discussed, keyed by ``app_label.model``: each target says how to find the
things a person sees (its one rule), its group (for mentions and moderation) and its page.

``discussion`` registers resources and maps itself; an app built later (the carnets of
``publications``) registers its own model in its ``AppConfig.ready()`` with
:func:`register`, and ``discussion`` never imports it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Model, QuerySet

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from workgroups.models import Group, User


@dataclass(frozen=True)
class Target:
    label: str
    model: type[Model]
    #: ``visible(user) -> queryset`` of the things ``user`` sees (the thing's one rule)
    visible: Callable[[User | AnonymousUser], QuerySet]
    group_of: Callable[[Any], Group]
    url_of: Callable[[Any], str]


_targets: dict[str, Target] = {}


def label_of(model: type[Model]) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def register(
    model: type[Model],
    visible: Callable[[User | AnonymousUser], QuerySet],
    url_of: Callable[[Any], str],
    group_of: Callable[[Any], Group] = lambda item: item.group,
) -> Target:
    target = Target(label_of(model), model, visible, group_of, url_of)
    _targets[target.label] = target
    return target


def target_for(item: Any) -> Target | None:
    return _targets.get(label_of(type(item)))


def target_named(label: str) -> Target | None:
    return _targets.get(label)


def register_builtin() -> None:
    """Resources and maps, through their ``visible_to`` (the one rule of ``Shared``)."""
    from django.urls import reverse

    from layers.models import Map
    from observatoire.models import Resource

    register(
        Resource,
        lambda user: Resource.objects.visible_to(user),
        lambda r: reverse("observatoire:detail", args=[r.pk]),
    )
    register(
        Map,
        lambda user: Map.objects.visible_to(user),
        lambda m: reverse("layers:viewer", args=[m.slug]),
    )
