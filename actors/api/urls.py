"""``/api/v1/actors/``, ``/api/v1/actors/<slug>/experiences/`` and ``/api/v1/credits/``."""

from rest_framework.routers import SimpleRouter

from .views import CreditViewSet, ExperienceViewSet, ProfileViewSet

router = SimpleRouter()
router.register(r"actors", ProfileViewSet, basename="actors")
router.register(
    r"actors/(?P<slug>[-a-zA-Z0-9_]{1,100})/experiences",
    ExperienceViewSet,
    basename="actor-experiences",
)

router.register(r"credits", CreditViewSet, basename="credits")

urlpatterns = router.urls
