"""Under ``/portails/``: the news and agenda pages of a group, and its feeds. Included before
the portal pages in ``config/urls.py`` (Django tries includes in order)."""

from django.urls import path

from . import feeds, views

app_name = "actualites"
urlpatterns = [
    path("<slug:slug>/actualites.atom", feeds.NewsFeed(), name="news-feed"),
    path("<slug:slug>/ressources.atom", feeds.ResourcesFeed(), name="resources-feed"),
    path("<slug:slug>/agenda.ics", feeds.agenda_ics, name="agenda-ics"),
    path("<slug:slug>/actualites/", views.news_list, name="news"),
    path("<slug:slug>/actualites/ajouter/", views.news_create, name="news-create"),
    path("<slug:slug>/actualites/<int:pk>/", views.news_detail, name="news-detail"),
    path("<slug:slug>/actualites/<int:pk>/valider/", views.news_validate, name="news-validate"),
    path("<slug:slug>/agenda/", views.agenda, name="agenda"),
    path("<slug:slug>/agenda/ajouter/", views.event_create, name="event-create"),
    path("<slug:slug>/agenda/<int:pk>/", views.event_detail, name="event-detail"),
    path("<slug:slug>/agenda/<int:pk>/valider/", views.event_validate, name="event-validate"),
]
