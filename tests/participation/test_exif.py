"""Photos lose every EXIF tag (position, camera, date) before they are stored, on the pending
contribution and on the accepted resource's attachment; checked on the stored files."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from observatoire.models import Attachment
from participation.models import SubmissionPhoto

from .conftest import jpeg

pytestmark = pytest.mark.django_db


def exif_of(path) -> dict:
    with Image.open(path) as image:
        return dict(image.getexif()), image.info


def test_the_stored_photo_has_no_exif(post, cast, client):
    original = jpeg(gps=(3.06, 50.64), camera="Modèle-Secret-1234")
    with Image.open(io.BytesIO(original)) as image:  # positive control: the input has them
        assert image.getexif().get_ifd(0x8825) and image.getexif()[0x0110]
    assert post.page(photo=original).status_code == 302
    stored = SubmissionPhoto.objects.get()
    tags, info = exif_of(stored.file.path)
    assert tags == {} and "exif" not in info
    raw = stored.file.read()
    assert b"Exif" not in raw and "Modèle-Secret".encode() not in raw
    client.force_login(cast["animateur"])
    response = client.post(
        f"/api/v1/groups/{cast.group.slug}/submissions/{stored.submission_id}/accept/",
        {"level": "public"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    attachment = Attachment.objects.get(resource_id=response.json()["resource"])
    tags, info = exif_of(attachment.file.path)
    assert tags == {} and "exif" not in info
    assert attachment.content_type == "image/jpeg" and attachment.category == "photo"


def test_a_png_is_accepted_and_stored_as_jpeg(post):
    out = io.BytesIO()
    Image.new("RGBA", (50, 40), (0, 0, 255, 128)).save(out, "PNG")
    assert post.page(photo=out.getvalue()).status_code == 302
    with Image.open(SubmissionPhoto.objects.get().file.path) as image:
        assert image.format == "JPEG" and image.size == (50, 40)
