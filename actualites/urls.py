"""Under ``/portails/``: the news and agenda pages of a group, and its feeds. Included before
the portal pages in ``config/urls.py`` (Django tries includes in order)."""

from django.urls import path

from . import feeds, views

app_name = "actualites"
NEWS, EVENT = {"kind": "news"}, {"kind": "event"}

urlpatterns = [
    path("<slug:slug>/actualites.atom", feeds.NewsFeed(), name="news-feed"),
    path("<slug:slug>/ressources.atom", feeds.ResourcesFeed(), name="resources-feed"),
    path("<slug:slug>/agenda.ics", feeds.agenda_ics, name="agenda-ics"),
    path("<slug:slug>/actualites/", views.news_list, name="news"),
    path("<slug:slug>/actualites/ajouter/", views.create, NEWS, name="news-create"),
    path("<slug:slug>/actualites/<int:pk>/", views.detail, NEWS, name="news-detail"),
    path("<slug:slug>/actualites/<int:pk>/valider/", views.validate, NEWS, name="news-validate"),
    path("<slug:slug>/actualites/<int:pk>/modifier/", views.edit, NEWS, name="news-edit"),
    path("<slug:slug>/actualites/<int:pk>/supprimer/", views.delete, NEWS, name="news-delete"),
    path("<slug:slug>/agenda/", views.agenda, name="agenda"),
    path("<slug:slug>/agenda/ajouter/", views.create, EVENT, name="event-create"),
    path("<slug:slug>/agenda/<int:pk>/", views.detail, EVENT, name="event-detail"),
    path("<slug:slug>/agenda/<int:pk>/valider/", views.validate, EVENT, name="event-validate"),
    path("<slug:slug>/agenda/<int:pk>/modifier/", views.edit, EVENT, name="event-edit"),
    path("<slug:slug>/agenda/<int:pk>/supprimer/", views.delete, EVENT, name="event-delete"),
]
