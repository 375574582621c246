"""The OGC API pages a person opens in a browser: every link and asset answers, nothing comes
from outside the site, titles are escaped, pages are French first and page through results;
the person's own QGIS and uMap addresses are on the collection page."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone

from observatoire.kinds import Base, Kind
from workgroups.auth import create_feed_key
from workgroups.models import FeedKey
from workgroups.roles import Level

from ..factories import ResourceFactory

pytestmark = pytest.mark.django_db

#: What each kind of link must answer: the media type its answer starts with.
EXPECTED_TYPE = {"stylesheet": "text/css", "script": "text/javascript", "img": "image/"}
#: At most this many pages are opened (about 30 collections, 3 to 4 pages each).
MAX_PAGES = 200


class _Refs(HTMLParser):
    """href/src of a, link, script, img, with what kind of reference each one is."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.refs.append(("a", values["href"]))
        elif tag == "link" and values.get("href"):
            rel = values.get("rel") or ""
            self.refs.append(("stylesheet" if rel == "stylesheet" else "a", values["href"]))
        elif tag in ("script", "img") and values.get("src"):
            self.refs.append((tag, values["src"]))


def _get(url: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            body = response.read()
            return (
                response.status,
                response.headers["Content-Type"],
                body.decode("utf-8", "replace"),
            )
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), ""


def _is_ogc_page(path: str, query: dict[str, list[str]]) -> bool:
    return path.startswith("/ogc") and query.get("f") == ["html"]


def _external_urls(html: str, host: str) -> list[str]:
    """Every http(s) URL in the page that does not point at the site itself."""
    urls = re.findall(r"https?://[^\s\"'<>]+", html)
    return [u for u in urls if urlsplit(u).netloc != host]


@pytest.fixture
def evil(cast):
    """A public validated resource whose title and attributes try to inject markup."""
    return ResourceFactory(
        base=Base.OBSERVATOIRE,
        kind=Kind.MARQUEUR,
        title='<script>alert("titre")</script> Beffroi',
        summary="<img src=x onerror=alert(1)>",
        geom=Point(3.06, 50.63, srid=4326),
        group=cast.group,
        author=cast["author"],
        level=Level.PUBLIC,
        validated_at=timezone.now(),
    )


@pytest.mark.django_db(transaction=True)
def test_crawl_every_link_and_asset_of_the_ogc_pages(live_server, public, evil):
    """From the landing page, every link and asset of every OGC page (each collection, its
    items page, its queryables, the items it lists) answers 200 with the right type, and no
    page holds a URL of another site."""
    host = urlsplit(live_server.url).netloc
    start = f"{live_server.url}/ogc/?f=html"
    pages, seen, checked = [start], {("/ogc/", False)}, {}
    opened = 0
    while pages and opened < MAX_PAGES:
        url = pages.pop(0)
        status, ctype, html = _get(url)
        opened += 1
        assert (status, ctype.split(";")[0]) == (200, "text/html"), url
        assert _external_urls(html, host) == [], url
        assert "Record collections" not in html and "Collections d'enregistrements" not in html
        parser = _Refs()
        parser.feed(html)
        for kind, ref in parser.refs:
            target = urljoin(url, ref)
            split = urlsplit(target)
            assert split.netloc == host, (url, ref)
            query = parse_qs(split.query)
            if _is_ogc_page(split.path, query):
                # each page once, one page of items beyond the first, one item per collection
                key = (re.sub(r"/items/[^/]+$", "/items/*", split.path), "offset" in query)
                if key not in seen:
                    seen.add(key)
                    pages.append(target)
                continue
            if target not in checked:
                checked[target] = _get(target)[:2]
            got_status, got_type = checked[target]
            assert got_status == 200, (url, ref, got_status)
            assert got_type.startswith(EXPECTED_TYPE.get(kind, "")), (url, ref, got_type)
    visited = {path for path, _paged in seen}
    assert pages == [] and opened > 20
    assert {"/ogc", "/ogc/conformance", "/ogc/openapi", "/ogc/collections"} <= visited
    assert "/ogc/collections/observatoire-marqueur/queryables" in visited
    assert "/ogc/collections/observatoire/items/*" in visited
    assert any(t.endswith("/static/vendor/maplibre-gl/maplibre-gl.js") for t in checked)


def test_titles_are_escaped(client, evil):
    """A title with markup is shown as text everywhere: list, page, map data."""
    for url in (
        "/ogc/collections/observatoire/items",
        f"/ogc/collections/observatoire/items/{evil.pk}",
    ):
        html = client.get(url, {"f": "html"}).content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(&quot;titre&quot;)&lt;/script&gt; Beffroi" in html


def test_items_page_counts_and_pages_like_the_json(client, public):
    """The count is the JSON's numberMatched; next/prev go through the same pages in HTML."""
    params = {"limit": 5, "offset": 5}
    doc = client.get("/ogc/collections/observatoire/items", params).json()
    html = client.get("/ogc/collections/observatoire/items", {**params, "f": "html"})
    text = html.content.decode()
    assert html["Content-Type"] == "text/html; charset=utf-8"
    assert f"Objets 6 à 10 sur {doc['numberMatched']}." in text
    assert (
        'rel="prev" href="/ogc/collections/observatoire/items?limit=5&amp;offset=0&amp;f=html"'
        in text
    )
    assert (
        'rel="next" href="/ogc/collections/observatoire/items?limit=5&amp;offset=10&amp;f=html"'
        in text
    )
    titles = re.findall(r'data-objet="\d+">([^<]+)</a>', text)
    assert titles == [f["properties"]["title"] for f in doc["features"]]
    last = client.get(
        "/ogc/collections/observatoire/items", {"limit": 5, "offset": 10, "f": "html"}
    ).content.decode()
    assert 'rel="next"' not in last and 'rel="prev"' in last


def test_pages_are_french_first_and_english_on_request(client, public):
    """French by default; English with Accept-Language or lang=en, like the rest of the site."""
    french = client.get("/ogc/collections/observatoire", {"f": "html"}).content.decode()
    assert '<html lang="fr">' in french and "Ajouter la couche dans QGIS" in french
    english = client.get(
        "/ogc/collections/observatoire", {"f": "html"}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert '<html lang="en">' in english and "Add the layer in QGIS" in english
    assert "Observatory" in english  # the collection's own title, in English too
    forced = client.get("/ogc/collections", {"f": "html", "lang": "en"}).content.decode()
    assert '<html lang="en">' in forced


def test_collection_page_gives_the_person_their_qgis_and_umap_addresses(client, cast, public):
    """Anonymous: the plain addresses and a way to sign in. Signed in: no key is created behind
    the person's back (issue 27), the page sends them to « Mes clés »; coming with one of their
    keys, the QGIS and uMap addresses carry it and work as given."""
    anonymous = client.get("/ogc/collections/observatoire", {"f": "html"}).content.decode()
    assert 'value="http://testserver/ogc"' in anonymous and "key=" not in anonymous
    assert "/connexion/?next=" in anonymous
    client.force_login(cast["lecteur"])
    response = client.get("/ogc/collections/observatoire", {"f": "html"})
    html = response.content.decode()
    assert response["Cache-Control"] == "private"
    assert not FeedKey.objects.filter(user=cast["lecteur"]).exists()
    assert 'value="http://testserver/ogc"' in html and "key=" not in html
    assert 'href="/profil/cles/"' in html
    key = create_feed_key(cast["lecteur"], "QGIS bureau").key
    html = client.get("/ogc/collections/observatoire", {"f": "html", "key": key}).content.decode()
    assert FeedKey.objects.filter(user=cast["lecteur"]).count() == 1
    assert f'value="http://testserver/ogc?key={key}"' in html
    umap = f"http://testserver/ogc/collections/observatoire/items?f=json&amp;limit=1000&amp;key={key}&amp;bbox={{bbox}}"
    assert f'value="{umap}"' in html
    # the uMap address works as given: GeoJSON of what the lecteur may see
    body = client.get(
        "/ogc/collections/observatoire/items", {"f": "json", "limit": 1000, "key": key}
    )
    assert body.status_code == 200 and body["Content-Type"] == "application/geo+json"


def test_conformance_page_shows_what_the_json_declares(client):
    """The HTML is the JSON document rendered: the classes we do not serve are not listed."""
    conformance = client.get("/ogc/conformance", {"f": "html"}).content.decode()
    assert "ogcapi-features-1" in conformance and "<code>update</code>" in conformance
    assert "optimistic-locking-timestamps" not in conformance
