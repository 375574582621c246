from django.urls import path

from . import views, views_web

app_name = "importers"
urlpatterns = [
    path("", views_web.job_list, name="list"),
    path("nouveau/", views_web.new_import, name="new"),
    path("<int:pk>/", views_web.job_page, name="job"),
    path("<int:pk>/annuler/", views_web.undo_page, name="undo"),
    path("<int:pk>/etat.json", views_web.job_json, name="job-json"),
    path("<int:pk>/relancer/", views_web.rerun_job, name="rerun"),
    path("<int:pk>/rapport.csv", views.report_csv, name="report-csv"),
]
