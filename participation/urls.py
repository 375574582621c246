from django.urls import path

from . import views, views_group

app_name = "participation"
urlpatterns = [
    path("groupes/<slug:slug>/formulaires/", views_group.group_forms, name="group-forms"),
    path("groupes/<slug:slug>/formulaires/nouveau/", views_group.edit_form, name="form-new"),
    path(
        "groupes/<slug:slug>/formulaires/<slug:form_slug>/modifier/",
        views_group.edit_form,
        name="form-edit",
    ),
    path("groupes/<slug:slug>/contributions/", views_group.queue, name="queue"),
    path(
        "groupes/<slug:slug>/contributions/<int:pk>/",
        views_group.submission_page,
        name="submission",
    ),
    path("mon-espace/contributions/", views_group.my_queue, name="my-queue"),
    path("mon-espace/contributions/actions/", views_group.bulk, name="bulk"),
    # a form's slug holds no dot: these never take a form's address
    path("participer/oembed.json", views.oembed, name="oembed"),
    path("participer/suivi/<str:secret>/", views.status, name="status"),
    path("participer/confirmer/<str:secret>/", views.confirm, name="confirm"),
    path("participer/photos/<int:pk>/", views.photo, name="photo"),
    path("participer/<slug:slug>/", views.form_page, name="form"),
    path("participer/<slug:slug>/carte/", views.map_page, name="map"),
    path("participer/<slug:slug>/integrer/", views.embed, name="embed"),
    path("participer/<slug:slug>/qr.png", views.qr_png, name="qr-png"),
    path("participer/<slug:slug>/qr.svg", views.qr_svg, name="qr-svg"),
]
