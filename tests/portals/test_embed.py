"""The portal block other sites embed: its page (framable by any site, links out of the
frame) and its oEmbed answer, with the bad input of an oEmbed consumer."""

from __future__ import annotations

import html
import re
from urllib.parse import quote

import pytest

from portals.views import EMBED_SIZE

pytestmark = pytest.mark.django_db


def test_the_portal_page_announces_its_oembed(client, cast):
    page = client.get(f"/portails/{cast.group.slug}/").content.decode()
    link = re.search(r'<link rel="alternate" type="application/json\+oembed" href="([^"]+)"', page)
    assert link, "oEmbed discovery link"
    response = client.get(html.unescape(link.group(1)))
    assert response.status_code == 200
    body = response.json()
    assert body["type"] == "rich" and body["version"] == "1.0"
    src = f"http://testserver/portails/{cast.group.slug}/integrer/"
    assert f'src="{src}"' in body["html"]
    assert (body["width"], body["height"]) == EMBED_SIZE
    assert response["Access-Control-Allow-Origin"] == "*"


def test_oembed_bounds_sizes_and_refuses_what_is_not_a_portal(client, cast):
    url = quote(f"http://testserver/portails/{cast.group.slug}/")
    small = client.get(f"/portails/oembed.json?url={url}&maxwidth=300&maxheight=abc").json()
    assert (small["width"], small["height"]) == (300, EMBED_SIZE[1])
    for bad in ("http://testserver/cartes/", "http://testserver/portails/inconnu/", ""):
        response = client.get(f"/portails/oembed.json?url={quote(bad)}")
        assert response.status_code == 404, bad
        assert "url" in response.json()["description"]
    xml = client.get(f"/portails/oembed.json?url={url}&format=xml")
    assert xml.status_code == 501 and "json" in xml.json()["description"]


def test_the_block_links_out_of_the_frame_and_the_edit_page_gives_its_code(client, cast):
    page = client.get(f"/portails/{cast.group.slug}/integrer/").content.decode()
    assert '<base target="_blank">' in page
    assert 'class="site-header"' not in page and "<nav" not in page  # no site chrome
    client.force_login(cast["animateur"])
    edit = client.get(f"/portails/{cast.group.slug}/modifier/").content.decode()
    assert "Intégrer ce portail sur un autre site" in edit
    assert f"/portails/{cast.group.slug}/integrer/" in edit
    assert client.get("/portails/inconnu/integrer/").status_code == 404


def test_portal_pages_in_english(client, cast):
    """French first, English with the browser's language: the portal, its embed and news."""
    english = {"HTTP_ACCEPT_LANGUAGE": "en"}
    page = client.get(f"/portails/{cast.group.slug}/", **english).content.decode()
    assert "Portal home" in page and "Search this portal (title)" in page
    assert "Pinned" in page and "Accueil du portail" not in page
    embed = client.get(f"/portails/{cast.group.slug}/integrer/", **english).content.decode()
    assert "Latest resources" in embed and 'lang="en"' in embed
    news = client.get(f"/portails/{cast.group.slug}/actualites/", **english).content.decode()
    assert "No news yet." in news
