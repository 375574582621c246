"""``/api/v1/forms/<slug>/submissions/`` and ``/api/v1/groups/<slug>/submissions/…``"""

from django.urls import re_path

from .api import AcceptView, QueueView, RefuseView, SubmitView

_SLUG = r"(?P<slug>[-a-zA-Z0-9_]{1,100})"
_ID = r"(?P<pk>[0-9]{1,18})"

urlpatterns = [
    re_path(rf"^forms/{_SLUG}/submissions/$", SubmitView.as_view(), name="form-submissions"),
    re_path(rf"^groups/{_SLUG}/submissions/$", QueueView.as_view(), name="group-submissions"),
    re_path(
        rf"^groups/{_SLUG}/submissions/{_ID}/accept/$",
        AcceptView.as_view(),
        name="group-submission-accept",
    ),
    re_path(
        rf"^groups/{_SLUG}/submissions/{_ID}/refuse/$",
        RefuseView.as_view(),
        name="group-submission-refuse",
    ),
]
