"""The carnet's outputs: the embeddable page (any site may frame it) and its oEmbed answer,
the PDF read back with pypdf (pages, text, the live map printed as an image), the offline zip,
the demo carnet, and the pages' editor and forms."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from observatoire.kinds import Kind
from publications.blocks import clean_blocks
from publications.demo import SLUG, load_demo_carnets
from publications.models import Carnet
from tests.factories import MembershipFactory, ResourceFactory, UserFactory
from workgroups.models import Group
from workgroups.roles import Level, Role

from .conftest import text_block

pytestmark = pytest.mark.django_db


@pytest.fixture
def public(cast) -> Carnet:
    ResourceFactory(
        group=cast.group,
        author=cast["author"],
        kind=Kind.MARQUEUR,
        level=Level.PUBLIC,
        validated_at=timezone.now(),
        title="Beffroi imprimé",
    )
    blocks = [text_block("## Première partie\n\n" + "Un long texte. " * 400)]
    blocks.append(
        {
            "type": "map",
            "layer": {"base": "observatoire", "kinds": ["marqueur"]},
            "extent": [2.9, 50.5, 3.2, 50.7],
            "caption": "Carte des marqueurs",
            "steps": [{"markdown": "Étape une", "extent": [3.0, 50.6, 3.1, 50.65]}],
        }
    )
    return Carnet.objects.create(
        title="Carnet public",
        slug="carnet-public",
        group=cast.group,
        author=cast["author"],
        level=Level.PUBLIC,
        validated_at=timezone.now(),
        blocks=clean_blocks(blocks),
        story=True,
    )


def test_the_embed_may_be_framed_by_any_site(public):
    response = Client().get("/publications/carnet-public/integrer/")
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "frame-ancestors *"
    assert "X-Frame-Options" not in response
    assert b"Carnet public" in response.content
    page = Client().get("/publications/carnet-public/")
    assert page["X-Frame-Options"] == "DENY"  # the reading page itself is not framed


def test_oembed_answers_an_iframe_of_the_embed(public):
    url = "http://testserver/publications/carnet-public/"
    response = Client().get("/publications/oembed/", {"url": url, "format": "json"})
    assert response.status_code == 200
    body = response.json()
    assert body["type"] == "rich" and body["title"] == "Carnet public"
    assert 'src="http://testserver/publications/carnet-public/integrer/"' in body["html"]
    assert Client().get("/publications/oembed/", {"url": url, "format": "xml"}).status_code == 501
    other = Client().get("/publications/oembed/", {"url": "http://testserver/cartes/x/"})
    assert other.status_code == 404
    private = Client().get(
        "/publications/oembed/", {"url": "http://testserver/publications/inconnu/"}
    )
    assert private.status_code == 404
    page = Client().get("/publications/carnet-public/").content.decode()
    assert 'type="application/json+oembed"' in page


def test_the_pdf_opens_with_pages_text_and_the_map_as_an_image(public):
    response = Client().get("/publications/carnet-public.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) >= 3  # 400 sentences and a map do not fit on two A4 pages
    first = reader.pages[0].extract_text()
    assert "Carnet public" in first and "Sommaire" in first
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Carte des marqueurs" in text and "Étape une" in text
    images = [image for page in reader.pages for image in page.images]
    assert any(image.image.size == (900, 560) for image in images)  # the static map


def test_the_zip_reads_offline(public):
    response = Client().get("/publications/carnet-public.zip")
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    index = archive.read("index.html").decode()
    assert "Carnet public" in index and "<style>" in index
    assert 'href="/static' not in index and "data:image/png;base64," in index


def test_the_demo_carnet(territories):
    group = Group.objects.create(name="Observatoire participatif du Nord", slug="demo-nord")
    MembershipFactory(group=group, role=Role.ANIMATEUR, user=UserFactory(username="anim"))
    assert load_demo_carnets() == 1
    assert load_demo_carnets() == 0  # idempotent
    carnet = Carnet.objects.get(slug=SLUG)
    assert carnet.title == "Les beffrois du Nord" and carnet.level == Level.PUBLIC
    assert carnet.is_validated and carnet.cover_id
    types = [b["type"] for b in carnet.blocks]
    assert {"text", "photo", "map"} <= set(types)
    gallery = next(b for b in carnet.blocks if b["type"] == "photo")
    assert len(gallery["images"]) >= 3
    live = next(b for b in carnet.blocks if b["type"] == "map")
    assert len(live["steps"]) == 3
    assert Client().get(f"/publications/{SLUG}/").status_code == 200


def test_the_new_carnet_form(cast):
    client = Client()
    client.force_login(cast["contributeur"])
    assert client.get("/publications/nouvelle/").status_code == 200
    refused = client.post("/publications/nouvelle/", {"title": "", "group": "groupe-matrice"})
    assert refused.status_code == 400 and "Donnez un titre" in refused.content.decode()
    made = client.post("/publications/nouvelle/", {"title": "Mon récit", "group": "groupe-matrice"})
    assert made.status_code == 302 and made["Location"] == "/publications/mon-recit/modifier/"
    editor = client.get("/publications/mon-recit/modifier/")
    assert editor.status_code == 200 and b"editeur-config" in editor.content
    lecteur = Client()
    lecteur.force_login(cast["lecteur"])
    assert lecteur.get("/publications/nouvelle/").status_code == 403
    assert lecteur.get("/publications/mon-recit/modifier/").status_code == 404  # private
    Carnet.objects.filter(slug="mon-recit").update(level=Level.GROUPE, blocks=[text_block()])
    assert lecteur.get("/publications/mon-recit/modifier/").status_code == 403


def test_previews_as_anonymous(cast, resources):
    """The editor previews the carnet as an anonymous reader: what is not public is reserved."""
    carnet = Carnet.objects.create(
        title="Aperçu",
        slug="apercu",
        group=cast.group,
        author=cast["author"],
        level=Level.GROUPE,
        blocks=[{"type": "resources", "resources": [resources["cards"]["groupe"].pk]}],
    )
    client = Client()
    client.force_login(cast["author"])
    assert "Clocher groupe" in client.get(f"/publications/{carnet.slug}/").content.decode()
    preview = client.get(f"/publications/{carnet.slug}/?apercu=anonyme").content.decode()
    assert "Clocher groupe" not in preview and "Contenu réservé" in preview
    lecteur = Client()
    lecteur.force_login(cast["lecteur"])  # not an editor: the parameter is ignored
    assert (
        "Clocher groupe"
        in lecteur.get(f"/publications/{carnet.slug}/?apercu=anonyme").content.decode()
    )
