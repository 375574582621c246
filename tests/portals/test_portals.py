"""Group portals (/portails/): pages for every actor, the leak matrix (each page shows exactly
what ``Resource.objects.visible_to(actor)`` gives for the group), the banner's checks, the
Markdown introduction's sanitising, the palette's contrast and the edit form's round trip."""

from __future__ import annotations

import html
import io
import re

import pytest
from django.contrib.gis.geos import Point
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from layers.models import Layer, Map, MapLayer
from observatoire.kinds import Base, Kind
from observatoire.models import Resource
from portals.models import Featured, Portal
from portals.palette import AA, PALETTE, PAPER, WHITE, contrast
from portals.services import FEATURED_MAX
from tests.factories import GroupFactory, ResourceFactory
from workgroups.models import Group
from workgroups.roles import Level

from ..conftest import ACTORS

STATES = [
    (Level.UTILISATEUR, False),
    (Level.GROUPE, False),
    (Level.COMMUNAUTE, True),
    (Level.PUBLIC, False),
    (Level.PUBLIC, True),
]
KIND_OF = {
    Base.OBSERVATOIRE: Kind.MARQUEUR,
    Base.MEDIATHEQUE: Kind.PHOTO,
    Base.ACTIVITE: Kind.FORMATION,
}
IDS = re.compile(r'data-id="(\d+)"')
MAPS = re.compile(r'data-carte="([a-z0-9-]+)"')
PAGES = ["", "observatoire/", "mediatheque/", "activite/", "cartes/"]


def _login(client, user) -> None:
    if user.is_authenticated:
        client.force_login(user)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def world(cast, media):
    """Resources of each base at each state in the cast's group, maps at each state, one
    public resource of the other group, and a portal that features every resource."""
    now = timezone.now()
    author = cast["author"]
    for base, kind in KIND_OF.items():
        for i, (level, validated) in enumerate(STATES):
            ResourceFactory(
                title=f"{base} {level} {'validée' if validated else 'en attente'}",
                base=base,
                kind=kind,
                group=cast.group,
                author=author,
                level=level,
                validated_at=now if validated else None,
                geom=Point(3.0 + i * 0.01, 50.6, srid=4326) if base != Base.MEDIATHEQUE else None,
            )
    ResourceFactory(
        title="Ressource publique d'un autre groupe",
        group=cast.other_group,
        author=cast["other_animateur"],
        level=Level.PUBLIC,
        validated_at=now,
    )
    layer = Layer.objects.create(name="Observatoire", base=Base.OBSERVATOIRE)
    for i, (level, validated) in enumerate(STATES):
        carte = Map.objects.create(
            title=f"Carte {i}",
            slug=f"carte-{i}",
            group=cast.group,
            author=author,
            level=level,
            validated_at=now if validated else None,
        )
        MapLayer.objects.create(map=carte, layer=layer, position=0)
    portal = Portal.objects.create(group=cast.group, title="Portail de la matrice")
    for i, resource in enumerate(Resource.objects.all()):
        Featured.objects.create(portal=portal, resource=resource, position=i)
    return portal


def _visible(actor, group: Group, **filters) -> set[int]:
    return set(
        Resource.objects.visible_to(actor)
        .filter(group=group, **filters)
        .values_list("pk", flat=True)
    )


def _ids(response) -> set[int]:
    return {int(i) for i in IDS.findall(response.content.decode())}


def _text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.mark.parametrize("actor", ACTORS)
def test_leak_matrix(client, cast, world, actor):
    """Every portal page shows exactly the group's resources the actor may see: nothing
    more (no leak), nothing less (the page is not simply empty)."""
    person = cast[actor]
    _login(client, person)
    group = cast.group
    every = _visible(person, group)
    # « à la une » features every resource: the first FEATURED_MAX visible ones show
    featured = [
        pk
        for pk in world.featured_rows.order_by("position").values_list("resource_id", flat=True)
        if pk in every
    ][:FEATURED_MAX]
    located = _visible(person, group, base=Base.OBSERVATOIRE, geom__isnull=False)
    expected = {
        "": set(featured) | located,
        "observatoire/": located,
        "mediatheque/": _visible(person, group, base=Base.MEDIATHEQUE),
        "activite/": _visible(person, group, base=Base.ACTIVITE),
        "cartes/": set(),
    }
    assert every, "every actor sees at least the public validated resources"
    for page in PAGES:
        response = client.get(f"/portails/{group.slug}/{page}")
        assert response.status_code == 200, page
        assert _ids(response) == expected[page], (actor, page)
        assert "autre groupe" not in response.content.decode()
    # search inside the portal: the title search of the visible rows, paginated
    response = client.get(f"/portails/{group.slug}/?q=VALIDÉE")
    assert _ids(response) == _visible(person, group, title__icontains="validée")
    response = client.get(f"/portails/{group.slug}/mediatheque/?q=validee")
    assert _ids(response) == _visible(
        person, group, base=Base.MEDIATHEQUE, title__icontains="validée"
    )
    # maps of the group
    shown = set(MAPS.findall(client.get(f"/portails/{group.slug}/cartes/").content.decode()))
    assert shown == set(
        Map.objects.visible_to(person).filter(group=group).values_list("slug", flat=True)
    )


@pytest.mark.parametrize("actor", ACTORS)
def test_edit_page_is_for_animateurs(client, cast, world, actor):
    person = cast[actor]
    _login(client, person)
    response = client.get(f"/portails/{cast.group.slug}/modifier/")
    if actor == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith("/connexion/")
    elif actor == "animateur":
        assert response.status_code == 200
        assert "Couleur d'accent" in _text(response)
    else:
        assert response.status_code == 403
        assert "Seuls les animateurs" in _text(response)
        assert (
            client.post(f"/portails/{cast.group.slug}/modifier/", {"title": "X"}).status_code == 403
        )
    assert Portal.objects.get(group=cast.group).title == "Portail de la matrice"


def test_unknown_portal_or_section_is_a_french_404(client, cast):
    for url in [
        "/portails/nulle-part/",
        "/portails/nulle-part/mediatheque/",
        "/portails/nulle-part/modifier/",
    ]:
        response = client.get(url)
        assert response.status_code == 404
        assert "Page introuvable" in response.content.decode()
        assert "« nulle-part »" in response.content.decode()
    response = client.get(f"/portails/{cast.group.slug}/inconnue/")
    assert response.status_code == 404 and "rubrique « inconnue »" in response.content.decode()


def test_a_group_without_portal_has_a_default_one(client, cast):
    response = client.get(f"/portails/{cast.group.slug}/")
    assert response.status_code == 200
    assert cast.group.name in response.content.decode()
    assert not Portal.objects.exists()


def test_portal_list_by_family_paginated(client, db):
    for i in range(14):
        GroupFactory(slug=f"projet-{i:02}", name=f"Projet {i:02}", family=Group.Family.PROJET)
    GroupFactory(slug="acteur-1", name="Un acteur", family=Group.Family.ACTEUR)
    page = client.get("/portails/").content.decode()
    assert "Projet 00" in page and "Projet 11" in page and "Projet 12" not in page
    assert "Un acteur" in page and "Aucun portail dans cette famille." in page  # thème
    page = client.get("/portails/?page-projet=2").content.decode()
    assert "Projet 12" in page and "Projet 13" in page and "Projet 00" not in page
    assert 'href="/portails/"' in client.get("/").content.decode()  # in the main navigation


def test_palette_keeps_wcag_aa_contrast():
    """Each accent keeps 4.5:1 with white text on it and as text on the page background."""
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#777777", "#ffffff"), 2) == 4.48  # the classic near miss
    for value, label in PALETTE:
        assert contrast(value, WHITE) >= AA, (value, label, contrast(value, WHITE))
        assert contrast(value, PAPER) >= AA, (value, label, contrast(value, PAPER))


def _image(width: int, height: int, fmt: str = "PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "#336699").save(out, fmt)
    return out.getvalue()


def _form(**extra) -> dict:
    data = {
        "title": "Portail modifié",
        "tagline": "Une accroche",
        "introduction": "## Bonjour\n\nUn texte **en gras**.",
        "accent": "#1e6b30",
        "sections": ["observatoire", "cartes"],
        "banner_alt": "",
        "featured": "",
    }
    data.update(extra)
    return data


def test_edit_round_trip(client, cast, world):
    client.force_login(cast["animateur"])
    url = f"/portails/{cast.group.slug}/modifier/"
    private = Resource.objects.filter(group=cast.group, level=Level.UTILISATEUR).first()
    first = Resource.objects.visible_to(cast["animateur"]).filter(group=cast.group).first()
    banner = SimpleUploadedFile("bandeau.png", _image(2400, 600), content_type="image/png")
    response = client.post(
        url,
        _form(
            banner=banner, banner_alt="Un ciel bleu", featured=f"{first.pk}, 999999, {private.pk}"
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    portal = Portal.objects.get(group=cast.group)
    assert (portal.title, portal.accent, portal.sections) == (
        "Portail modifié",
        "#1e6b30",
        ["observatoire", "cartes"],
    )
    # an unknown number and a resource the animateur may not see are dropped
    assert list(portal.featured_rows.values_list("resource_id", flat=True)) == [first.pk]
    with Image.open(portal.banner.path) as image:
        assert image.format == "JPEG" and image.size == (1600, 400)
    page = client.get(f"/portails/{cast.group.slug}/").content.decode()
    assert "<h2>Bonjour</h2>" in page and "<strong>en gras</strong>" in page
    assert "--portail: #1e6b30" in page and 'alt="Un ciel bleu"' in page
    assert f'/portails/{cast.group.slug}/cartes/"' in page
    assert f'/portails/{cast.group.slug}/mediatheque/"' not in page  # section hidden
    assert client.get(f"/portails/{cast.group.slug}/mediatheque/").status_code == 404
    served = client.get(f"/portails/{cast.group.slug}/banniere.jpg")
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    form = client.get(url).content.decode()
    assert 'value="Portail modifié"' in form and f'value="{first.pk}"' in form
    # remove the banner
    assert client.post(url, _form(remove_banner="on")).status_code == 302
    assert not Portal.objects.get(group=cast.group).banner


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("bandeau.jpg", b"ceci n'est pas une image", "n'est pas un type de fichier accepté"),
        ("bandeau.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "n'est pas une image lisible"),
        ("bandeau.pdf", b"%PDF-1.4 rien", "doit être une image"),
        ("bandeau.png", None, "la limite est de"),
    ],
)
def test_bad_banner_is_refused_in_french(client, cast, world, settings, name, content, message):
    settings.SPASS = {**settings.SPASS, "MAX_UPLOAD_BYTES": 20_000}
    client.force_login(cast["animateur"])
    if content is None:  # a real PNG, heavier than the limit
        content = _image(800, 800) + b"\x00" * 30_000
    upload = SimpleUploadedFile(name, content)
    response = client.post(
        f"/portails/{cast.group.slug}/modifier/", _form(banner=upload, banner_alt="x")
    )
    assert response.status_code == 400
    assert message in _text(response)
    assert Portal.objects.get(group=cast.group).title == "Portail de la matrice"  # nothing written


def test_banner_needs_its_alt_text(client, cast, world):
    client.force_login(cast["animateur"])
    banner = SimpleUploadedFile("bandeau.jpg", _image(400, 100, "JPEG"))
    response = client.post(f"/portails/{cast.group.slug}/modifier/", _form(banner=banner))
    assert response.status_code == 400
    assert "le texte alternatif est obligatoire" in response.content.decode()
    assert not Portal.objects.get(group=cast.group).banner


def test_markdown_introduction_is_sanitised_on_the_page(client, cast, world):
    client.force_login(cast["animateur"])
    evil = (
        "Bonjour <script>alert('x')</script>\n\n<iframe src=\"https://evil.invalid\"></iframe>\n\n"
        "<img src=x onerror=alert(2)> [clic](javascript:alert(1)) [ok](https://exemple.fr) "
        "![img](data:image/png;base64,AAAA)"
    )
    assert (
        client.post(f"/portails/{cast.group.slug}/modifier/", _form(introduction=evil)).status_code
        == 302
    )
    client.logout()
    page = client.get(f"/portails/{cast.group.slug}/").content.decode()
    intro = page.split('class="portail-intro">', 1)[1].split("</div>", 1)[0]
    assert "Bonjour" in intro and 'href="https://exemple.fr"' in intro
    # what survives is inert text (CommonMark makes no link of a javascript: target); no
    # element, attribute or URL that runs or loads anything
    for bad in ("<script", "<iframe", 'href="javascript:', 'src="data:'):
        assert bad not in intro, bad
    assert not re.search(r"<[^>]*\son\w+=", intro)  # no event attribute in any element
    assert "&lt;img src=x onerror" in intro  # the raw HTML was shown as text, not run
    assert "<a href" in intro and intro.count("<a ") == 1  # only the https link is a link
    assert "<iframe" not in page and 'href="javascript:' not in page


def test_the_home_draws_only_the_sections_the_animateurs_show(client, cast):
    """The family's blocks follow the sections chosen in the edit form: a projet portal
    without « Agenda » has no agenda block (and no agenda link), the other blocks stay."""
    cast.group.family = Group.Family.PROJET
    cast.group.save()
    Portal.objects.create(group=cast.group, title="P", sections=["observatoire", "actualites"])
    page = client.get(f"/portails/{cast.group.slug}/").content.decode()
    assert 'id="bloc-observatoire"' in page and 'id="bloc-actualites"' in page
    assert 'id="bloc-agenda"' not in page and "/agenda/" not in page
    assert 'id="bloc-accroches"' in page  # not a section: every portal's home has it
