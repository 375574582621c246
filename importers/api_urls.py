"""``/api/v1/imports/…``"""

from django.urls import path

from .api import UndoView

urlpatterns = [path("imports/<int:pk>/undo/", UndoView.as_view(), name="import-undo")]
