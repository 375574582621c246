"""``/api/v1/publications/…``"""

from rest_framework.routers import SimpleRouter

from .views import CarnetViewSet

router = SimpleRouter()
router.register("publications", CarnetViewSet, basename="publications-api")

urlpatterns = router.urls
