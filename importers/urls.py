from django.urls import path

from . import views

app_name = "importers"
urlpatterns = [
    path("<int:pk>/rapport.csv", views.report_csv, name="report-csv"),
]
