"""Fixtures of the importer tests: real sample files read in place, a heritage group."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from workgroups.roles import Role

from ..factories import GroupFactory, MembershipFactory, UserFactory

#: the real sample data, read in place (``../shared/data`` beside the project)
DATA = Path(
    os.environ.get("SPASS_SAMPLE_DATA")
    or Path(__file__).resolve().parents[2].parent / "shared" / "data"
)
MERIMEE = DATA / "merimee"
ARCHIRES = DATA / "archires"
MERIMEE_FILES = {
    "2013": MERIMEE / "1_datagouv_2013_latin1_semicolon" / "merimee-MH-10.csv",
    "2017": MERIMEE / "2_datagouv_2017_pipe_popcodes" / "merimee-MH-valid_extract.csv",
    "2017zip": MERIMEE / "2_datagouv_2017_pipe_popcodes" / "merimee-MH.csv.zip",
    "2022": MERIMEE
    / "3_dataculture_2022_labels_semicolon"
    / "liste-des-immeubles-proteges-au-titre-des-monuments-historiques_bas-rhin.csv",
    "2022-12": MERIMEE
    / "4_dataculture_2022-12_snakecase_semicolon"
    / "immeubles-proteges-au-titre-des-monuments-historiques_isere.csv",
    "toulouse": MERIMEE / "5_inventaire_toulouse_geojson" / "base-merimee_toulouse.geojson",
    "paris": MERIMEE / "6_derived_paris_points_geojson" / "monuments_paris.geojson",
}
SUMMARY = re.compile(
    r"^read=(\d+) created=(\d+) updated=(\d+) unchanged=(\d+) rejected=(\d+) warnings=(\d+)"
    r" conflicts=(\d+)$"
)


@pytest.fixture(autouse=True)
def _reports_in_tmp(settings, tmp_path):
    """Reports are written under a temporary VAR_DIR."""
    settings.SPASS = {**settings.SPASS, "VAR_DIR": tmp_path}


@pytest.fixture
def heritage_group(db):
    """A group with an animateur ``anim`` (the default author) and a contributeur ``contrib``;
    without the territories, for files that name no commune (a transactional test then
    flushes nothing it has to reload)."""
    group = GroupFactory(slug="patrimoine", name="Patrimoine")
    animateur = MembershipFactory(
        group=group, role=Role.ANIMATEUR, user=UserFactory(username="anim")
    ).user
    MembershipFactory(group=group, role=Role.CONTRIBUTEUR, user=UserFactory(username="contrib"))
    return group, animateur


@pytest.fixture
def heritage(heritage_group, territories):
    """The heritage group, with the territories its files' communes are checked against."""
    return heritage_group


def run_command(name: str, *args: str) -> tuple[dict[str, int], Path]:
    """Run an import command; returns its summary counts and its report path."""
    out = io.StringIO()
    call_command(name, *args, stdout=out, verbosity=0)
    lines = out.getvalue().strip().splitlines()
    match = SUMMARY.match(lines[-2])
    assert match, lines
    keys = ("read", "created", "updated", "unchanged", "rejected", "warnings", "conflicts")
    return dict(zip(keys, map(int, match.groups()), strict=True)), Path(lines[-1])
