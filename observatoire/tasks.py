"""Background jobs of the resource bases, run by ``manage.py procrastinate worker``."""

from __future__ import annotations

from procrastinate.contrib.django import app

from .bulk import execute
from .models import BulkAction


@app.task(name="observatoire.run_bulk_action", queue="moderation")
def run_bulk_action(bulk_id: int) -> None:
    """Run a bulk action of more than ``bulk.BACKGROUND_ABOVE`` rows; its row holds the
    progress the page shows."""
    bulk = BulkAction.objects.select_related("actor").filter(pk=bulk_id).first()
    if bulk is not None and bulk.status == BulkAction.Status.PENDING:
        execute(bulk)
