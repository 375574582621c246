"""``/api/v1/resources/…``, ``/api/v1/me/`` (« Mon espace »)"""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import schema  # noqa: F401  (registers the OpenAPI extension of the Feature)
from .views import MeView, ResourceViewSet

router = SimpleRouter()
router.register("resources", ResourceViewSet, basename="resource")

urlpatterns = [path("me/", MeView.as_view(), name="me"), *router.urls]
