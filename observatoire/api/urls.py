"""``/api/v1/resources/…``"""

from rest_framework.routers import SimpleRouter

from . import schema  # noqa: F401  (registers the OpenAPI extension of the Feature)
from .views import ResourceViewSet

router = SimpleRouter()
router.register("resources", ResourceViewSet, basename="resource")

urlpatterns = router.urls
