"""Making and changing maps: create, update, duplicate, delete, share, validate.

The editor pages and ``/api/v1/maps/`` both call these functions, which check the actor's
rights through :mod:`workgroups.sharing` (the one workflow of every shared object: a map
follows the resources' levels and first-share validation), validate every layer before
anything is written, and write atomically. A layer is given as a :class:`LayerSpec`: a base,
optional kinds, the layer's **one CQL2 filter** (the editor's panel compiles to it) and its
style; the filter is kept as text in ``Layer.advanced_filter`` so that what the person typed
is what every channel applies.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from basemaps.models import Basemap
from geo.validation import extent_error
from observatoire.kinds import KINDS_OF_BASE, Base, Kind
from workgroups import sharing
from workgroups.errors import NotAllowed
from workgroups.models import Group, User
from workgroups.permissions import can
from workgroups.roles import Capability, Level
from workgroups.slugs import free_slug
from workgroups.visibility import groups_where

from .models import Layer, Map, MapLayer

#: Map fields a person writes directly; group, level and validation have their own rules.
MAP_FIELDS = ("title", "description", "basemap", "center", "zoom", "extent")
#: Style values of a layer: the API's name → the model field.
STYLE_FIELDS = {
    "representation": "style",
    "color": "color",
    "category": "category_property",
    "radius": "radius",
    "opacity": "opacity",
    "stroke_width": "stroke_width",
    "popup": "popup_fields",
    "label": "label_field",
    "icon": "icon",
}
#: A layer's model field → the name people use for it (errors name what they typed).
SPEC_NAMES = {
    "advanced_filter": "filter",
    "kinds": "kind",
    "base": "base",
    "name": "name",
    **{model: f"style.{name}" for name, model in STYLE_FIELDS.items()},
}
MAX_LAYERS = 10
#: Words of the maps' addresses that no map may take (``/cartes/nouvelle/``…).
RESERVED_SLUGS = frozenset({"nouvelle", "apercu"})
ZOOM_RANGE = (0.0, 22.0)
#: How the sharing workflow words its refusals for a map.
REFUSALS = {
    "share": gettext_lazy("Seul l'auteur (contributeur du groupe) peut partager sa carte."),
    "validate": gettext_lazy("Seul un animateur du groupe peut valider une carte."),
    "waiting": gettext_lazy(
        "Cette carte n'attend pas de validation (déjà validée ou non partagée au-delà du groupe)."
    ),
}


@dataclass
class LayerSpec:
    """A layer as the editor and the API describe it."""

    base: str
    kinds: list[str] = field(default_factory=list)
    filter: str = ""
    name: str = ""
    style: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, layer: Layer) -> LayerSpec:
        """The spec of a saved layer (an admin-made one included: its simple fields are
        composed into the filter text)."""
        return cls(
            base=layer.base,
            kinds=list(layer.kinds),
            filter=filter_text(layer),
            name=layer.name,
            style={name: getattr(layer, model) for name, model in STYLE_FIELDS.items()},
        )


def filter_text(layer: Layer) -> str:
    """The layer's CQL2 filter besides its kinds (those are the layer's own choice)."""
    simple = layer.simple_filter()
    simple.kinds = []
    return simple.to_cql2()


def _default_name(base: str, kinds: list[str]) -> str:
    label = str(Base(base).label)
    if kinds:
        label += " — " + ", ".join(str(Kind(k).label) for k in kinds)
    return label[:200]


def build_layer(spec: LayerSpec) -> Layer:
    """An unsaved, validated :class:`Layer`; a ``ValidationError`` keyed by the spec's names
    (``base``, ``kind``, ``filter``, ``style.radius``…) otherwise."""
    if spec.base not in Base.values:
        raise ValidationError(
            {
                "base": _("Base inconnue : « %(base)s » (possibles : %(choices)s).")
                % {"base": spec.base, "choices": ", ".join(Base.values)}
            }
        )
    allowed = KINDS_OF_BASE[spec.base]
    wrong = [k for k in spec.kinds if k not in allowed]
    if wrong:
        raise ValidationError(
            {
                "kind": _(
                    "Type inconnu dans la base %(base)s : « %(kinds)s » (possibles : %(choices)s)."
                )
                % {
                    "base": Base(spec.base).label,
                    "kinds": ", ".join(map(str, wrong)),
                    "choices": ", ".join(allowed),
                }
            }
        )
    style = dict(spec.style or {})
    unknown = sorted(set(style) - set(STYLE_FIELDS))
    if unknown:
        raise ValidationError(
            {
                f"style.{name}": _("Propriété de style inconnue (possibles : %(choices)s).")
                % {"choices": ", ".join(STYLE_FIELDS)}
                for name in unknown
            }
        )
    values = {STYLE_FIELDS[name]: value for name, value in style.items() if value is not None}
    layer = Layer(
        name=(spec.name or "").strip() or _default_name(spec.base, spec.kinds),
        base=spec.base,
        kinds=list(dict.fromkeys(spec.kinds)),
        advanced_filter=(spec.filter or "").strip(),
        **values,
    )
    try:
        layer.full_clean()
    except ValidationError as exc:
        raise ValidationError(
            {SPEC_NAMES.get(name, name): messages for name, messages in exc.message_dict.items()}
        ) from exc
    return layer


def build_layers(specs: Iterable[LayerSpec]) -> list[Layer]:
    """Every layer validated before any is written; errors name the layer by its rank."""
    specs = list(specs)
    if not specs:
        raise ValidationError({"layers": _("Une carte montre au moins une couche.")})
    if len(specs) > MAX_LAYERS:
        raise ValidationError(
            {"layers": _("Une carte montre au plus %(n)s couches.") % {"n": MAX_LAYERS}}
        )
    layers, errors = [], []
    for rank, spec in enumerate(specs, start=1):
        try:
            layers.append(build_layer(spec))
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errors.extend(
                    _("Couche %(rank)s, %(field)s : %(message)s")
                    % {"rank": rank, "field": name, "message": message}
                    for message in messages
                )
    if errors:
        raise ValidationError({"layers": errors})
    return layers


def _check_map_fields(fields: Mapping[str, Any]) -> None:
    errors = {}
    zoom = fields.get("zoom")
    if zoom is not None and not ZOOM_RANGE[0] <= float(zoom) <= ZOOM_RANGE[1]:
        errors["zoom"] = _("Le zoom va de %(low)s à %(high)s.") % {
            "low": int(ZOOM_RANGE[0]),
            "high": int(ZOOM_RANGE[1]),
        }
    center = fields.get("center")
    if center is not None and not (-180 <= center.x <= 180 and -90 <= center.y <= 90):
        errors["center"] = _("Le centre est une longitude (-180 à 180) et une latitude (-90 à 90).")
    extent = fields.get("extent")
    if extent is not None and (message := extent_error(extent)):
        errors["extent"] = message
    if errors:
        raise ValidationError(errors)


def _attach(carte: Map, layers: list[Layer]) -> None:
    """Replace the map's layers by ``layers`` (saved here); layers no other map shows go."""
    old = list(carte.map_layers.values_list("layer_id", flat=True))
    carte.map_layers.all().delete()
    Layer.objects.filter(pk__in=old, maps__isnull=True).delete()
    for position, layer in enumerate(layers):
        layer.save()
        MapLayer.objects.create(map=carte, layer=layer, position=position)


def _require_create(actor: User, group: Group) -> None:
    if not can(actor, group, Capability.CREATE):
        raise NotAllowed(
            _("Il faut être contributeur du groupe « %(group)s » pour y créer une carte.")
            % {"group": group.name}
        )


@transaction.atomic
def create_map(
    actor: User,
    group: Group,
    *,
    title: str,
    layers: Iterable[LayerSpec],
    level: str = Level.UTILISATEUR,
    description: str = "",
    basemap: Basemap | None = None,
    center: Point | None = None,
    zoom: float = 8,
    extent: list[float] | None = None,
) -> Map:
    """A new map of ``group`` by ``actor`` (contributeur+ there), private unless ``level``
    says otherwise (beyond the group it waits for an animateur, as a resource does)."""
    _require_create(actor, group)
    built = build_layers(layers)
    fields = {
        "description": description,
        "basemap": basemap,
        "center": center,
        "zoom": zoom,
        "extent": extent,
    }
    _check_map_fields(fields)
    carte = Map(group=group, author=actor, title=(title or "").strip(), **fields)
    carte.slug = free_slug(Map.objects, carte.title, default="carte", reserved=RESERVED_SLUGS)
    sharing.apply_level(actor, carte, level)
    carte.full_clean()
    carte.save()
    _attach(carte, built)
    sharing.announce_waiting(actor, carte)
    return carte


@transaction.atomic
def update_map(
    actor: User,
    carte: Map,
    changes: Mapping[str, Any],
    layers: Iterable[LayerSpec] | None = None,
) -> Map:
    """Change a map ``actor`` may edit (its author, the group's animateurs); ``layers``, when
    given, replace the map's. Only the author changes the level (:func:`sharing.update`)."""
    if not sharing.may_edit(actor, carte):
        raise NotAllowed(_("Seuls l'auteur et les animateurs du groupe modifient cette carte."))
    built = build_layers(layers) if layers is not None else None
    _check_map_fields(changes)
    sharing.update(actor, carte, dict(changes), editable=MAP_FIELDS)
    if built is not None:
        _attach(carte, built)
    return carte


def delete_map(actor: User, carte: Map) -> None:
    """Delete the map and the layers no other map shows."""
    with transaction.atomic():
        layer_ids = list(carte.map_layers.values_list("layer_id", flat=True))
        sharing.delete(
            actor,
            carte,
            refusal=_("Seuls l'auteur et les animateurs du groupe suppriment cette carte."),
        )
        Layer.objects.filter(pk__in=layer_ids, maps__isnull=True).delete()


@transaction.atomic
def duplicate_map(actor: User, carte: Map, group: Group | None = None) -> Map:
    """A private copy of a map ``actor`` sees, by ``actor``, in ``group`` (default: the
    map's own), where they must be contributeur+."""
    return create_map(
        actor,
        group or carte.group,
        title=_("Copie de %(title)s") % {"title": carte.title},
        layers=[LayerSpec.of(layer) for layer in carte.ordered_layers()],
        description=carte.description,
        basemap=carte.basemap,
        center=carte.center,
        zoom=carte.zoom,
        extent=carte.extent,
    )


def share_map(actor: User, carte: Map, level: str) -> Map:
    """The author moves the map between levels (first share beyond the group: validation)."""
    return sharing.share(actor, carte, level, refusal=str(REFUSALS["share"]))


def validate_map(actor: User, carte: Map) -> Map:
    """An animateur of the group validates a map shared beyond the group."""
    return sharing.validate(
        actor, carte, not_animateur=str(REFUSALS["validate"]), not_waiting=str(REFUSALS["waiting"])
    )


def groups_for_maps(actor: User):
    """The groups where ``actor`` may make a map (contributeur+), by name."""
    return Group.objects.filter(pk__in=groups_where(actor, Capability.CREATE)).order_by("name")
