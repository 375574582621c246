"""Demo basemaps and three example maps (markers, clusters, heatmap) over the demo data.

Idempotent: ``manage.py load_demo_maps`` (run by ``make demo`` after ``load_demo``) only adds
what is missing.
"""

from __future__ import annotations

from django.contrib.gis.geos import Point
from django.db import transaction
from django.utils import timezone

from basemaps.models import OFFLINE_SLUG, Basemap
from observatoire.kinds import Base, Kind
from workgroups.models import Group, User
from workgroups.roles import Level

from .models import Layer, Map, MapLayer

BASEMAPS = [
    dict(
        slug=OFFLINE_SLUG,
        name="Contours des départements (hors ligne)",
        kind="vector",
        source_type="outlines",
        is_default=True,
        max_zoom=14,
        attribution="Référentiel territorial du projet",
    ),
    dict(
        slug="osm",
        name="OpenStreetMap",
        source_type="tiles",
        url="https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        attribution="© les contributeurs d'OpenStreetMap",
    ),
    dict(
        slug="plan-ign",
        name="Plan IGN",
        source_type="wmts",
        url="https://data.geopf.fr/wmts",
        wmts_layer="GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2",
        wmts_format="image/png",
        attribution="IGN-F/Géoplateforme",
    ),
    dict(
        slug="ortho-ign",
        name="Photographies aériennes IGN",
        source_type="wmts",
        url="https://data.geopf.fr/wmts",
        wmts_layer="ORTHOIMAGERY.ORTHOPHOTOS",
        wmts_format="image/jpeg",
        attribution="IGN-F/Géoplateforme",
    ),
]

MAPS = [
    (
        "patrimoine-du-nord",
        "Patrimoine du Nord (marqueurs)",
        Layer.Style.MARKERS,
        Base.OBSERVATOIRE,
        [Kind.MARQUEUR, Kind.REALISATION],
    ),
    (
        "projets-en-grappes",
        "Projets et actions (regroupements)",
        Layer.Style.CLUSTERS,
        Base.OBSERVATOIRE,
        [Kind.PROJET, Kind.ACTION],
    ),
    (
        "activite-chaleur",
        "Activité des CAUE (carte de chaleur)",
        Layer.Style.HEATMAP,
        Base.ACTIVITE,
        [],
    ),
]


def load_basemaps() -> None:
    for spec in BASEMAPS:
        Basemap.objects.get_or_create(slug=spec["slug"], defaults=spec)


@transaction.atomic
def load_demo_maps() -> int:
    """Create the demo basemaps and maps; returns how many maps were made."""
    load_basemaps()
    group = Group.objects.filter(slug="demo-nord").first()
    author = User.objects.filter(username="anim").first()
    if group is None or author is None:
        return 0
    made = 0
    for slug, title, style, base, kinds in MAPS:
        if Map.objects.filter(slug=slug).exists():
            continue
        layer = Layer.objects.create(name=title.split(" (")[0], base=base, kinds=kinds, style=style)
        carte = Map.objects.create(
            slug=slug,
            title=title,
            group=group,
            author=author,
            level=Level.PUBLIC,
            validated_by=author,
            validated_at=timezone.now(),
            description=f"Carte de démonstration : {title.lower()}.",
            center=Point(3.1, 50.55, srid=4326),
            zoom=8.5,
        )
        MapLayer.objects.create(map=carte, layer=layer, position=0)
        made += 1
    return made
