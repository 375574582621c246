"""The resource table has one owner: its DDL lives in ``observatoire/`` and the models say
everything Django can express about it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


def test_no_migration_outside_observatoire_names_the_resource_table():
    """Other apps read the resource table; none of their migrations alters it."""
    offenders = [
        str(path.relative_to(ROOT))
        for path in ROOT.glob("*/migrations/*.py")
        if path.parts[-3] != "observatoire" and "observatoire_resource" in path.read_text()
    ]
    assert offenders == []
    assert any("observatoire_resource" in p.read_text() for p in ROOT.glob("observatoire/sql/*"))


@pytest.mark.django_db
def test_models_and_migrations_agree():
    """``makemigrations --check``: no field, index or table declared but not migrated."""
    out = io.StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()
