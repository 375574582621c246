"""Demo form: on demo-nord, the open form ``signaler-un-patrimoine`` (kind marqueur, a point,
one photo, e-mail optional, places in the Nord), with a few contributions waiting and a few
accepted by ``anim``, so that the form, its map, the portal and the queue show something.
Run after ``load_demo``; idempotent. Contributions are cleaned and stored by the services
(the anti-abuse, meant for the public, is not asked of the demo)."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image

from geo.models import Departement
from workgroups.models import Group, User
from workgroups.roles import Level

from . import services
from .models import Form

GROUP, ANIMATEUR, SLUG = "demo-nord", "anim", "signaler-un-patrimoine"
CONSENT = (
    "Vos contributions servent à l'observatoire participatif du cadre de vie du CAUE du Nord. "
    "Elles sont examinées par les animateurs du groupe avant publication, sous votre "
    "pseudonyme. Votre e-mail, facultatif, sert seulement à vous prévenir ; il est effacé "
    "avec la contribution au bout de deux ans. Contact : le CAUE du Nord."
)
#: (title, pseudonym, lon, lat, accepted)
CONTRIBUTIONS = [
    ("Chapelle Notre-Dame-de-Grâce", "Marie L.", 3.0612, 50.6365, True),
    ("Ancienne brasserie de la Deûle", "Karim", 3.0391, 50.6421, True),
    ("Kiosque à musique du parc", "Association des habitants", 3.1670, 50.6905, True),
    ("Moulin de la Tombe", "Élève de 4e B", 3.1521, 50.6112, False),
    ("Façade Art déco rue de la Gare", "Jeanne", 3.1603, 50.7220, False),
    ("Estaminet du centre-bourg", "Paul", 2.4870, 50.8001, False),
]


def _photo(seed: int) -> SimpleUploadedFile:
    image = Image.new("RGB", (640, 480), (90 + seed * 25 % 160, 120, 150 - seed * 15 % 100))
    out = io.BytesIO()
    image.save(out, "JPEG")
    return SimpleUploadedFile(f"photo-{seed}.jpg", out.getvalue(), content_type="image/jpeg")


@transaction.atomic
def load_demo_forms() -> int:
    """Contributions made (0 when already loaded or when the demo group is missing)."""
    group = Group.objects.filter(slug=GROUP).first()
    animateur = User.objects.filter(username=ANIMATEUR).first()
    if group is None or animateur is None or Form.objects.filter(slug=SLUG).exists():
        return 0
    nord = Departement.objects.filter(code="59").values_list("geom", flat=True).first()
    form = Form.objects.create(
        group=group,
        slug=SLUG,
        title="Signaler un patrimoine",
        introduction=(
            "Une chapelle, un moulin, une façade, un estaminet : **signalez-nous** ce qui "
            "fait l'identité de votre commune. Les animateurs du CAUE publient les "
            "contributions sur l'observatoire."
        ),
        kind="marqueur",
        fields=[{"name": "epoque", "label": "Époque (si vous la connaissez)", "required": False}],
        place="point",
        max_photos=1,
        ask_email=True,
        consent=CONSENT,
        area=nord,
        created_by=animateur,
    )
    for seed, (title, pseudonym, lon, lat, accepted) in enumerate(CONTRIBUTIONS):
        data = {
            "pseudonyme": pseudonym,
            "titre": title,
            "description": "Signalé par un habitant lors de la démonstration.",
            "longitude": str(lon),
            "latitude": str(lat),
            "consentement": "on",
        }
        submission = services.store(form, services.clean(form, data, [_photo(seed)]))
        if accepted:
            services.accept(animateur, submission, level=Level.PUBLIC)
    return len(CONTRIBUTIONS)
