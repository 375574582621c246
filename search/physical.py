"""Reading the table in physical order, for full-text candidates that are dense.

A candidate query only needs the first ``SEARCH_MAX_CANDIDATES`` visible matches. When a word
matches a large share of the table (« église », « moulin à eau » at 2M rows), reading rows in
order and stopping at the LIMIT costs a few thousand rows, while the GIN index first builds a
bitmap of every match (400 000 entries for « moulin à eau »). PostgreSQL's estimate for several
words assumes they are independent and is often 10× too low, so it picks the bitmap. The
search therefore decides by measuring: the first blocks of the table are read first (the probe,
which already yields candidates), and their density of visible matches predicts how far a
physical read must go. Both ways return the same rows, the lowest physical positions (a
bitmap heap scan visits blocks in order too), unless PostgreSQL runs the index way in parallel.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

#: Rows read by the probe (from the start of the table): 2 000 keep it near 2 ms at 2M rows
#: and still count 20 visible matches where the physical read pays.
PROBE_ROWS = 2000
#: Physical reading is chosen when the probe predicts the cap within this many rows; beyond,
#: the GIN bitmap (proportional to the number of matches, then small) is cheaper.
SCAN_MAX_ROWS = 100_000
#: Planner settings that leave it only the sequential or block-range scan, in one process so
#: rows come in physical order.
PHYSICAL = {
    "enable_bitmapscan": "off",
    "enable_indexscan": "off",
    "max_parallel_workers_per_gather": "0",
}
#: Planner costs for sparse matches read through the GIN index. With the defaults (heap pages
#: priced as disk reads, index entries nearly free) PostgreSQL ANDs the few full-text matches
#: with the bitmap of a wide B-tree of the visibility rule (333 000 entries of
#: ``resource_level_validated`` for an anonymous search at 2M rows: 40 ms), to spare heap
#: reads that cost 2 ms on a cached table. Pages priced as cached (the usual SSD setting) and
#: index entries at their real cost keep such bitmaps for selective indexes only.
SPARSE = {
    "random_page_cost": "1.1",
    "cpu_index_tuple_cost": "0.05",
}


def probe_blocks() -> int:
    """Heap blocks holding about ``PROBE_ROWS`` rows, from the table's statistics."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples, relpages FROM pg_class WHERE oid = 'observatoire_resource'::regclass"
        )
        tuples, pages = cursor.fetchone()
    per_block = tuples / pages if pages > 0 and tuples > 0 else 10
    return max(1, round(PROBE_ROWS / per_block))


def scan_stop(blocks: int) -> int:
    """End block of a physical read of about ``SCAN_MAX_ROWS`` rows, the probe's ``blocks``
    holding ``PROBE_ROWS``: a probe misled by a dense start of the table costs that much."""
    return blocks * SCAN_MAX_ROWS // PROBE_ROWS


def in_blocks(start: int, stop: int | None) -> Q:
    """Rows stored in heap blocks ``start`` (included) to ``stop`` (excluded, None: the end)."""
    bounds = [
        RawSQL(
            '"observatoire_resource"."ctid" >= %s::tid',
            [f"({start},0)"],
            output_field=BooleanField(),
        )
    ]
    if stop is not None:
        bounds.append(
            RawSQL(
                '"observatoire_resource"."ctid" < %s::tid',
                [f"({stop},0)"],
                output_field=BooleanField(),
            )
        )
    return Q(*bounds)


def dense(found: int, cap: int) -> bool:
    """True when ``found`` visible matches among ``PROBE_ROWS`` rows predict the cap within
    ``SCAN_MAX_ROWS`` rows of physical reading."""
    return found * SCAN_MAX_ROWS >= cap * PROBE_ROWS


@contextmanager
def planner(settings: dict[str, str]) -> Iterator[None]:
    """Queries inside are planned with ``settings`` (``PHYSICAL``: read the table in physical
    order; ``SPARSE``: through the GIN index), reset afterwards so the rest of the transaction
    plans normally."""
    assignments = ", ".join("set_config(%s, %s, true)" for _ in settings)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {assignments}", [v for item in settings.items() for v in item])
        try:
            yield
        finally:
            cursor.execute("; ".join(f"RESET {name}" for name in settings))
