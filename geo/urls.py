from django.urls import path

from . import views

app_name = "geo"
urlpatterns = [
    path("contours.geojson", views.basemap_outlines, name="basemap-outlines"),
    path("territoires/", views.territory_suggestions, name="territories"),
    path("tuiles/<int:z>/<int:x>/<int:y>.pbf", views.outline_tile, name="outline-tile"),
]
