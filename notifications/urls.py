from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("mon-espace/notifications/", views.notification_list, name="list"),
    path("mon-espace/notifications/lues/", views.read, name="read"),
    path("profil/notifications/", views.preferences, name="preferences"),
    path("notifications/desabonnement/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
