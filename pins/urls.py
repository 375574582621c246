from django.urls import path

from . import views

app_name = "pins"

urlpatterns = [path("accrocher/", views.pin, name="pin")]
