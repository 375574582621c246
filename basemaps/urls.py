from django.urls import path

from . import views

app_name = "basemaps"
urlpatterns = [
    path("<slug:slug>/style.json", views.style, name="style"),
]
