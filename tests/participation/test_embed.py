"""The form framed by another site (iframe + oEmbed) and its QR codes."""

from __future__ import annotations

import html
import io
import re
from urllib.parse import quote

import pytest
import segno
from PIL import Image

from participation.models import Submission
from participation.views import EMBED_SIZE

from .conftest import jpeg

pytestmark = pytest.mark.django_db


def test_the_embed_may_be_framed_by_any_site_and_submits_inside_the_frame(client, post, form):
    response = client.get(f"/participer/{form.slug}/integrer/")
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "frame-ancestors *"
    assert "X-Frame-Options" not in response
    page = response.content.decode()
    assert 'class="site-header"' not in page and 'name="debut"' in page
    sent = post.page(photo=jpeg(), path=f"/participer/{form.slug}/integrer/")
    assert sent.status_code == 302 and sent["Location"].endswith("?integre=1")
    status = client.get(sent["Location"])
    assert status["Content-Security-Policy"] == "frame-ancestors *"
    assert Submission.objects.count() == 1
    # the site's own pages stay unframable
    assert client.get(f"/participer/{form.slug}/")["X-Frame-Options"] == "DENY"


def test_oembed_is_discovered_and_answers_the_iframe(client, form):
    page = client.get(f"/participer/{form.slug}/").content.decode()
    link = re.search(r'<link rel="alternate" type="application/json\+oembed" href="([^"]+)"', page)
    body = client.get(html.unescape(link.group(1))).json()
    assert body["type"] == "rich" and body["title"] == form.title
    assert f'src="http://testserver/participer/{form.slug}/integrer/"' in body["html"]
    assert (body["width"], body["height"]) == EMBED_SIZE
    other = client.get(f"/participer/oembed.json?url={quote('http://testserver/cartes/')}")
    assert other.status_code == 404 and "url" in other.json()["description"]


def test_qr_codes_encode_the_forms_address(client, form):
    png = client.get(f"/participer/{form.slug}/qr.png")
    assert png["Content-Type"] == "image/png"
    with Image.open(io.BytesIO(png.content)) as image:
        assert image.format == "PNG" and image.width == image.height >= 200
    expected = segno.make(f"http://testserver/participer/{form.slug}/", error="m")
    # same modules as segno's own encoding of the address (scale 8, border 4)
    with Image.open(io.BytesIO(png.content)) as image:
        modules = image.width // 8 - 8
    assert modules == expected.symbol_size(scale=1, border=0)[0]
    svg = client.get(f"/participer/{form.slug}/qr.svg")
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    assert client.get("/participer/inconnu/qr.png").status_code == 404
