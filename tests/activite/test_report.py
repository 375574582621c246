"""The activity report: counts grouped in SQL from ``visible_to(viewer)``, the leak matrix
(outsiders 403, the public version counts only public validated missions), bad input, and
the CSV, ODS and PDF that say what the page shows."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.contrib.gis.geos import Point
from odf.opendocument import load as load_ods
from odf.table import Table, TableRow
from pypdf import PdfReader

from activite import report
from observatoire.models import PublishedActivityReport
from workgroups.roles import Level

from ..conftest import ACTORS
from ..ui.matrix import STATES, expected_for, resource_in_state

pytestmark = pytest.mark.django_db

LILLE = Point(3.0573, 50.6292, srid=4326)
ROUBAIX = Point(3.1746, 50.6942, srid=4326)
ARRAS = Point(2.7775, 50.2910, srid=4326)
URL = "/groupes/groupe-matrice/activite/rapport/"


@pytest.fixture
def missions(cast, territories):
    """One formation per sharing state (2024, Lille), plus public validated missions:
    a formation in Roubaix (2025), a sensibilisation in Arras (2025), an édition in 2024."""
    made = {
        state: resource_in_state(
            cast,
            level,
            validated,
            base="activite",
            kind="formation",
            title=f"Mission {state}",
            geom=LILLE,
            date_start=dt.date(2024, 3, 1),
        )
        for state, (level, validated, _who) in STATES.items()
    }
    for title, kind, geom, year in (
        ("Formation Roubaix", "formation", ROUBAIX, 2025),
        ("Balade Arras", "sensibilisation", ARRAS, 2025),
        ("Guide Lille", "edition", LILLE, 2024),
    ):
        made[title] = resource_in_state(
            cast,
            Level.PUBLIC,
            True,
            base="activite",
            kind=kind,
            title=title,
            geom=geom,
            date_start=dt.date(year, 5, 1),
        )
    resource_in_state(cast, Level.PUBLIC, True, title="Marqueur, pas une mission", geom=LILLE)
    return made


def _login(client, cast, actor):
    if actor != "anonymous":
        client.force_login(cast[actor])
    return client


EXTRA = 3  # the three public validated missions besides the states


@pytest.mark.parametrize("actor", ACTORS)
def test_leak_matrix(client, cast, missions, actor):
    """Members see the report of what they may see; others are refused (403), even the
    public version until it is published; the public version counts public validated only."""
    client = _login(client, cast, actor)
    member = actor in ("lecteur", "contributeur", "expert", "animateur", "author")
    response = client.get(URL)
    assert response.status_code == (200 if member else 403)
    geojson = client.get(URL.rstrip("/") + "-communes.geojson")
    assert geojson.status_code == (200 if member else 403)
    if member:
        missions_on_map = sum(f["properties"]["missions"] for f in geojson.json()["features"])
        assert missions_on_map == len(expected_for(actor)) + EXTRA  # one commune each
        seen = len(expected_for(actor)) + EXTRA
        assert response.context["report"].total == seen
    public = client.get(URL, {"version": "publique"})
    assert public.status_code == (200 if member else 403)
    PublishedActivityReport.objects.create(group=cast.group, published_by=cast["animateur"])
    public = client.get(URL, {"version": "publique"})
    assert public.status_code == 200
    assert public.context["report"].total == 1 + EXTRA  # public-valide + the three
    titles = {m.title for m in public.context["pages"].page}
    assert "Mission public-attente" not in titles and "Mission public-valide" in titles
    csv_public = client.get(URL.rstrip("/") + ".csv", {"version": "publique"})
    assert csv_public.status_code == 200
    if not member:
        assert client.get(URL.rstrip("/") + ".csv").status_code == 403


def test_counts_by_kind_year_territory(cast, missions):
    qs = report.missions(cast["author"], cast.group, report.Params())
    built = report.build(qs, cast["author"])
    assert built.total == 6 + EXTRA
    assert built.by_kind_year == {
        ("formation", 2024): 6,
        ("edition", 2024): 1,
        ("formation", 2025): 1,
        ("sensibilisation", 2025): 1,
    }
    assert built.years == [2024, 2025]
    assert built.top_communes[0] == ("59350", "Lille", 7)
    assert ("formation", "200093201", "Métropole Européenne de Lille", 7) in built.by_kind_epci
    geojson = report.communes_geojson(qs)
    assert {f["id"]: f["properties"]["missions"] for f in geojson["features"]} == {
        "59350": 7,
        "59512": 1,
        "62041": 1,
    }
    narrowed = report.parse({"debut": "2025-01-01", "fin": "2025-12-31", "territoire": "59"})
    built = report.build(report.missions(cast["author"], cast.group, narrowed), cast["author"])
    assert built.by_kind_year == {("formation", 2025): 1}
    by_epci = report.parse({"territoire": "200093201"})
    assert (
        report.build(report.missions(cast["author"], cast.group, by_epci), cast["author"]).total
        == 8
    )


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"territoire": "99999"}, "inconnu : 99999"),
        ({"territoire": "2000932011"}, "SIREN"),
        ({"territoire": "20009320"}, "mal formé"),
        ({"debut": "2025-02-01", "fin": "2025-01-01"}, "précède la date de début"),
        ({"debut": "hier"}, "AAAA-MM-JJ"),
    ],
)
def test_bad_input_is_a_french_400(client, cast, missions, params, words):
    client.force_login(cast["lecteur"])
    page = client.get(URL, params)
    assert page.status_code == 400
    assert words in page.content.decode()
    data = client.get(URL.rstrip("/") + ".csv", params)
    assert data.status_code == 400 and words in data.json()["detail"]


def test_csv_equals_the_counts_shown(client, cast, missions):
    client.force_login(cast["animateur"])
    page = client.get(URL)
    shown = page.context["kind_year"]
    response = client.get(URL.rstrip("/") + ".csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Missions par type et par année"]
    assert rows[1] == ["Type", "2024", "2025", "Total"]
    for row in shown:
        assert [row["label"], *map(str, row["counts"]), str(row["total"])] in rows
    totals = [str(n) for n in page.context["year_totals"]]
    assert ["Total", *totals, str(page.context["report"].total)] in rows
    assert totals == ["6", "2"]  # the animateur does not see the author's private mission
    html = page.content.decode()
    for row in shown:
        assert f'<th scope="row">{row["label"]}</th>' in html


def test_ods_is_readable(client, cast, missions):
    client.force_login(cast["animateur"])
    response = client.get(URL.rstrip("/") + ".ods")
    assert response.status_code == 200
    document = load_ods(io.BytesIO(response.content))
    tables = document.spreadsheet.getElementsByType(Table)
    assert tables[0].getAttribute("name") == "Missions par type et par année"
    assert len(tables[0].getElementsByType(TableRow)) == 1 + 3 + 1  # header, kinds, total


def test_pdf_opens(client, cast, missions):
    client.force_login(cast["animateur"])
    response = client.get(URL.rstrip("/") + ".pdf", {"territoire": "59"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in pdf.pages)
    assert "Rapport d'activité" in text and "Groupe de la matrice" in text
    assert "Missions par type et par année" in text and "Lille" in text


def test_only_an_animateur_publishes(client, cast, missions):
    client.force_login(cast["expert"])
    response = client.post(URL + "publier/", {"publier": "1"})
    assert response.status_code == 403
    assert not PublishedActivityReport.objects.exists()
    client.force_login(cast["animateur"])
    response = client.post(URL + "publier/", {"publier": "1"})
    assert response.status_code == 302
    assert PublishedActivityReport.objects.filter(group=cast.group).exists()
    client.post(URL + "publier/", {"publier": "0"})
    assert not PublishedActivityReport.objects.exists()


def test_missions_per_partner_count_credits_the_reader_sees_and_written_names(
    client, cast, missions
):
    """A credited public profile and the same name written in « partenaires » count a mission
    once; a « comptes seulement » profile counts for members, never in the public version;
    the table is in the page, the CSV and the PDF's source (``tables()``)."""
    from actors.models import Credit, Visibility
    from tests.actors.conftest import make_profile

    roubaix, arras, guide = (
        missions[t] for t in ("Formation Roubaix", "Balade Arras", "Guide Lille")
    )
    caue = make_profile(cast["author"], "CAUE du Nord")
    hidden = make_profile(cast["author"], "Bureau discret", visibility=Visibility.COMPTES)
    for resource, profile in ((roubaix, caue), (arras, caue), (guide, hidden)):
        Credit.objects.create(resource=resource, profile=profile, role="partenaire")
    for resource, written in ((roubaix, "caue du Nord ; DDTM du Nord"), (guide, "DDTM du Nord")):
        resource.attributes = {**resource.attributes, "partenaires": written}
        resource.save(update_fields=["attributes"])

    member = report.build(
        report.missions(cast["author"], cast.group, report.Params()), cast["author"]
    )
    assert dict(member.by_partner) == {"CAUE du Nord": 2, "DDTM du Nord": 2, "Bureau discret": 1}
    public = report.build(
        report.missions(report.public_viewer(), cast.group, report.Params()),
        report.public_viewer(),
    )
    assert dict(public.by_partner) == {"CAUE du Nord": 2, "DDTM du Nord": 2}
    client.force_login(cast["animateur"])
    html = client.get(URL).content.decode()
    assert 'id="table-partenaires"' in html and "Bureau discret" in html
    rows = list(
        csv.reader(
            io.StringIO(client.get(URL.rstrip("/") + ".csv").content.decode("utf-8-sig")),
            delimiter=";",
        )
    )
    at = rows.index(["Missions par partenaire"])
    assert rows[at + 1] == ["Partenaire", "Missions"] and ["DDTM du Nord", "2"] in rows[at:]


def _csv_tables(content: bytes) -> dict[str, list[list[str]]]:
    """The CSV's tables by title (each: title, header, rows, then a blank line)."""
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    tables, at = {}, 0
    while at < len(rows):
        end = rows.index([], at)
        tables[rows[at][0]] = rows[at + 2 : end]
        at = end + 1
    return tables


def test_the_page_cut_tables_agree_with_the_full_tables_and_the_csv(
    client, cast, missions, monkeypatch
):
    """The page asks ``build`` for the first rows of the territory tables only (``limit``):
    they are the first rows of the full tables, which the CSV gives, and ``epci_rows`` and
    ``commune_rows`` still count them all; the top communes are the per-commune totals of
    the kinds × communes table; each table adds up to the missions counted (one commune and
    one EPCI each here)."""
    from activite import views

    qs = report.missions(cast["author"], cast.group, report.Params())
    full = report.build(qs, cast["author"])
    cut = report.build(qs, cast["author"], limit=1)
    assert len(full.by_kind_commune) > 1 and len(full.by_kind_epci) > 1
    assert cut.by_kind_commune == full.by_kind_commune[:1]
    assert cut.by_kind_epci == full.by_kind_epci[:1]
    assert (cut.commune_rows, cut.epci_rows) == (
        len(full.by_kind_commune),
        len(full.by_kind_epci),
    )
    assert (full.commune_rows, full.epci_rows) == (cut.commune_rows, cut.epci_rows)
    assert cut.by_kind_year == full.by_kind_year and cut.top_communes == full.top_communes
    assert cut.by_partner == full.by_partner
    totals: dict[tuple[str, str], int] = {}
    for _kind, code, name, n in full.by_kind_commune:
        totals[(code, name)] = totals.get((code, name), 0) + n
    assert {(code, name): n for code, name, n in full.top_communes} == totals
    counts = [row[-1] for row in full.top_communes]
    assert counts == sorted(counts, reverse=True)
    assert sum(n for *_row, n in full.by_kind_commune) == full.total == 6 + EXTRA
    assert sum(n for *_row, n in full.by_kind_epci) == full.total

    monkeypatch.setattr(views, "PAGE_ROWS", 1)
    client.force_login(cast["author"])
    page = client.get(URL)
    shown = page.context["report"]
    assert shown.by_kind_commune == cut.by_kind_commune and shown.commune_rows > 1
    files = _csv_tables(client.get(URL.rstrip("/") + ".csv").content)
    for title, _header, rows in page.context["tables"]:
        in_csv = files[title]
        assert [[str(v) for v in row] for row in rows] == in_csv[: len(rows)], title
    by_commune = files["Missions par type et par commune"]
    assert len(by_commune) == shown.commune_rows
    assert len(files["Missions par type et par EPCI"]) == shown.epci_rows
