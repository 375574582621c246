"""``/api/v1/groups/…``, ``/api/v1/auth/token/``"""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import schema  # noqa: F401  (registers the OpenAPI security schemes)
from .views import GroupViewSet, TokenView

router = SimpleRouter()
router.register("groups", GroupViewSet, basename="group")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="auth-token"),
    *router.urls,
]
