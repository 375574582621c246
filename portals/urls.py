from django.urls import path

from . import views

app_name = "portals"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.home, name="home"),
    path("<slug:slug>/modifier/", views.edit, name="edit"),
    path("<slug:slug>/banniere.jpg", views.banner, name="banner"),
    path("<slug:slug>/<slug:section>/", views.section, name="section"),
]
