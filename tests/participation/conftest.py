"""Helpers of the participation tests: a form of the cast's group, real photos (with EXIF
GPS and camera tags), and a submission posted as a browser does (the page's token first)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon
from PIL import Image

from participation.models import Form

#: A square around Lille: the form's area.
AREA = MultiPolygon(Polygon.from_bbox((2.9, 50.5, 3.3, 50.8)), srid=4326)
LILLE = (3.0573, 50.6292)
CONSENT = "Finalité : l'observatoire. Conservation : 2 ans. Contact : le CAUE."


def jpeg(*, gps: tuple[float, float] | None = None, size=(320, 240), camera: str = "") -> bytes:
    """A real JPEG; with ``gps`` (lon, lat) in its EXIF and ``camera`` as its model."""
    image = Image.new("RGB", size, (180, 40, 40))
    exif = image.getexif()
    if camera:
        exif[0x010F] = "Fabricant"
        exif[0x0110] = camera
    if gps:
        lon, lat = gps

        def dms(value: float) -> tuple[float, float, float]:
            degrees = int(value)
            minutes = int((value - degrees) * 60)
            seconds = round((value - degrees - minutes / 60) * 3600, 4)
            return (float(degrees), float(minutes), seconds)

        ifd = exif.get_ifd(0x8825)
        ifd[1], ifd[2], ifd[3], ifd[4] = "N", dms(lat), "E", dms(lon)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def upload(name: str, content: bytes, content_type: str = "image/jpeg"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Each test stores its files in its own directory (and can list what was written)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def form(cast) -> Form:
    return Form.objects.create(
        group=cast.group,
        slug="signaler-un-arbre",
        title="Signaler un arbre remarquable",
        introduction="Un **arbre** qui compte.",
        kind="marqueur",
        fields=[{"name": "epoque", "label": "Âge de l'arbre", "required": False}],
        place="point",
        max_photos=1,
        ask_email=True,
        consent=CONSENT,
        area=AREA,
        min_seconds=0,
        created_by=cast["animateur"],
    )


def token_of(client, form: Form, path: str | None = None) -> str:
    page = client.get(path or f"/participer/{form.slug}/").content.decode()
    return re.search(r'name="debut" value="([^"]+)"', page).group(1)


@dataclass
class Poster:
    client: object
    form: Form

    def fields(self, **overrides) -> dict:
        data = {
            "debut": token_of(self.client, self.form),
            "pseudonyme": "Camille",
            "titre": "Le tilleul de la place",
            "description": "Planté en 1905.",
            "longitude": str(LILLE[0]),
            "latitude": str(LILLE[1]),
            "email": "",
            "consentement": "on",
            "attr_epoque": "1905",
        }
        data.update(overrides)
        return {k: v for k, v in data.items() if v is not None}

    def page(self, photo: bytes | None = None, path: str | None = None, **overrides):
        data = self.fields(**overrides)
        if photo is not None:
            data["photos"] = upload("arbre.jpg", photo)
        return self.client.post(path or f"/participer/{self.form.slug}/", data)

    def api(self, photo: bytes | None = None, **overrides):
        data = self.fields(**overrides)
        if photo is not None:
            data["photos"] = upload("arbre.jpg", photo)
        return self.client.post(f"/api/v1/forms/{self.form.slug}/submissions/", data)


@pytest.fixture
def post(client, form) -> Poster:
    return Poster(client, form)
