"""Maps and their layers as JSON. Serializers check types and ranges and translate; the rules
(who may, what a layer may be, the sharing workflow) are in :mod:`layers.editor`."""

from __future__ import annotations

import math
from typing import Any

from django.contrib.gis.geos import Point
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from basemaps.models import Basemap
from observatoire.kinds import Base
from workgroups.api.serializers import SHARING_FIELDS, SharingFields, StrictMixin
from workgroups.models import Group

from ..editor import MAX_LAYERS, ZOOM_RANGE, LayerSpec
from ..icons import ICON_CHOICES, ICON_HELP, ICONS
from ..models import OPACITY_RANGE, RADIUS_RANGE, STROKE_RANGE, Layer, Map, MapLayer

_CATEGORY_CHOICES = [("kind", _("type")), ("base", _("base"))]


class LayerStyleSerializer(StrictMixin, serializers.Serializer):
    """How a layer is drawn; every value is optional and has a default."""

    representation = serializers.ChoiceField(choices=Layer.Style.choices, required=False)
    color = serializers.RegexField(
        r"^#[0-9a-fA-F]{6}$",
        required=False,
        error_messages={"invalid": _("Couleur attendue sous la forme #rrggbb.")},
    )
    category = serializers.ChoiceField(choices=_CATEGORY_CHOICES, required=False)
    radius = serializers.IntegerField(
        min_value=RADIUS_RANGE[0], max_value=RADIUS_RANGE[1], required=False
    )
    opacity = serializers.FloatField(
        min_value=OPACITY_RANGE[0], max_value=OPACITY_RANGE[1], required=False
    )
    stroke_width = serializers.FloatField(
        min_value=STROKE_RANGE[0], max_value=STROKE_RANGE[1], required=False
    )
    popup = serializers.ListField(
        child=serializers.ChoiceField(choices=Layer.PopupField.choices),
        required=False,
        max_length=len(Layer.PopupField.choices),
    )
    label = serializers.ChoiceField(
        choices=[("", _("aucune")), *Layer.LabelField.choices],
        required=False,
        allow_blank=True,
        help_text=_("Propriété écrite à côté de chaque objet ; vide : aucune étiquette."),
    )
    icon = serializers.ChoiceField(
        choices=[("", _("aucune")), *ICON_CHOICES],
        required=False,
        allow_blank=True,
        help_text=ICON_HELP,
        error_messages={
            "invalid_choice": _("Icône inconnue : « {input} » (possibles : %(choices)s).")
            % {"choices": ", ".join(ICONS)}
        },
    )


class MapLayerSerializer(StrictMixin, serializers.Serializer):
    """A layer: a base, optional kinds, its CQL2 filter and its style."""

    name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    base = serializers.ChoiceField(choices=Base.choices)
    kind = serializers.CharField(
        required=False,
        allow_null=True,
        max_length=32,
        help_text=_("Un type de la base (ou « kinds » pour plusieurs) ; vide : toute la base."),
    )
    kinds = serializers.ListField(
        child=serializers.CharField(max_length=32), required=False, max_length=20
    )
    filter = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=4000,
        help_text=_("Filtre CQL2 (texte) de la couche, en plus de ses types."),
    )
    cql = serializers.CharField(
        read_only=True, help_text=_("Le filtre CQL2 complet de la couche (types compris).")
    )
    style = LayerStyleSerializer(required=False)

    def to_representation(self, item: Layer | MapLayer) -> dict[str, Any]:
        layer = getattr(item, "layer", item)
        spec = LayerSpec.of(layer)
        return {
            "name": spec.name,
            "base": spec.base,
            "kind": spec.kinds[0] if len(spec.kinds) == 1 else None,
            "kinds": spec.kinds,
            "filter": spec.filter,
            "cql": layer.cql,
            "style": spec.style,
        }


def layer_specs(layers: list[dict[str, Any]]) -> list[LayerSpec]:
    """The validated layers of a request body as the editor's specs."""
    return [
        LayerSpec(
            base=data["base"],
            kinds=([data["kind"]] if data.get("kind") else []) + list(data.get("kinds", [])),
            filter=data.get("filter", ""),
            name=data.get("name", ""),
            style=dict(data.get("style", {})),
        )
        for data in layers
    ]


@extend_schema_field(
    {
        "type": "array",
        "items": {"type": "number"},
        "minItems": 2,
        "maxItems": 2,
        "nullable": True,
        "description": "Centre initial [longitude, latitude] (EPSG:4326), ou null.",
    }
)
class CenterField(serializers.Field):
    default_error_messages = {
        "invalid": _("Centre attendu : [longitude, latitude] en degrés."),
    }

    def to_representation(self, value: Point) -> list[float]:
        return [round(value.x, 6), round(value.y, 6)]

    def to_internal_value(self, data: Any) -> Point:
        if (
            not isinstance(data, list)
            or len(data) != 2
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in data)
        ):
            self.fail("invalid")
        return Point(float(data[0]), float(data[1]), srid=4326)


@extend_schema_field(
    {
        "type": "array",
        "items": {"type": "number"},
        "minItems": 4,
        "maxItems": 4,
        "nullable": True,
        "description": (
            "Emprise initiale [ouest, sud, est, nord] (degrés, EPSG:4326) : la carte s'ouvre "
            "cadrée dessus quelle que soit la taille de l'écran ; null : centre et zoom."
        ),
    }
)
class ExtentField(serializers.Field):
    default_error_messages = {
        "invalid": _("Emprise attendue : [ouest, sud, est, nord], quatre nombres en degrés."),
    }

    def to_representation(self, value: list[float]) -> list[float]:
        return [round(v, 6) for v in value]

    def to_internal_value(self, data: Any) -> list[float]:
        if (
            not isinstance(data, list)
            or len(data) != 4
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in data)
            or not all(math.isfinite(v) for v in data)
        ):
            self.fail("invalid")
        return [float(v) for v in data]  # order and ranges: geo.validation.extent_error


class MapSerializer(StrictMixin, SharingFields, serializers.ModelSerializer):
    """A dynamic map: title, group, layers, basemap, initial view; shared like a resource."""

    group = serializers.SlugRelatedField(slug_field="slug", queryset=Group.objects.all())
    basemap = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Basemap.objects.filter(enabled=True),
        required=False,
        allow_null=True,
        help_text=_("Fond de carte du catalogue (/basemaps/) ; null : le fond par défaut."),
    )
    center = CenterField(required=False, allow_null=True)
    zoom = serializers.FloatField(min_value=ZOOM_RANGE[0], max_value=ZOOM_RANGE[1], required=False)
    extent = ExtentField(required=False, allow_null=True)
    # the map's MapLayer rows, prefetched in order (``MapLayer.Meta.ordering``)
    layers = MapLayerSerializer(source="map_layers", many=True, max_length=MAX_LAYERS, min_length=1)
    url = serializers.SerializerMethodField(help_text=_("La page de la carte."))

    class Meta:
        model = Map
        fields = (
            "slug",
            "url",
            "title",
            "description",
            "layers",
            "basemap",
            "center",
            "zoom",
            "extent",
            *SHARING_FIELDS,
            "created",
            "updated",
        )
        read_only_fields = ("slug",)
        extra_kwargs = {"description": {"required": False}}

    @extend_schema_field(OpenApiTypes.STR)
    def get_url(self, carte: Map) -> str:
        return reverse("layers:viewer", args=[carte.slug])
