"""The discussion under a resource's or a map's page (an item-page contributor of
:mod:`workgroups.hooks`): the comments (paginated), the form, the follow button. The page
already checked that the viewer sees the item."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from workgroups.pagination import paginate

from . import services
from .targets import target_for

PAGE = 20


def discussion_box(request: HttpRequest, item: Any) -> str:
    target = target_for(item)
    if target is None:
        return ""
    pages = paginate(request, services.thread(item), per_page=PAGE, param="commentaires")
    return render_to_string(
        "discussion/_box.html",
        {
            "item": item,
            "label": target.label,
            "pages": pages,
            "comments": list(pages.rows),
            "follows": services.follows(request.user, item),
            "moderator": services.may_moderate(request.user, item),
        },
        request=request,
    )
