"""The versions of what people change together, written by database triggers
(django-pghistory): a bulk import (``COPY`` then ``INSERT … SELECT``), an ``UPDATE`` in raw
SQL or the admin are recorded as surely as a form, which no ``save()`` hook would catch.

Why pghistory: its triggers snapshot the row into a plain table of this app, keyed by the
tracked row's id, and the request's user and the import job ride along as the transaction's
context (``pgh_context``, JSON) with no write of their own. Updates are recorded only when a
tracked column changed (``AnyChange`` over the snapshot's columns, ``updated_at`` left out): an
import re-run over unchanged rows, or a save that changes nothing, writes no version.

Resources are tracked by statement-level triggers (one ``INSERT … SELECT`` from the transition
tables per statement, not one per row) so that a 45,000-row import stays within its budget.
The triggers themselves are declared on the tracked models, so their migrations live in
``observatoire``, ``layers`` and ``workgroups`` (``…_history_triggers``).
"""

from __future__ import annotations

import pghistory
from django.contrib.gis.db.models import GeometryField
from django.db import models

from layers.models import Layer, Map, MapLayer
from observatoire.models import Resource
from workgroups.models import Membership

_CONTEXT = {
    "context_field": pghistory.ContextJSONField(),
    "context_id_field": pghistory.ContextUUIDField(),
    "app_label": "history",
    "abstract": False,
}


#: The label of the second version a change of sharing writes (level, validation): the
#: group's audit reads these, not every edit.
SHARING = "sharing"


def _trackers(statement: bool = False, sharing: bool = False) -> tuple[pghistory.RowEvent, ...]:
    level = pghistory.Statement if statement else pghistory.Row
    extra = (
        (
            pghistory.UpdateEvent(
                SHARING,
                level=level,
                condition=pghistory.AnyChange("level", "validated_at"),
                trigger_name="history_sharing",
            ),
        )
        if sharing
        else ()
    )
    return (
        *extra,
        pghistory.InsertEvent(level=level, trigger_name="history_insert"),
        pghistory.UpdateEvent(
            level=level, condition=pghistory.AnyChange(), trigger_name="history_update"
        ),
        pghistory.DeleteEvent(level=level, trigger_name="history_delete"),
    )


def _unindexed_fk(to: str, null: bool = False) -> models.ForeignKey:
    return models.ForeignKey(
        to,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=null,
        related_name="+",
    )


ResourceEvent = pghistory.create_event_model(
    Resource,
    *_trackers(statement=True, sharing=True),
    # derived columns are left out: they follow the geometry (its change is the version), and
    # reloading the territories re-derives every row without being anyone's edit
    exclude=[
        "geom_mercator",
        "search_vector",
        "updated_at",
        "communes",
        "epcis",
        "departements",
        "regions",
    ],
    model_name="ResourceEvent",
    # an import writes one version per row: only the indexes the pages read (below, and the
    # import job's, for undoing an import), no spatial index
    obj_field=pghistory.ObjForeignKey(db_index=False),
    attrs={
        "geom": GeometryField(srid=4326, null=True, spatial_index=False),
        "author": _unindexed_fk("workgroups.User"),
        "checked_by": _unindexed_fk("workgroups.User", null=True),
        "validated_by": _unindexed_fk("workgroups.User", null=True),
        "group": _unindexed_fk("workgroups.Group"),
    },
    meta={
        "indexes": [
            models.Index(fields=["pgh_obj", "-pgh_id"], name="hist_resource_obj"),
            models.Index(
                fields=["group", "-pgh_id"],
                condition=models.Q(pgh_label=SHARING),
                name="hist_resource_sharing",
            ),
        ]
    },
    **_CONTEXT,
)

MapEvent = pghistory.create_event_model(
    Map,
    *_trackers(sharing=True),
    exclude=["updated_at"],
    model_name="MapEvent",
    meta={
        "indexes": [
            models.Index(fields=["pgh_obj", "-pgh_id"], name="hist_map_obj"),
            models.Index(
                fields=["group", "-pgh_id"],
                condition=models.Q(pgh_label=SHARING),
                name="hist_map_sharing",
            ),
        ]
    },
    **_CONTEXT,
)

LayerEvent = pghistory.create_event_model(Layer, *_trackers(), model_name="LayerEvent", **_CONTEXT)

MapLayerEvent = pghistory.create_event_model(
    MapLayer, *_trackers(), model_name="MapLayerEvent", **_CONTEXT
)

MembershipEvent = pghistory.create_event_model(
    Membership,
    *_trackers(),
    exclude=["updated_at"],
    model_name="MembershipEvent",
    meta={"indexes": [models.Index(fields=["group", "-pgh_id"], name="hist_membership_group")]},
    **_CONTEXT,
)


class GroupAudit(models.Model):
    """One line of a group's audit, read from the view ``history_groupaudit`` (migration
    0002): membership events, and the sharing events of resources and maps."""

    class Kind(models.TextChoices):
        MEMBERSHIP = "membership"
        RESOURCE = "resource"
        MAP = "map"

    uid = models.CharField(primary_key=True, max_length=40)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    label = models.CharField(max_length=32)
    at = models.DateTimeField()
    group_id = models.BigIntegerField()
    obj_id = models.BigIntegerField()
    context = models.JSONField(null=True)
    person_id = models.BigIntegerField(null=True)
    role = models.CharField(max_length=16, null=True)  # noqa: DJ001 (a view: other kinds' columns)
    state = models.CharField(max_length=16, null=True)  # noqa: DJ001 (a view: other kinds' columns)
    level = models.CharField(max_length=16, null=True)  # noqa: DJ001 (a view: other kinds' columns)
    validated_at = models.DateTimeField(null=True)
    title = models.CharField(max_length=255, null=True)  # noqa: DJ001 (a view: other kinds' columns)

    class Meta:
        managed = False
        db_table = "history_groupaudit"

    def __str__(self) -> str:
        return f"{self.kind} {self.label} {self.at:%Y-%m-%d %H:%M}"
