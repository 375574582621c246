"""``/api/v1/actors/`` and ``/api/v1/actors/<slug>/experiences/``."""

from rest_framework.routers import SimpleRouter

from .views import ExperienceViewSet, ProfileViewSet

router = SimpleRouter()
router.register(r"actors", ProfileViewSet, basename="actors")
router.register(
    r"actors/(?P<slug>[-a-zA-Z0-9_]{1,100})/experiences",
    ExperienceViewSet,
    basename="actor-experiences",
)

urlpatterns = router.urls
