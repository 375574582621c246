from django.urls import path, re_path

from . import views

app_name = "basemaps"
urlpatterns = [
    path("<slug:slug>/style.json", views.style, name="style"),
    re_path(r"^(?P<path>(?:wmts|tms)/.*)$", views.mapproxy, name="mapproxy"),
]
