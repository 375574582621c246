from django.urls import path, re_path

from . import views

app_name = "tiles"
urlpatterns = [
    re_path(
        r"^(?P<collection>[\w-]+)/(?P<z>[^/]+)/(?P<x>[^/]+)/(?P<y>[^/]+)\.pbf$",
        views.tile,
        name="tile",
    ),
    path("<slug:collection>.json", views.tilejson, name="tilejson"),
    path("<slug:collection>/carte/", views.preview, name="preview"),
]
