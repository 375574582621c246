"""Our .umap files in the real uMap 3.7.3 (its own venv, ``make umap-env``), run against the
embedded PostgreSQL and driven in Debian's Chromium through uMap's own importer: the file is
imported, saved, reopened; the live layer asks our server for its data with uMap's current
bbox, and the inline layer draws its features."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.contrib.gis.geos import Point
from django.utils import timezone

from layers.models import Layer
from observatoire.kinds import Base, Kind
from tests.clients import CHROMIUM, chromium, require_client, sign_in
from tests.factories import ResourceFactory
from tests.layers.maps_fixtures import make_map
from workgroups.roles import Level

UMAP = Path(settings.BASE_DIR) / "var" / "umap-venv" / "bin" / "umap"
pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
LAYERS = (
    "[...U.MAP.layers].map(d => [d.properties.name, d.properties.type, "
    "d.properties.remoteData || {}, d.features.count()])"
)


@pytest.fixture(autouse=True, scope="module")
def _umap_and_chromium():
    """``make test`` installs uMap's venv; without it (or Chromium) the test is skipped on a
    developer's machine but FAILS in CI (``CI=true``): it must never go silently missing."""
    missing = [
        str(path.relative_to(settings.BASE_DIR)) if path == UMAP else str(path)
        for path in (UMAP, Path(CHROMIUM))
        if not path.exists()
    ]
    if missing:
        require_client(
            "umap",
            False,
            f"absent : {', '.join(missing)} (make test installe uMap : make umap-env)",
        )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def umap_server(django_db_blocker):
    """uMap on its own database of the embedded cluster, on a free local port."""
    db = settings.DATABASES["default"]
    with (
        django_db_blocker.unblock(),
        psycopg.connect(
            host=db["HOST"],
            port=db["PORT"],
            user=db["USER"],
            password=db["PASSWORD"],
            dbname="postgres",
            autocommit=True,
        ) as conn,
    ):
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = 'test_umap'").fetchone():
            conn.execute("CREATE DATABASE test_umap")
    env = {
        **os.environ,
        "DATABASE_URL": f"postgis://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/"
        "test_umap",
        "SECRET_KEY": "essai-umap",
        "UMAP_ALLOW_ANONYMOUS": "1",
        "DEBUG": "1",
        "STATIC_ROOT": str(UMAP.parents[2] / "static"),
        "MEDIA_ROOT": str(UMAP.parents[2] / "media"),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    for command in (
        ["migrate", "-v0"],
        [
            "shell",
            "-c",
            "from umap.models import TileLayer; TileLayer.objects.get_or_create("
            "name='Locale', defaults={'url_template': "
            "'http://127.0.0.1:9/{z}/{x}/{y}.png'})",
        ],
    ):
        subprocess.run([str(UMAP), *command], env=env, check=True, capture_output=True)
    port = _free_port()
    process = subprocess.Popen(
        [str(UMAP), "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(url + "/fr/map/new/", timeout=5)
            break
        except OSError:
            time.sleep(1)
    yield url
    process.terminate()
    process.wait(timeout=30)


@pytest.fixture
def public_map(cast):
    now = timezone.now()
    for i in range(4):
        ResourceFactory(
            title=f"Marqueur {i}",
            kind=Kind.MARQUEUR,
            group=cast.group,
            author=cast["author"],
            level=Level.PUBLIC,
            validated_at=now,
            geom=Point(3.0 + i * 0.01, 50.6, srid=4326),
        )
    ResourceFactory(title="Privé", group=cast.group, author=cast["author"])
    layer = Layer.objects.create(
        name="Marqueurs", base=Base.OBSERVATOIRE, kinds=[Kind.MARQUEUR], style=Layer.Style.CLUSTERS
    )
    return make_map(
        cast,
        layer,
        "vers-umap",
        "Vers uMap",
        level=Level.PUBLIC,
        validated_at=now,
        center=Point(3.02, 50.6, srid=4326),
        zoom=11,
    )


def _import(page, path: Path, layers: int = 1) -> None:
    """Import ``path`` through uMap's importer panel. The panel's onLoad resets its file input
    after filling the layer select; when that lands after our file was set (a busy machine),
    the submit imports nothing: the panel is opened and the file given again, three times at
    most, before the test fails. It waits for the file's ``layers`` layers before saving."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    for _attempt in range(3):
        page.evaluate("U.MAP.importer.open()")
        page.wait_for_function(
            "document.querySelector('.panel.on [name=\"layer-id\"] option') !== null",
            timeout=30000,
        )
        page.wait_for_timeout(500)  # the reset follows the layer select
        page.locator(".panel.on input[type=file]").set_input_files(str(path))
        page.locator(".panel.on select[name=format]").select_option("umap")
        page.locator(".panel.on input[name=submit]").click()
        try:  # generous: uMap's development server is slow when the 2 cores are busy
            page.wait_for_function(f"{LAYERS}.length >= {layers}", timeout=45000)
            return
        except PlaywrightTimeoutError:
            continue
    raise AssertionError(f"uMap n'a créé aucun calque depuis {path.name} (3 essais)")


def _import_save_reopen(page, umap_url: str, path: Path, layers: int = 1):
    page.goto(umap_url + "/fr/map/new/")
    page.wait_for_function("window.U && U.MAP", timeout=60000)
    _import(page, path, layers)
    page.locator("button[data-ref=save]").click()
    page.wait_for_url("**/map/*_*", timeout=30000)
    # uMap saves the map, then each layer: reopen only once every layer is on the server
    page.wait_for_function("!U.MAP.isDirty", timeout=60000)
    page.goto(page.url)
    page.wait_for_function("window.U && U.MAP", timeout=60000)
    # the reopened map builds its layers after U.MAP exists
    page.wait_for_function(f"{LAYERS}.length > 0", timeout=90000)


def test_umap_imports_saves_and_reopens_our_files(live_server, umap_server, public_map, tmp_path):
    """Live file: the Cluster layer keeps remoteData dynamic and uMap requests our OGC API
    items with its bbox; inline file: the four visible markers are drawn after reopening."""
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    live = tmp_path / "live.umap"
    inline = tmp_path / "inline.umap"
    for target, query in ((live, ""), (inline, "?inline=1")):
        with urllib.request.urlopen(f"{live_server.url}/cartes/vers-umap.umap{query}") as r:
            target.write_bytes(r.read())
    with chromium(args=("--headless", "--no-sandbox", "--disable-gpu")) as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        fetched: list[str] = []
        page.on(
            "request",
            lambda r: (
                fetched.append(r.url) if r.url.startswith(live_server.url + "/ogc/") else None
            ),
        )
        _import_save_reopen(page, umap_server, live)
        page.wait_for_timeout(2000)
        [(name, kind, remote, _count)] = page.evaluate(LAYERS)
        assert (name, kind, remote["dynamic"]) == ("Marqueurs", "Cluster", True)
        assert fetched and all("bbox=" in url and "{bbox}" not in url for url in fetched)
        assert "filter=kind" in fetched[-1]
        # our answer crossed origins (CORS) and uMap drew the four visible markers
        page.wait_for_function(f"{LAYERS}[0]?.[3] === 4", timeout=30000)

        page = browser.new_page(viewport={"width": 1280, "height": 900})
        _import_save_reopen(page, umap_server, inline)
        page.wait_for_function(f"{LAYERS}[0]?.[3] === 4", timeout=30000)
        page.screenshot(path=str(Path(settings.VAR_DIR) / "screenshots" / "umap-inline.png"))


def test_umap_opens_a_map_made_with_the_editor(live_server, umap_server, cast, tmp_path):
    """A map made in Chromium with the editor's pages (``/cartes/nouvelle/``) — marqueurs in
    clusters with a CQL2 filter typed in the panel, activité as a heat map — shared,
    validated, exported as ``.umap`` (live layers on our OGC API) and opened in the real uMap:
    both layers, each drawing the features of its filter."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    from layers import editor
    from layers.models import Map

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    now = timezone.now()
    for i in range(3):
        for base, kind, title in (
            (Base.OBSERVATOIRE, Kind.MARQUEUR, "Beffroi"),
            (Base.OBSERVATOIRE, Kind.MARQUEUR, "Moulin"),
            (Base.ACTIVITE, Kind.FORMATION, "Atelier"),
        ):
            ResourceFactory(
                title=f"{title} {i}",
                base=base,
                kind=kind,
                group=cast.group,
                author=cast["author"],
                level=Level.PUBLIC,
                validated_at=now,
                geom=Point(3.0 + i * 0.01, 50.6, srid=4326),
            )
    with chromium() as browser:
        page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
        page = page.new_page()
        sign_in(page, live_server.url, "contributeur", "mot-de-passe-test")
        page.goto(f"{live_server.url}/cartes/nouvelle/")
        page.get_by_role("textbox", name="Titre", exact=True).fill("Faite à l'éditeur")
        page.get_by_role("combobox", name="Groupe", exact=True).select_option(label=cast.group.name)
        first = page.locator("#couches-0")
        first.get_by_label("Observatoire · Marqueur").check()
        first.get_by_label("Représentation").select_option("clusters")
        first.get_by_label("Icône des marqueurs").select_option("monument")
        if first.locator("details.filtre").get_attribute("open") is None:
            first.locator("details.filtre summary").click()
        first.get_by_label("Filtre CQL2 de la couche").fill("title LIKE '%Beffroi%'")
        page.get_by_role("button", name="Ajouter une couche").click()
        second = page.locator("#couches-1")
        second.get_by_label("Base").select_option("activite")
        second.get_by_label("Représentation").select_option("heatmap")
        page.get_by_role("button", name="Enregistrer la carte").click()
        page.wait_for_url("**/cartes/faite-a-lediteur/modifier/")
    carte = Map.objects.get(slug="faite-a-lediteur")
    assert [layer.style for layer in carte.ordered_layers()] == ["clusters", "heatmap"]
    assert carte.ordered_layers()[0].icon == "monument"
    editor.share_map(cast["contributeur"], carte, Level.PUBLIC)
    editor.validate_map(cast["animateur"], carte)
    path = tmp_path / "editeur.umap"
    with urllib.request.urlopen(f"{live_server.url}/cartes/{carte.slug}.umap") as r:
        path.write_bytes(r.read())
    with chromium(args=("--headless", "--no-sandbox", "--disable-gpu")) as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        _import_save_reopen(page, umap_server, path, layers=2)
        drawn = "JSON.stringify(" + LAYERS + ".map(d => [d[1], d[3]]).sort())"
        expected = '[["Cluster",3],["Heat",3]]'
        try:
            page.wait_for_function(f"{drawn} === '{expected}'", timeout=60000)
        except PlaywrightTimeoutError:
            raise AssertionError(f"uMap montre {page.evaluate(LAYERS)}") from None
        # uMap kept the project's icon through its save and reopening
        icons = page.evaluate("[...U.MAP.layers].map(d => d.properties.iconUrl || '')")
        assert f"{live_server.url}/static/vendor/maki/monument.svg" in icons
