"""Summaries of the resource table that PostgreSQL keeps equal to it, for other apps to read.

The triggers that write them are in ``observatoire/sql/triggers.sql``, next to the table they
summarise: a renamed column of :class:`~observatoire.models.Resource` is fixed in this app
only. ``tiles/`` reads the cluster cells, ``search/`` the words of titles
(``observatoire_title_word``, a plain table of that file); neither writes them.
"""

from __future__ import annotations

from django.db import models

from workgroups.visibility import SharedQuerySet

#: Grid levels kept in the cluster cells (also written in the trigger's SQL).
CELL_ZOOMS = (11, 14)


class ClusterCell(models.Model):
    """Per-cell counts of resources, for clusters at low zoom.

    Counting 2M points for one z6 tile takes seconds; summing the counts of their grid cells
    takes milliseconds. A row counts the resources of one cell of the Web Mercator grid at
    ``zoom`` (the cluster cells of tiles ``zoom - 5`` and below) sharing base, kind, level and
    validation: the columns the anonymous visibility rule reads. So
    ``ClusterCell.objects.visible_to(user)`` applies the very same rule; when the rule or a
    filter needs a column not here (author, group, dates, CQL on titles…) it cannot be
    compiled on this model and tiles fall back to the rows themselves.
    """

    zoom = models.SmallIntegerField()
    cx = models.IntegerField()
    cy = models.IntegerField()
    base = models.CharField(max_length=16)
    kind = models.CharField(max_length=32)
    level = models.CharField(max_length=16)
    #: NULL when not validated, else the epoch (only "validated or not" matters here).
    validated_at = models.DateTimeField(null=True)
    count = models.IntegerField()
    sum_lon = models.FloatField()
    sum_lat = models.FloatField()

    objects = SharedQuerySet.as_manager()

    class Meta:
        constraints = [
            # named by the trigger's upsert (ON CONFLICT ON CONSTRAINT)
            models.UniqueConstraint(
                fields=["zoom", "cx", "cy", "base", "kind", "level", "validated_at"],
                nulls_distinct=False,
                name="clustercell_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.zoom}/{self.cx}/{self.cy} {self.kind}: {self.count}"
