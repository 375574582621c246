"""The demo carnet of demo-nord, « Les beffrois du Nord » (slug ``les-beffrois-du-nord``):
public and validated (its author is the group's animateur, whose first share validates), with
text, a gallery, a live map of the group's marqueurs and three story steps, resource cards, a
before/after comparison and a quote. The photos are drawn here with Pillow (the demo has no
photo files). Run after ``load_demo``; idempotent."""

from __future__ import annotations

import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image, ImageDraw

from observatoire.models import Resource
from workgroups.events import quiet
from workgroups.models import Group, User
from workgroups.roles import Level

from . import services
from .media import add_media
from .models import Carnet

GROUP = "demo-nord"
AUTHOR = "anim"
SLUG = "les-beffrois-du-nord"
#: The Nord département, then three belfry towns: the story's extents.
NORD = [2.05, 49.97, 4.25, 51.1]
STEPS = [
    (
        "## Lille\n\nLe beffroi de l'hôtel de ville (1932), 104 mètres, le plus haut de France.",
        [3.0, 50.6, 3.12, 50.66],
    ),
    (
        "## Douai\n\nLe beffroi gothique que Victor Hugo a dessiné, et son carillon de 62 cloches.",
        [3.04, 50.35, 3.12, 50.39],
    ),
    (
        "## Cambrai\n\nMartin et Martine frappent les heures sur le beffroi de l'hôtel de ville.",
        [3.2, 50.16, 3.27, 50.19],
    ),
]


def belfry_png(seed: int, *, width: int = 960, height: int = 640, old: bool = False) -> bytes:
    """A drawn belfry on its square (a stand-in photo for the demo)."""
    rng = random.Random(seed)
    sky = (214, 196, 160) if old else (rng.randint(120, 170), rng.randint(170, 200), 230)
    image = Image.new("RGB", (width, height), sky)
    pen = ImageDraw.Draw(image)
    for y in range(height // 2):  # a little gradient towards the horizon
        tone = tuple(min(255, c + y // 6) for c in sky)
        pen.line([(0, y), (width, y)], fill=tone)
    brick = (120, 110, 100) if old else (rng.randint(150, 180), 70, 50)
    x = width // 2 + rng.randint(-120, 120)
    tower_w = rng.randint(90, 130)
    top = rng.randint(140, 200)
    pen.rectangle([x - tower_w // 2, top, x + tower_w // 2, height - 120], fill=brick)
    pen.polygon(
        [(x - tower_w // 2 - 8, top), (x, top - 130), (x + tower_w // 2 + 8, top)],
        fill=(60, 70, 80) if not old else (90, 90, 90),
    )
    pen.ellipse([x - 22, top + 30, x + 22, top + 74], fill=(240, 230, 200), outline=(40, 40, 40))
    for i in range(4):  # the houses of the square
        left = i * width // 4
        pen.rectangle(
            [left + 8, height - 220 + rng.randint(0, 40), left + width // 4 - 8, height - 100],
            fill=brick if old else (rng.randint(140, 200), 90, 70),
        )
    pen.rectangle([0, height - 100, width, height], fill=(90, 90, 90) if old else (110, 120, 110))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


def _upload(actor: User, carnet: Carnet, name: str, data: bytes) -> int:
    return add_media(actor, carnet, SimpleUploadedFile(name, data, "image/jpeg")).pk


@transaction.atomic
def load_demo_carnets() -> int:
    """Create the demo carnet; returns 1, or 0 when it exists or ``load_demo`` has not run."""
    group = Group.objects.filter(slug=GROUP).first()
    author = User.objects.filter(username=AUTHOR).first()
    if group is None or author is None or Carnet.objects.filter(slug=SLUG).exists():
        return 0
    with quiet():
        carnet = services.create_carnet(
            author,
            group,
            title="Les beffrois du Nord",
            subtitle="Trois villes, trois tours : un carnet de l'observatoire participatif",
            credits="Groupe demo-nord — atelier « Patrimoine » 2026",
            themes=["patrimoine", "beffrois"],
            territory="Département du Nord",
            story=True,
        )
        gallery = [_upload(author, carnet, f"beffroi-{i}.jpg", belfry_png(i)) for i in range(1, 5)]
        before = _upload(author, carnet, "place-1900.jpg", belfry_png(9, old=True))
        after = _upload(author, carnet, "place-2026.jpg", belfry_png(9))
        cards = list(
            Resource.objects.visible_to(None)
            .filter(group=group, base="observatoire")
            .order_by("id")
            .values_list("pk", flat=True)[:3]
        )
        towns = ("Lille", "Douai", "Cambrai", "Bergues")
        blocks = [
            {
                "type": "text",
                "markdown": (
                    "## Des tours pour les libertés communales\n\n"
                    "Dans le Nord, le **beffroi** dit la puissance des villes face aux seigneurs : "
                    "on y gardait les chartes, la cloche appelait les bourgeois. Vingt-trois "
                    "beffrois du Nord sont inscrits au patrimoine mondial de l'UNESCO.\n\n"
                    "### Ce que montre ce carnet\n\n"
                    "Les fiches de l'observatoire, la carte vivante des marqueurs du groupe, et "
                    "trois étapes d'un récit de ville en ville."
                ),
            },
            {
                "type": "photo",
                "images": [
                    {
                        "media": pk,
                        "alt": f"Dessin du beffroi de {town} sur sa place",
                        "caption": f"Le beffroi de {town}",
                        "credit": "Atelier demo-nord",
                    }
                    for pk, town in zip(gallery, towns, strict=True)
                ],
            },
            {
                "type": "map",
                "layer": {
                    "base": "observatoire",
                    "kinds": ["marqueur"],
                    "filter": "",
                    "style": "markers",
                    "color": "#c0392b",
                    "name": "Marqueurs du patrimoine",
                },
                "extent": NORD,
                "caption": "Les marqueurs du patrimoine de l'observatoire (carte vivante)",
                "steps": [{"markdown": text, "extent": extent} for text, extent in STEPS],
            },
            {"type": "separator"},
            {
                "type": "compare",
                "before": {
                    "media": before,
                    "alt": "La place vers 1900",
                    "caption": "Vers 1900",
                    "credit": "Fonds d'archives (dessin)",
                },
                "after": {
                    "media": after,
                    "alt": "La place aujourd'hui",
                    "caption": "En 2026",
                    "credit": "Atelier demo-nord",
                },
                "caption": "La place du beffroi, hier et aujourd'hui",
            },
            {
                "type": "quote",
                "text": "Le beffroi est le symbole de la liberté des communes.",
                "source": "Dossier d'inscription au patrimoine mondial, 1999",
            },
        ]
        if cards:
            blocks.append({"type": "resources", "resources": cards})
        carnet = services.update_carnet(
            author,
            carnet,
            {"blocks": blocks, "cover": gallery[0], "level": Level.PUBLIC},
            version=carnet.version,
        )
    return 1
