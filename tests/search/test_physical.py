"""Dense full-text matches are read in physical order after a probe of the first blocks,
sparse ones through the GIN index: both give the same candidates (the first visible matches
by position), only visible ones, and the planner settings of the physical read end with it."""

from __future__ import annotations

import secrets

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from observatoire.models import Resource
from search import physical
from search.services import SearchParams, _candidates, matching_of
from tests.conftest import ACTORS
from tests.factories import ResourceFactory
from tests.ui.matrix import make_states
from workgroups.roles import Level

pytestmark = pytest.mark.django_db

LEVELS = [Level.PUBLIC, Level.UTILISATEUR, Level.GROUPE, Level.COMMUNAUTE]


def _spread_over_blocks(cast) -> None:
    """Sixty « Moulin » rows at every sharing level, large enough to fill several blocks."""
    for n in range(60):
        words = " ".join(secrets.token_hex(4) for _ in range(120))
        ResourceFactory(
            title=f"Moulin {n}",
            description=words,
            group=cast.group if n % 3 else cast.other_group,
            author=cast["author"],
            level=LEVELS[n % 4],
            validated_at=timezone.now() if n % 3 else None,
        )


def _block(pk: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (ctid::text::point)[0]::int FROM observatoire_resource WHERE id = %s", [pk]
        )
        return cursor.fetchone()[0]


def _first_visible_moulins(user, count: int) -> list[int]:
    """Ids of the first « Moulin » resources ``user`` sees, by physical position."""
    visible = (
        Resource.objects.visible_to(user)
        .filter(title__startswith="Moulin")
        .extra(select={"position": "ctid"}, order_by=["position"])
        .values_list("pk", flat=True)
    )
    return list(visible)[:count]


@pytest.mark.parametrize("actor", ACTORS)
def test_dense_and_sparse_reads_give_the_first_visible_matches(cast, actor, settings, monkeypatch):
    """A one-block probe then a physical read (dense) and the GIN path (sparse) return the
    same candidates: the first visible matches by position, beyond the probed block."""
    make_states(cast, word="Moulin")
    _spread_over_blocks(cast)
    settings.SPASS = {**settings.SPASS, "SEARCH_MAX_CANDIDATES": 7}
    monkeypatch.setattr(physical, "probe_blocks", lambda: 1)
    user = cast[actor]
    params = SearchParams(q="moulin")
    expected = _first_visible_moulins(user, 7)
    monkeypatch.setattr(physical, "SCAN_MAX_ROWS", 10**9)
    dense = [row["id"] for row in _candidates(matching_of(user, params), params)]
    monkeypatch.setattr(physical, "SCAN_MAX_ROWS", 0)
    sparse = [row["id"] for row in _candidates(matching_of(user, params), params)]
    assert dense == sparse == expected
    assert max(_block(pk) for pk in dense) > 0


def test_physical_read_is_bounded_then_the_index_gives_the_rest(cast, settings, monkeypatch):
    """A probe misled by a dense start of the table: the physical read stops at
    ``scan_stop`` (block 2 here), too early for the cap, and the index query answers; the
    candidates are still the first visible matches."""
    make_states(cast, word="Moulin")
    _spread_over_blocks(cast)
    settings.SPASS = {**settings.SPASS, "SEARCH_MAX_CANDIDATES": 7}
    monkeypatch.setattr(physical, "probe_blocks", lambda: 1)
    monkeypatch.setattr(physical, "dense", lambda found, cap: True)
    monkeypatch.setattr(physical, "SCAN_MAX_ROWS", 2 * physical.PROBE_ROWS)
    user = cast["anonymous"]
    params = SearchParams(q="moulin")
    with CaptureQueriesContext(connection) as captured:
        found = [row["id"] for row in _candidates(matching_of(user, params), params)]
    assert found == _first_visible_moulins(user, 7)
    reads = [q["sql"] for q in captured.captured_queries if "search_vector" in q["sql"]]
    assert "(1,0)'::tid" in reads[1] and "(2,0)'::tid" in reads[1]
    assert "ctid" not in reads[-1]


def _setting(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s)", [name])
        return cursor.fetchone()[0]


def test_physical_order_settings_end_with_the_read():
    """Inside, only physical scans are allowed; after, the same transaction plans normally
    again (the page is then fetched by primary key)."""
    with transaction.atomic():
        with physical.planner(physical.PHYSICAL):
            assert (_setting("enable_indexscan"), _setting("enable_bitmapscan")) == ("off", "off")
            assert _setting("max_parallel_workers_per_gather") == "0"
        assert (_setting("enable_indexscan"), _setting("enable_bitmapscan")) == ("on", "on")
        assert _setting("max_parallel_workers_per_gather") != "0"


def test_sparse_costs_only_for_the_index_read():
    """The GIN read is planned with cached-page costs; the page query after it is not."""
    with transaction.atomic():
        before = (_setting("random_page_cost"), _setting("cpu_index_tuple_cost"))
        with physical.planner(physical.SPARSE):
            assert (_setting("random_page_cost"), _setting("cpu_index_tuple_cost")) == (
                "1.1",
                "0.05",
            )
        assert (_setting("random_page_cost"), _setting("cpu_index_tuple_cost")) == before


def test_sparse_matches_read_with_sparse_costs():
    """A rare word falls back to the index, and that read is the one planned with SPARSE."""
    now = timezone.now()
    shown = ResourceFactory(title="Beffroi d'Arras", level=Level.PUBLIC, validated_at=now)
    ResourceFactory(title="Beffroi de Douai", level=Level.PUBLIC)  # not validated yet
    params = SearchParams(q="beffroi")
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        found = _candidates(matching_of(AnonymousUser(), params), params)
    assert [row["id"] for row in found] == [shown.pk]
    sqls = [q["sql"] for q in captured.captured_queries]
    index_read = max(i for i, sql in enumerate(sqls) if "search_vector" in sql)
    assert "ctid" not in sqls[index_read]
    assert "random_page_cost" in sqls[index_read - 1] and sqls[index_read + 1].startswith("RESET")


def test_probe_density_decides():
    """Found matches among the probed rows predict the rows to read for the cap."""
    rows, limit = physical.PROBE_ROWS, physical.SCAN_MAX_ROWS
    assert physical.dense(found=1000 * rows // limit, cap=1000)
    assert not physical.dense(found=1000 * rows // limit - 1, cap=1000)
    assert not physical.dense(found=0, cap=1000)
