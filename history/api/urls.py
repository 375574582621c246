from django.urls import path

from .views import HistoryView, RestoreView

urlpatterns = [
    path("resources/<int:pk>/history/", HistoryView.as_view(), name="resource-history"),
    path(
        "resources/<int:pk>/history/<int:version>/restore/",
        RestoreView.as_view(),
        name="resource-history-restore",
    ),
]
