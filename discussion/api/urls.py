from django.urls import path

from .views import ResourceCommentsView

urlpatterns = [
    path("resources/<int:pk>/comments/", ResourceCommentsView.as_view(), name="resource-comments"),
]
