"""``/api/v1/groups/<slug>/pins/``, ``/api/v1/groups/<slug>/pins/<id>/``"""

from django.urls import re_path

from .views import PinDetailView, PinListView

_GROUP = r"groups/(?P<slug>[-a-zA-Z0-9_]{1,100})/pins"

urlpatterns = [
    re_path(rf"^{_GROUP}/$", PinListView.as_view(), name="pin-list"),
    re_path(rf"^{_GROUP}/(?P<id>[0-9]{{1,18}})/$", PinDetailView.as_view(), name="pin-detail"),
]
