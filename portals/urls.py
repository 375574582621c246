from django.urls import path

from . import views

app_name = "portals"
urlpatterns = [
    path("", views.index, name="index"),
    # a slug holds no dot: these never take a portal's address
    path("oembed.json", views.oembed, name="oembed"),
    path("<slug:slug>/", views.home, name="home"),
    path("<slug:slug>/modifier/", views.edit, name="edit"),
    path("<slug:slug>/integrer/", views.embed, name="embed"),
    path("<slug:slug>/banniere.jpg", views.banner, name="banner"),
    path("<slug:slug>/<slug:section>/", views.section, name="section"),
]
