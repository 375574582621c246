from django.urls import path

from .views import NotificationListView, ReadView

urlpatterns = [
    path("me/notifications/", NotificationListView.as_view(), name="my-notifications"),
    path("me/notifications/read/", ReadView.as_view(), name="my-notifications-read"),
]
