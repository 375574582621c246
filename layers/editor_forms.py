"""The map editor's forms: the map (title, group, basemap, initial view) and one form per
layer (base and kinds, the viewer's filter panel, the layer's CQL2 text, its style).

A layer has **one CQL2 filter**. The panel composes it (:class:`layers.filters.SimpleFilter`,
as in the viewer) and the text shows it; a person may type the text instead. The hidden
``composed`` field holds the text as the panel last composed it: when the submitted text
differs from it, the person typed it and the text is the truth (the panel is read back from
it with :func:`layers.filters.from_cql2`); otherwise the panel is. This works the same with or
without JavaScript, which only keeps both sides in step while one types.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from basemaps.models import Basemap
from geo.codes import territory_label
from geo.validation import extent_error
from observatoire.kinds import KINDS_OF_BASE, Base, Kind
from workgroups.models import Group

from .editor import MAX_LAYERS, STYLE_FIELDS, ZOOM_RANGE, LayerSpec
from .filters import SimpleFilter, combine, from_cql2
from .forms import FilterForm
from .icons import ICON_CHOICES, ICON_HELP, icon_url
from .models import OPACITY_RANGE, RADIUS_RANGE, STROKE_RANGE, Layer

#: The panel's fields (the viewer's, without bases and kinds: a layer chooses those itself).
PANEL_FIELDS = (
    "groups",
    "themes",
    "date_from",
    "date_to",
    "territory",
    "text",
    "heritage",
    "advanced",
)
#: The spec's names of errors (:func:`layers.editor.build_layer`) → this form's fields.
ERROR_FIELDS = {"filter": "cql", "kind": "kinds", **{f"style.{n}": n for n in STYLE_FIELDS}}


def panel_cql(data: dict[str, Any]) -> str:
    """The CQL2 the panel's cleaned values compose."""
    return SimpleFilter(**{name: data.get(name) or _empty(name) for name in PANEL_FIELDS}).to_cql2()


def _empty(name: str) -> Any:
    if name in ("groups", "themes"):
        return []
    return None if name.startswith("date") or name == "heritage" else ""


def read_back(text: str) -> SimpleFilter:
    """The panel's values read back from a layer's CQL2 text; kinds and bases it names stay in
    the advanced part (the layer's own kinds are chosen above the panel)."""
    simple = from_cql2(text)
    kinds_and_bases = SimpleFilter(bases=simple.bases, kinds=simple.kinds).to_cql2()
    simple.advanced = combine(kinds_and_bases, simple.advanced)
    simple.bases, simple.kinds = [], []
    return simple


def panel_of(text: str) -> dict[str, Any]:
    """The panel's form values for a layer's CQL2 text."""
    simple = read_back(text)
    values = {name: getattr(simple, name) for name in PANEL_FIELDS}
    values["themes"] = ", ".join(simple.themes)
    values["territory"] = territory_label(simple.territory)  # « Lille (59350) », not 59350
    return values


def _bounded(label, bounds: tuple[float, float], initial: float, step: str) -> forms.Field:
    """A number field between ``bounds`` (the model's), whole when ``step`` is."""
    field = forms.IntegerField if step == "1" else forms.FloatField
    return field(
        label=label,
        min_value=bounds[0],
        max_value=bounds[1],
        initial=initial,
        widget=forms.NumberInput(attrs={"step": step}),
    )


class IconSelect(forms.Select):
    """The icons' select; each option carries its SVG's address, for the preview beside it."""

    def create_option(self, name, value, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        if value:
            option["attrs"]["data-icone"] = icon_url(str(value))
        return option


class LayerForm(FilterForm):
    """One layer of the editor; ``spec()`` gives it to :mod:`layers.editor`."""

    name = forms.CharField(
        label=_("Nom de la couche"),
        required=False,
        max_length=200,
        help_text=_("Affiché dans la légende ; vide : la base et ses types."),
    )
    base = forms.ChoiceField(label=_("Base"), choices=Base.choices)
    cql = forms.CharField(
        label=_("Filtre CQL2 de la couche"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text=_(
            "Composé par les champs ci-dessus ; vous pouvez aussi l'écrire vous-même, "
            "les champs se mettent alors à jour."
        ),
    )
    composed = forms.CharField(required=False, widget=forms.HiddenInput)
    representation = forms.ChoiceField(
        label=_("Représentation"), choices=Layer.Style.choices, initial=Layer.Style.MARKERS
    )
    color = forms.RegexField(
        label=_("Couleur (regroupements, chaleur, couche d'une seule couleur)"),
        regex=r"^#[0-9a-fA-F]{6}$",
        initial="#c0392b",
        widget=forms.TextInput(attrs={"type": "color"}),
        error_messages={"invalid": _("Couleur attendue sous la forme #rrggbb.")},
    )
    category = forms.ChoiceField(
        label=_("Couleur des marqueurs selon"),
        choices=[("kind", _("le type")), ("base", _("la base"))],
        initial="kind",
    )
    radius = _bounded(_("Taille des points (pixels)"), RADIUS_RANGE, 6, step="1")
    opacity = _bounded(_("Opacité (0,1 à 1)"), OPACITY_RANGE, 0.8, step="0.1")
    stroke_width = _bounded(_("Épaisseur des traits (pixels)"), STROKE_RANGE, 2, step="0.5")
    popup = forms.MultipleChoiceField(
        label=_("La bulle d'un objet montre aussi"),
        choices=Layer.PopupField.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    label = forms.ChoiceField(
        label=_("Étiquette à côté des objets (à partir du zoom 11)"),
        choices=[("", _("aucune")), *Layer.LabelField.choices],
        required=False,
    )
    icon = forms.ChoiceField(
        label=_("Icône des marqueurs"),
        choices=[("", _("aucune : le point rond")), *ICON_CHOICES],
        required=False,
        widget=IconSelect,
        help_text=ICON_HELP,
    )

    field_order = [
        "base",
        "kinds",
        "name",
        *PANEL_FIELDS,
        "cql",
        "composed",
        "representation",
        "color",
        "category",
        "radius",
        "opacity",
        "stroke_width",
        "popup",
        "label",
        "icon",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["bases"]
        self.fields["kinds"].label = _("Types (aucun coché : toute la base)")
        self.fields["kinds"].choices = [
            (kind, f"{Base(base).label} · {Kind(kind).label}")
            for base, kinds in KINDS_OF_BASE.items()
            for kind in kinds
        ]
        self.order_fields(self.field_order)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        typed = (data.get("cql") or "").strip()
        if typed and typed != (data.get("composed") or "").strip():
            data["filter"] = typed  # the person wrote the text: it is the truth
        else:
            data["filter"] = panel_cql(data)
        return data

    def spec(self) -> LayerSpec:
        data = self.cleaned_data
        return LayerSpec(
            base=data["base"],
            kinds=list(data.get("kinds") or []),
            filter=data["filter"],
            name=data.get("name", ""),
            style={name: data.get(name) for name in STYLE_FIELDS},
        )

    def add_spec_errors(self, error: ValidationError) -> None:
        """The errors of :func:`layers.editor.build_layer`, on the fields that caused them."""
        for name, messages in error.message_dict.items():
            field = ERROR_FIELDS.get(name, name)
            for message in messages:
                self.add_error(field if field in self.fields else None, message)

    @classmethod
    def initial_of(cls, spec: LayerSpec) -> dict[str, Any]:
        """A saved layer as the form's initial values (the panel read back from its text)."""
        return {
            "base": spec.base,
            "kinds": spec.kinds,
            "name": spec.name,
            **panel_of(spec.filter),
            "cql": spec.filter,
            "composed": spec.filter,
            **{name: value for name, value in spec.style.items()},
        }


class BaseLayerFormSet(forms.BaseFormSet):
    ordering_widget = forms.NumberInput(attrs={"min": 1, "max": MAX_LAYERS, "class": "position"})

    def kept(self) -> list[LayerForm]:
        """The layer forms not marked « Retirer », each validated (``errors`` cleans it), in
        the order of their « Position » fields (the first is drawn at the bottom of the map
        and listed first in the legend); a position left empty keeps the form's place."""
        forms_kept = [
            form
            for form in self.forms
            if form.errors is not None and not getattr(form, "cleaned_data", {}).get("DELETE")
        ]

        def position(indexed: tuple[int, LayerForm]) -> tuple[float, int]:
            index, form = indexed
            order = getattr(form, "cleaned_data", {}).get("ORDER")
            return (order if order is not None else index + 1, index)

        return [form for _index, form in sorted(enumerate(forms_kept), key=position)]

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        form.fields["ORDER"].label = _("Position de la couche")
        if index is not None:
            form.fields["ORDER"].initial = index + 1


LayerFormSet = forms.formset_factory(
    LayerForm,
    formset=BaseLayerFormSet,
    extra=0,
    min_num=1,
    max_num=MAX_LAYERS,
    validate_min=True,
    validate_max=True,
    can_delete=True,
    can_order=True,
)


#: The initial extent's four fields, in the order of an extent (west, south, east, north).
EXTENT_FIELDS = ("extent_west", "extent_south", "extent_east", "extent_north")


def _degrees(label, bound: float) -> forms.FloatField:
    return forms.FloatField(
        label=label,
        required=False,
        min_value=-bound,
        max_value=bound,
        widget=forms.NumberInput(attrs={"step": "any"}),
    )


class MapForm(forms.Form):
    """The map itself: title, description, group (when new), basemap, initial view."""

    title = forms.CharField(label=_("Titre"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    group = forms.ModelChoiceField(
        label=_("Groupe"),
        queryset=Group.objects.none(),
        help_text=_("La carte appartient à ce groupe et suit ses règles de partage."),
    )
    basemap = forms.ModelChoiceField(
        label=_("Fond de carte"),
        queryset=Basemap.objects.filter(enabled=True).order_by("name"),
        required=False,
        empty_label=_("Le fond par défaut du catalogue"),
    )
    center_lon = forms.FloatField(
        label=_("Longitude du centre"), required=False, min_value=-180, max_value=180
    )
    center_lat = forms.FloatField(
        label=_("Latitude du centre"), required=False, min_value=-90, max_value=90
    )
    zoom = forms.FloatField(
        label=_("Zoom initial"),
        min_value=ZOOM_RANGE[0],
        max_value=ZOOM_RANGE[1],
        initial=8,
        widget=forms.NumberInput(attrs={"step": "0.1"}),
    )
    extent_west = _degrees(_("Ouest (longitude)"), 180)
    extent_south = _degrees(_("Sud (latitude)"), 90)
    extent_east = _degrees(_("Est (longitude)"), 180)
    extent_north = _degrees(_("Nord (latitude)"), 90)

    def __init__(self, *args: Any, groups=None, **kwargs: Any) -> None:
        """``groups``: where the person may make a map; ``None`` when editing (a map keeps
        its group)."""
        super().__init__(*args, **kwargs)
        if groups is None:
            del self.fields["group"]
        else:
            self.fields["group"].queryset = groups

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (data.get("center_lon") is None) != (data.get("center_lat") is None):
            self.add_error("center_lat", _("Donnez la longitude et la latitude, ou aucune."))
        given = [data.get(name) for name in EXTENT_FIELDS]
        if any(name in self.errors for name in EXTENT_FIELDS):
            pass  # a bound out of range says so on its own field
        elif any(v is None for v in given) and any(v is not None for v in given):
            self.add_error("extent_north", _("Donnez les quatre bords de l'emprise, ou aucun."))
        elif None not in given and (message := extent_error(given)):
            self.add_error("extent_north", message)
        return data

    def extent(self) -> list[float] | None:
        values = [self.cleaned_data.get(name) for name in EXTENT_FIELDS]
        return None if None in values else values

    @staticmethod
    def extent_initial(extent: list[float] | None) -> dict[str, float | None]:
        """A map's extent as the four fields' initial values."""
        return (
            {name: round(v, 6) for name, v in zip(EXTENT_FIELDS, extent, strict=True)}
            if extent
            else {}
        )

    def map_fields(self) -> dict[str, Any]:
        """The values :mod:`layers.editor` takes."""
        data = self.cleaned_data
        lon, lat = data.get("center_lon"), data.get("center_lat")
        return {
            "title": data["title"],
            "description": data.get("description", ""),
            "basemap": data.get("basemap"),
            "center": Point(lon, lat, srid=4326) if lon is not None and lat is not None else None,
            "zoom": data["zoom"],
            "extent": self.extent(),
        }
