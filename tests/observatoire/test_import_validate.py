"""« --validate » at import time: the person who imports validates every row, if they hold
the validate capability in the group; otherwise a clear French error and nothing written."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from observatoire.models import Resource
from tests.importers.conftest import MERIMEE_FILES
from workgroups.roles import Level


def test_animateur_validates_at_import_even_at_group_level(cast, territories, settings, tmp_path):
    settings.SPASS = {**settings.SPASS, "VAR_DIR": tmp_path}
    call_command(
        "import_merimee", str(MERIMEE_FILES["2013"]), "--group", cast.group.slug,
        "--as", cast["animateur"].username, "--level", Level.GROUPE, "--validate", verbosity=0,
    )  # fmt: skip
    rows = Resource.objects.filter(group=cast.group)
    assert rows.exists()
    assert set(rows.values_list("validated_by", flat=True)) == {cast["animateur"].pk}
    assert not rows.filter(validated_at__isnull=True).exists()


def test_contributor_may_not_validate_at_import(cast, territories, settings, tmp_path):
    settings.SPASS = {**settings.SPASS, "VAR_DIR": tmp_path}
    with pytest.raises(CommandError, match=r"n'est pas animateur du groupe .* valider à l'import"):
        call_command(
            "import_merimee", str(MERIMEE_FILES["2013"]), "--group", cast.group.slug,
            "--as", cast["contributeur"].username, "--validate", verbosity=0,
        )  # fmt: skip
    assert not Resource.objects.exists()


def test_web_form_refuses_validate_for_a_non_animateur(client, cast):
    """Staff import into any group, but validate only where they animate."""
    from importers.forms import WebImportForm

    staff = cast["expert"]
    staff.is_staff = True
    staff.save()
    form = WebImportForm(
        {"group": cast.group.pk, "source": "merimee", "validate": "on"}, user=staff
    )
    assert not form.is_valid()
    assert "vous ne pouvez pas valider ses ressources à l'import" in form.errors["validate"][0]
    form = WebImportForm(
        {"group": cast.group.pk, "source": "merimee", "validate": "on"}, user=cast["animateur"]
    )
    form.is_valid()
    assert "validate" not in form.errors
