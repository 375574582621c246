"""``/api/v1/maps/…``"""

from rest_framework.routers import SimpleRouter

from .views import MapViewSet

router = SimpleRouter()
router.register("maps", MapViewSet, basename="map")

urlpatterns = router.urls
