"""The web import's steps as JSON: what a script sends, what the page and scripts read."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from geo.crs import OFFERED_CRS, UnknownCRS, crs_of
from observatoire.kinds import Kind
from workgroups.models import Group
from workgroups.roles import Level

from ..mapping import ColumnMapping, MappingError
from ..models import ImportJob, MappingProfile
from ..sources.ogr_file import Layout
from ..web import job_state


class MappingField(serializers.JSONField):
    """A ``ColumnMapping`` in its JSON form (an object, or its text in a query string)."""

    def to_internal_value(self, data: Any) -> ColumnMapping:
        try:
            return ColumnMapping.from_json(data)
        except MappingError as exc:
            raise serializers.ValidationError(exc.message) from None


class CRSField(serializers.IntegerField):
    """An EPSG code PROJ knows."""

    def to_internal_value(self, data: Any) -> int:
        code = super().to_internal_value(data)
        try:
            crs_of(code)
        except UnknownCRS as exc:
            raise serializers.ValidationError(exc.message) from None
        return code


class GroupField(serializers.Field):
    """A group by its slug (or its id, a JSON number, as the page's form holds it)."""

    def to_internal_value(self, data: Any) -> Group:
        lookup = {"pk": data} if isinstance(data, int) else {"slug": str(data)}
        group = Group.objects.filter(**lookup).first()
        if group is None:
            raise serializers.ValidationError(_("Groupe inconnu : « %(g)s ».") % {"g": data})
        return group

    def to_representation(self, value: Group) -> str:
        return value.slug


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField(label=_("Fichier (ou archive .zip le contenant)"))


class PreviewSerializer(serializers.Serializer):
    mapping = MappingField(required=False, help_text=_("{cible: colonne, ignore: […]}"))
    kind = serializers.ChoiceField(choices=Kind.choices, default=Kind.MARQUEUR)
    layer = serializers.CharField(required=False, allow_blank=True, default="")
    crs = CRSField(required=False, allow_null=True, default=None)


class RunSerializer(PreviewSerializer):
    kind = serializers.ChoiceField(choices=Kind.choices)
    group = GroupField()
    profile = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=MappingProfile._meta.get_field("name").max_length,
        help_text=_(
            "Nom sous lequel enregistrer la correspondance pour le groupe ; sans "
            "« mapping », la correspondance de ce profil."
        ),
    )
    level = serializers.ChoiceField(
        choices=Level.choices, required=False, allow_blank=True, default=""
    )
    validate = serializers.BooleanField(required=False, default=False)
    dry_run = serializers.BooleanField(required=False, default=False)


def layout_data(layout: Layout) -> dict[str, Any]:
    """Layers, CRS (detected, and the ones offered first) and columns with sample values."""
    return {
        "layers": layout.layers,
        "layer": layout.layer,
        "geometry_type": layout.geometry_type,
        "count": layout.count,
        "crs": {
            "detected": layout.srid,
            "offered": [{"code": code, "label": str(label)} for code, label in OFFERED_CRS],
        },
        "columns": [{"name": c, "samples": layout.samples.get(c, [])} for c in layout.columns],
    }


def job_data(job: ImportJob) -> dict[str, Any]:
    return {
        **job_state(job),
        "file_name": job.file_name,
        "group": job.group.slug if job.group else None,
    }


def draft_data(
    job: ImportJob, layout: Layout, suggested: ColumnMapping, profiles: list[MappingProfile]
) -> dict[str, Any]:
    return {
        **job_data(job),
        **layout_data(layout),
        "suggested_mapping": suggested.to_json(),
        "profiles": [
            {
                "name": p.name,
                "group": p.group.slug,
                "group_name": p.group.name,
                "mapping": p.mapping,
            }
            for p in profiles
        ],
    }
