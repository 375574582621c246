"""``/api/v1/groups/<slug>/news/`` and ``/api/v1/groups/<slug>/events/``."""

from rest_framework.routers import SimpleRouter

from . import schema  # noqa: F401  (registers the OpenAPI extension of the Feature)
from .views import EventViewSet, NewsViewSet

router = SimpleRouter()
router.register(r"groups/(?P<slug>[-a-zA-Z0-9_]{1,100})/news", NewsViewSet, basename="group-news")
router.register(
    r"groups/(?P<slug>[-a-zA-Z0-9_]{1,100})/events", EventViewSet, basename="group-events"
)

urlpatterns = router.urls
