"""Heritage crossing: resources near a Mérimée monument, and the monuments near a resource.

Distances are geodesic (``geography``) and use the partial expression index
``resource_merimee_geog`` declared on ``Resource``: ``ST_DWithin`` on ``Geography("geom")``
(``geom::geography``) of the rows whose source is ``merimee``.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.contrib.gis.db.models import GeometryField
from django.contrib.gis.geos import GEOSGeometry
from django.db.models import BooleanField, Exists, F, FloatField, Func, OuterRef, Q, QuerySet, Value

from observatoire.models import Geography, Resource
from workgroups.models import User

#: Provenance of the monuments (written by the Mérimée importer).
MERIMEE = "merimee"
DEFAULT_METRES = 500
MAX_METRES = 50_000


class DWithin(Func):
    function = "ST_DWithin"
    output_field = BooleanField()


class GeoDistance(Func):
    function = "ST_Distance"
    output_field = FloatField()


def monuments(user: User | AnonymousUser | None) -> QuerySet[Resource]:
    """The Mérimée monuments ``user`` sees."""
    return Resource.objects.visible_to(user).filter(source=MERIMEE)


def near_heritage_q(metres: float) -> Q:
    """Resources within ``metres`` of a public monument (another resource than themselves).

    Only monuments everyone sees count, so the filter reveals nothing of a hidden one,
    whoever asks."""
    nearby = (
        monuments(AnonymousUser())
        .exclude(pk=OuterRef("pk"))
        .filter(DWithin(Geography(F("geom")), Geography(OuterRef("geom")), Value(float(metres))))
    )
    return Q(geom__isnull=False) & Q(Exists(nearby))


def monuments_near(
    resource: Resource, user: User | AnonymousUser | None, metres: float = DEFAULT_METRES
) -> QuerySet[Resource]:
    """The monuments ``user`` sees within ``metres`` of ``resource``, nearest first, each with
    its ``distance`` in metres."""
    if resource.geom is None:
        return Resource.objects.none()
    here = Geography(Value(GEOSGeometry(resource.geom.ewkb), output_field=GeometryField()))
    return (
        monuments(user)
        .exclude(pk=resource.pk)
        .filter(DWithin(Geography(F("geom")), here, Value(float(metres))))
        .annotate(distance=GeoDistance(Geography(F("geom")), here))
        .order_by("distance", "id")
    )
