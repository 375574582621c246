"""Demo news and agenda of demo-nord: two news items and two events, public and validated
(one event with a place), written by its animateur. Run after ``load_demo``; idempotent."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.gis.geos import Point
from django.db import transaction
from django.utils import timezone

from workgroups.models import Group, User
from workgroups.roles import Level

from . import services
from .models import Event, NewsItem

GROUP = "demo-nord"
ANIMATEUR = "anim"


def is_loaded() -> bool:
    return NewsItem.objects.filter(group__slug=GROUP).exists()


@transaction.atomic
def load_demo_news() -> int:
    """Create the demo items (an animateur sharing publicly validates at once); returns how
    many were made (0 when already loaded or when ``load_demo`` has not run)."""
    group = Group.objects.filter(slug=GROUP).first()
    anim = User.objects.filter(username=ANIMATEUR).first()
    if group is None or anim is None or is_loaded():
        return 0
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    # the events start at a sociable local hour, whenever the demo is loaded
    evening = timezone.localtime(now).replace(hour=18)
    items = [
        services.create_item(
            anim,
            NewsItem,
            group,
            level=Level.PUBLIC,
            title="Lancement de l'observatoire participatif du Nord",
            body=(
                "L'observatoire ouvre ses **inventaires** au public : patrimoine bâti, "
                "paysages et espaces publics des communes du Nord.\n\n"
                "Chacun peut [consulter les cartes](/cartes/) et proposer une contribution."
            ),
            published_at=now - timedelta(days=12),
        ),
        services.create_item(
            anim,
            NewsItem,
            group,
            level=Level.PUBLIC,
            title="Retour sur l'atelier « Paysages du Bassin minier »",
            body=(
                "Une trentaine de participants ont arpenté les cités minières de Raismes.\n\n"
                "- 45 fiches créées\n- 120 photographies versées à la médiathèque"
            ),
            published_at=now - timedelta(days=3),
        ),
        services.create_item(
            anim,
            Event,
            group,
            level=Level.PUBLIC,
            title="Balade urbaine : les cités minières de Raismes",
            description="Découverte commentée du patrimoine minier, départ devant la mairie.",
            start=evening + timedelta(days=10, hours=-4),
            end=evening + timedelta(days=10, hours=-1),
            place=Point(3.4870, 50.3890, srid=4326),
            place_name="Mairie de Raismes",
            registration_url="https://example.org/inscription-balade-raismes",
        ),
        services.create_item(
            anim,
            Event,
            group,
            level=Level.PUBLIC,
            title="Réunion du groupe : bilan des inventaires",
            description="Réunion en ligne ouverte à tous les contributeurs de l'observatoire.",
            start=evening + timedelta(days=24),
            end=evening + timedelta(days=24, hours=2),
        ),
    ]
    return len(items)
