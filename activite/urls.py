from django.urls import path

from . import views

app_name = "activite"
urlpatterns = [
    path("groupes/<slug:slug>/activite/rapport/", views.report_page, name="report"),
    path("groupes/<slug:slug>/activite/rapport.csv", views.report_csv, name="report-csv"),
    path("groupes/<slug:slug>/activite/rapport.ods", views.report_ods, name="report-ods"),
    path("groupes/<slug:slug>/activite/rapport.pdf", views.report_pdf, name="report-pdf"),
    path(
        "groupes/<slug:slug>/activite/rapport-communes.geojson",
        views.report_communes,
        name="report-communes",
    ),
    path("groupes/<slug:slug>/activite/rapport/publier/", views.publish, name="report-publish"),
]
