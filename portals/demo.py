"""Demo portals for ``load_demo``'s groups: demo-nord gets a banner (drawn here with Pillow,
so no image file ships), an introduction and an accent colour; one group per other family
gets an introduction and a colour, so that the three family layouts can be seen."""

from __future__ import annotations

import io

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageDraw

from workgroups.models import Group

from .models import Portal

DEMO = {
    "demo-nord": {
        "title": "Observatoire participatif du Nord",
        "tagline": "Projets, réalisations et paysages du Nord observés par ses habitants",
        "accent": "#1d3f6e",
        "banner_alt": "Dessin d'un paysage du Nord : un beffroi et des terrils sous un ciel clair",
        "introduction": (
            "## Bienvenue\n\n"
            "Cet **observatoire participatif** rassemble les projets, réalisations et "
            "actions repérés par les membres du groupe dans le Nord.\n\n"
            "- la *carte* de l'observatoire ;\n"
            "- la médiathèque : photos, publications, vidéos ;\n"
            "- les cartes dynamiques du groupe.\n\n"
            "Pour contribuer, [rejoignez le groupe](/groupes/demo-nord/)."
        ),
        "sections": [
            "observatoire",
            "mediatheque",
            "activite",
            "cartes",
            "actualites",
            "agenda",
        ],
    },
    "patrimoine-paysages": {
        "title": "Patrimoine et paysages",
        "tagline": "Les collections documentaires du groupe thématique",
        "accent": "#1e6b30",
        "introduction": "Un **inventaire thématique** du patrimoine et des paysages : "
        "publications, photographies et sites web, classés par type.",
        "sections": ["mediatheque", "observatoire", "cartes", "actualites"],
    },
    "flandres-transfrontalier": {
        "title": "Partenariat transfrontalier des Flandres",
        "tagline": "Les partenaires et leurs ressources partagées",
        "accent": "#6a3d9a",
        "introduction": "Un partenariat **Interreg** entre acteurs des deux côtés de la frontière.",
        "sections": ["observatoire", "mediatheque", "activite", "actualites"],
    },
}


def banner_image(width: int = 1600, height: int = 400) -> ContentFile:
    """A banner drawn at load time: sky, hills, two slag heaps and a belfry."""
    image = Image.new("RGB", (width, height), "#9cc3e6")
    draw = ImageDraw.Draw(image)
    for y in range(height):  # sky gradient
        t = y / height
        draw.line([(0, y), (width, y)], fill=(int(156 + 80 * t), int(195 + 40 * t), 230))
    draw.polygon(
        [(0, 300), (400, 230), (900, 290), (1300, 220), (width, 280), (width, height), (0, height)],
        fill="#4f7a3a",
    )
    draw.polygon([(950, 300), (1120, 120), (1290, 300)], fill="#3b3b3b")
    draw.polygon([(1250, 310), (1380, 170), (1510, 310)], fill="#4a4a4a")
    draw.rectangle([260, 120, 320, 320], fill="#8a4b08")
    draw.polygon([(250, 120), (290, 50), (330, 120)], fill="#5c3205")
    draw.rectangle([0, 330, width, height], fill="#3d6b2e")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80, optimize=True)
    return ContentFile(out.getvalue(), name="banniere.jpg")


@transaction.atomic
def load_demo_portals() -> int:
    """Create the demo portals that do not exist yet; returns how many were made."""
    made = 0
    for slug, fields in DEMO.items():
        group = Group.objects.filter(slug=slug).first()
        if group is None or Portal.objects.filter(group=group).exists():
            continue
        portal = Portal(group=group, **fields)
        if slug == "demo-nord":
            portal.banner.save("banniere.jpg", banner_image(), save=False)
        portal.save()
        made += 1
    return made
