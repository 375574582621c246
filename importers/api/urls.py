"""``/api/v1/imports/…``"""

from django.urls import path

from .undo import UndoView
from .views import ImportDetailView, ImportPreviewView, ImportRunView, ImportUploadView

urlpatterns = [
    path("imports/", ImportUploadView.as_view(), name="import-upload"),
    path("imports/<int:pk>/", ImportDetailView.as_view(), name="import-detail"),
    path("imports/<int:pk>/preview/", ImportPreviewView.as_view(), name="import-preview"),
    path("imports/<int:pk>/run/", ImportRunView.as_view(), name="import-run"),
    path("imports/<int:pk>/undo/", UndoView.as_view(), name="import-undo"),
]
