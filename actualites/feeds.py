"""The feeds a reader subscribes to, per group: Atom of the news, Atom of the latest resources
with GeoRSS points (uMap loads them), iCalendar of the agenda.

Anonymous views: an anonymous reader gets what is public and validated; a personal feed key
(``?key=``), a token or a session, read by :func:`workgroups.edge.person` as on every channel,
opens what ``visible_to`` gives that person, and the answer is then ``Cache-Control: private``.
Each feed holds at most :data:`~actualites.services.FEED_SIZE` items.
"""

from __future__ import annotations

from datetime import UTC

from django.contrib.gis.db.models.functions import PointOnSurface
from django.contrib.gis.feeds import Feed as GeoFeed
from django.contrib.gis.feeds import GeoAtom1Feed
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from observatoire.models import Resource
from workgroups.edge import Person, allow_any_origin, feed_response, person_or_401
from workgroups.models import Group

from . import services
from .models import Event, NewsItem

ATTRIBUTE = "spass_feed_person"


class PersonalFeed(Feed):
    """A syndication feed answered for the person who asks (see the module docstring)."""

    def __call__(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        who, failure = person_or_401(request)
        if failure:
            return allow_any_origin(failure)
        setattr(request, ATTRIBUTE, who)
        return feed_response(super().__call__(request, *args, **kwargs), who)

    def get_object(self, request: HttpRequest, slug: str) -> tuple[Group, Person]:
        return get_object_or_404(Group, slug=slug), getattr(request, ATTRIBUTE)

    def link(self, obj) -> str:
        return reverse("actualites:news", kwargs={"slug": obj[0].slug})

    def item_title(self, item) -> str:
        return item.title

    def item_author_name(self, item) -> str:
        return item.author.get_full_name() or item.author.username


class NewsFeed(PersonalFeed):
    feed_type = Atom1Feed

    def title(self, obj) -> str:
        return _("Actualités — %(group)s") % {"group": obj[0].name}

    def subtitle(self, obj) -> str:
        return _("Les actualités du groupe « %(group)s » sur S-PASS Territoires.") % {
            "group": obj[0].name
        }

    def items(self, obj):
        group, who = obj
        return services.news_of(group, who.user)[: services.FEED_SIZE]

    def item_description(self, item: NewsItem) -> str:
        return str(item.html)

    def item_link(self, item: NewsItem) -> str:
        return reverse("actualites:news-detail", kwargs={"slug": item.group.slug, "pk": item.pk})

    def item_pubdate(self, item: NewsItem):
        return item.published_at

    def item_updateddate(self, item: NewsItem):
        return item.updated_at


class ResourcesFeed(PersonalFeed, GeoFeed):
    """The group's latest resources (visible to who asks), each with a GeoRSS point (a point
    on the surface of its geometry, computed by PostGIS). Newest created first: the order of
    the ``resource_group_created`` index, so a group of 45,000 rows reads 50 of them."""

    feed_type = GeoAtom1Feed

    def title(self, obj) -> str:
        return _("Dernières ressources — %(group)s") % {"group": obj[0].name}

    def subtitle(self, obj) -> str:
        return _("Les dernières ressources partagées par le groupe « %(group)s ».") % {
            "group": obj[0].name
        }

    def items(self, obj):
        group, who = obj
        return (
            Resource.objects.visible_to(who.user)
            .filter(group=group)
            .select_related("group", "author")
            .defer("geom", "description", "attributes")
            .annotate(feed_point=PointOnSurface("geom"))
            .order_by("-created_at", "-id")[: services.FEED_SIZE]
        )

    def item_description(self, item: Resource) -> str:
        return item.summary

    def item_link(self, item: Resource) -> str:
        return reverse("observatoire:detail", kwargs={"pk": item.pk})

    def item_pubdate(self, item: Resource):
        return item.created_at

    def item_updateddate(self, item: Resource):
        return item.updated_at

    def item_categories(self, item: Resource):
        return [item.get_kind_display()]

    def item_geometry(self, item: Resource):
        return item.feed_point


def _ical_text(value: str) -> str:
    return value.replace("\r\n", "\n")


@require_GET
def agenda_ics(request: HttpRequest, slug: str) -> HttpResponse:
    """The group's agenda as iCalendar (RFC 5545): DTSTART/DTEND in UTC, GEO and LOCATION when
    the event has a place, a UID that stays the same for the event."""
    who, failure = person_or_401(request)
    if failure:
        return allow_any_origin(failure)
    group = get_object_or_404(Group, slug=slug)
    calendar = Calendar()
    calendar.add("prodid", "-//S-PASS Territoires//Agenda//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _("Agenda — %(group)s") % {"group": group.name})
    events = services.events_of(group, who.user).order_by("-start", "-id")[: services.FEED_SIZE]
    for event in events:
        calendar.add_component(_vevent(request, event))
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="agenda-{group.slug}.ics"'
    return feed_response(response, who)


def _vevent(request: HttpRequest, event: Event) -> CalendarEvent:
    vevent = CalendarEvent()
    vevent.add("uid", f"evenement-{event.pk}@spass-territoires")
    vevent.add("summary", event.title)
    vevent.add("dtstamp", event.updated_at.astimezone(UTC))
    vevent.add("dtstart", event.start.astimezone(UTC))
    vevent.add("dtend", event.end.astimezone(UTC))
    description = _ical_text(event.description)
    if event.registration_url:
        description += "\n\n" + _("Inscription : %(url)s") % {"url": event.registration_url}
    if description.strip():
        vevent.add("description", description.strip())
    url = request.build_absolute_uri(
        reverse("actualites:event-detail", kwargs={"slug": event.group.slug, "pk": event.pk})
    )
    vevent.add("url", url)
    if event.place is not None:
        vevent.add("geo", (event.place.y, event.place.x))
        vevent.add("location", event.place_name or f"{event.place.y:.6f}, {event.place.x:.6f}")
    elif event.place_name:
        vevent.add("location", event.place_name)
    return vevent
