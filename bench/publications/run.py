"""Rendering a large carnet: 40 blocks of which 6 live maps and 60 photos (galleries of 10),
with resource cards over 2,000 marqueurs — the HTML reading page (first render, then p50/p95
of 30) and the PDF (p50 of 3, static maps drawn from the features the reader may see).

In-process (Django's test client) in its own database ``spass_bench_publications`` beside the
project's. From the project root, database running:

    flock /tmp/spass-bench.lock .venv/bin/python bench/publications/run.py

Results: ``bench/results/publications/run.md`` (and ``.jsonl``, one line per run).
"""

from __future__ import annotations

import io
import json
import platform
import random
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.benchdb import connect_bench_database

DATABASE = "spass_bench_publications"
RESULTS = Path(__file__).resolve().parents[1] / "results" / "publications"
MARQUEURS = 2000
HTML_RUNS = 30
PDF_RUNS = 3
SLUG = "carnet-du-bench"


def photo(seed: int) -> bytes:
    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    image = Image.new("RGB", (1200, 800), (rng.randint(0, 255), 160, 200))
    pen = ImageDraw.Draw(image)
    for _ in range(40):
        x, y = rng.randint(0, 1100), rng.randint(0, 700)
        pen.rectangle([x, y, x + 100, y + 100], fill=(rng.randint(0, 255), 90, 60))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


def setup():
    """The group, its animateur, 2,000 public marqueurs, a saved map, and the carnet."""
    from django.contrib.gis.geos import Point
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from layers.models import Layer, Map, MapLayer
    from observatoire.models import Resource
    from publications import services
    from publications.media import add_media
    from publications.models import Carnet
    from workgroups.events import quiet
    from workgroups.models import Group, Membership, User
    from workgroups.roles import Level, Role

    group, _ = Group.objects.get_or_create(slug="bench-carnets", defaults={"name": "Bench"})
    anim, _ = User.objects.get_or_create(username="bench-anim")
    Membership.objects.get_or_create(
        group=group, user=anim, defaults={"role": Role.ANIMATEUR, "state": "active"}
    )
    if Carnet.objects.filter(slug=SLUG).exists():
        return anim
    rng = random.Random(1)
    now = timezone.now()
    Resource.objects.bulk_create(
        Resource(
            base="observatoire",
            kind="marqueur",
            title=f"Beffroi n° {i}",
            group=group,
            author=anim,
            level=Level.PUBLIC,
            validated_at=now,
            validated_by=anim,
            geom=Point(2.1 + rng.random() * 2, 50.0 + rng.random() * 1.0, srid=4326),
            summary="Un marqueur du bench des carnets.",
        )
        for i in range(MARQUEURS)
    )
    layer = Layer.objects.create(name="Marqueurs", base="observatoire", kinds=["marqueur"])
    carte = Map.objects.create(
        title="Carte du bench",
        slug="carte-du-bench",
        group=group,
        author=anim,
        level=Level.PUBLIC,
        validated_at=now,
    )
    MapLayer.objects.create(map=carte, layer=layer, position=0)
    cards = list(Resource.objects.filter(group=group).values_list("pk", flat=True)[:60])
    with quiet():
        carnet = services.create_carnet(anim, group, title="Carnet du bench")
        media = [
            add_media(anim, carnet, SimpleUploadedFile(f"p{i}.jpg", photo(i), "image/jpeg")).pk
            for i in range(60)
        ]
        blocks = []
        for n in range(6):  # 6 × (text, gallery of 10, map, cards, quote, separator) = 36
            blocks.append({"type": "text", "markdown": f"## Partie {n + 1}\n\n" + "Texte. " * 150})
            blocks.append(
                {
                    "type": "photo",
                    "images": [
                        {
                            "media": pk,
                            "alt": f"Photo {pk}",
                            "caption": f"Légende {pk}",
                            "credit": "Bench",
                        }
                        for pk in media[n * 10 : n * 10 + 10]
                    ],
                }
            )
            if n % 2:
                blocks.append(
                    {
                        "type": "map",
                        "map": carte.slug,
                        "extent": [2.1, 50.0, 4.1, 51.0],
                        "steps": [{"markdown": "Étape", "extent": [2.5, 50.2, 3.0, 50.5]}],
                    }
                )
            else:
                blocks.append(
                    {
                        "type": "map",
                        "layer": {
                            "base": "observatoire",
                            "kinds": ["marqueur"],
                            "filter": "title LIKE 'Beffroi n° 1%'",
                        },
                        "extent": [2.1, 50.0, 4.1, 51.0],
                    }
                )
            blocks.append({"type": "resources", "resources": cards[n * 10 : n * 10 + 10]})
            blocks.append({"type": "quote", "text": "Une citation.", "source": "Bench"})
            blocks.append({"type": "separator"})
        blocks += [{"type": "text", "markdown": "## Fin\n\nConclusion."}] * 4
        assert len(blocks) == 40
        services.update_carnet(
            anim,
            carnet,
            {"blocks": blocks, "level": Level.PUBLIC, "story": True},
            version=carnet.version,
        )
    return anim


def timed(client, path: str) -> tuple[float, int, int]:
    start = time.perf_counter()
    response = client.get(path)
    return (time.perf_counter() - start) * 1000, response.status_code, len(response.content)


def main() -> None:
    connect_bench_database(DATABASE, None)
    from django.core.management import call_command
    from django.test import Client

    call_command("load_territories", "--if-empty", verbosity=0)
    anim = setup()
    rows = []
    for who in ("anonyme", "anim"):
        client = Client()
        if who == "anim":
            client.force_login(anim)
        first = timed(client, f"/publications/{SLUG}/")
        runs = [timed(client, f"/publications/{SLUG}/") for _ in range(HTML_RUNS)]
        times = sorted(r[0] for r in runs)
        rows.append(
            {
                "page": f"HTML {who}",
                "first_ms": round(first[0], 1),
                "p50_ms": round(statistics.median(times), 1),
                "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
                "status": first[1],
                "bytes": first[2],
                "runs": HTML_RUNS,
            }
        )
        print(rows[-1])
    client = Client()
    pdf = [timed(client, f"/publications/{SLUG}.pdf") for _ in range(PDF_RUNS)]
    rows.append(
        {
            "page": "PDF anonyme",
            "first_ms": round(pdf[0][0], 1),
            "p50_ms": round(statistics.median(r[0] for r in pdf), 1),
            "p95_ms": round(max(r[0] for r in pdf), 1),
            "status": pdf[0][1],
            "bytes": pdf[0][2],
            "runs": PDF_RUNS,
        }
    )
    print(rows[-1])
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    with open(RESULTS / "run.jsonl", "a", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps({"at": stamp, **row}) + "\n")
    lines = [
        "# Carnet de 40 blocs (6 cartes vivantes, 60 photos, 60 fiches) — rendu",
        "",
        f"{stamp}, {platform.node()}, Python {platform.python_version()}, in-process "
        "(test client), 2,000 marqueurs publics.",
        "",
        "| page | premier rendu (ms) | p50 (ms) | p95/max (ms) | statut | octets | essais |",
        "|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {r['page']} | {r['first_ms']} | {r['p50_ms']} | {r['p95_ms']} | {r['status']} | "
        f"{r['bytes']} | {r['runs']} |"
        for r in rows
    ]
    (RESULTS / "run.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
