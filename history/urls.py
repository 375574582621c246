from django.urls import path

from . import views

app_name = "history"

urlpatterns = [
    path("ressources/<int:pk>/historique/", views.resource_history, name="resource"),
    path(
        "ressources/<int:pk>/historique/<int:version>/restaurer/",
        views.restore,
        name="restore",
    ),
    path("groupes/<slug:slug>/journal/", views.group_audit, name="group-audit"),
]
