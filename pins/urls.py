from django.urls import path

from . import views

app_name = "pins"

urlpatterns = [
    path("accrocher/", views.pin, name="pin"),
    path("accrocher/<int:pk>/retirer/", views.unpin, name="unpin"),
]
