"""``/ogc``: OGC API Features (landing, conformance, openapi, collections, items).

Mounted without a trailing slash so that ``/ogc`` (pygeoapi's base URL, where its links
point and what GIS clients are given) and ``/ogc/`` are both the landing page, unredirected.
"""

from django.urls import include, path

from . import views

app_name = "ogc"

_api = [
    path("", views.landing),
    path("openapi", views.openapi, name="openapi"),
    path("conformance", views.conformance, name="conformance"),
    path("collections", views.collections, name="collections"),
    path("collections/<str:collection_id>", views.collections, name="collection"),
    path("collections/<str:collection_id>/queryables", views.queryables, name="queryables"),
    path("collections/<str:collection_id>/schema", views.schema, name="schema"),
    path("collections/<str:collection_id>/items", views.items, name="items"),
    path("collections/<str:collection_id>/items/<str:feature_id>", views.item, name="item"),
]

urlpatterns = [
    path("", views.landing, name="landing"),
    path("/", include(_api)),
]
