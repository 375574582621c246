"""Web forms of resources: the choice of group and kind, then a form built from the kind's
JSON schema. Forms only parse; the services check rights and validate the whole resource."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib.gis.geos import GEOSException, GEOSGeometry, Point
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from geo.codes import UnknownTerritory, resolve_territory
from workgroups.models import Group, User
from workgroups.roles import Capability, Level
from workgroups.visibility import groups_where

from .attachments import ACCEPTED_EXTENSIONS
from .kinds import BASE_HELP, BASE_OF_KIND, KIND_HELP, KINDS_OF_BASE, Base, Kind
from .models import Resource
from .schemas import KIND_SCHEMAS, TERRITORY_ATTRIBUTES

LEVEL_HELP = {
    Level.UTILISATEUR: _l("Vous seul voyez la ressource."),
    Level.GROUPE: _l("Les membres du groupe la voient."),
    Level.COMMUNAUTE: _l(
        "Toute personne inscrite la verra, après validation par un animateur du groupe."
    ),
    Level.PUBLIC: _l("Tout le monde la verra, après validation par un animateur du groupe."),
}


def contributor_groups(user: User):
    """Groups where ``user`` may add resources (contributeur or more, active)."""
    return Group.objects.filter(id__in=groups_where(user, Capability.CREATE))


def kind_choices_by_base() -> list[dict[str, Any]]:
    """Bases with their help and kinds with theirs, for the choice page."""
    return [
        {
            "value": base,
            "label": Base(base).label,
            "help": BASE_HELP[base],
            "kinds": [
                {"value": k, "label": Kind(k).label, "help": KIND_HELP[k]}
                for k in KINDS_OF_BASE[base]
            ],
        }
        for base in Base.values
    ]


class GroupChoiceField(forms.ModelChoiceField):
    default_error_messages = {
        "invalid_choice": _l(
            "Vous ne pouvez pas ajouter de ressource dans ce groupe : il faut en être "
            "contributeur, expert ou animateur."
        ),
    }


class StartForm(forms.Form):
    """Step 1: where (group) and what (kind)."""

    groupe = GroupChoiceField(queryset=Group.objects.none(), label=_l("Groupe"))
    type = forms.ChoiceField(
        choices=Kind.choices,
        label=_l("Type de ressource"),
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _l("Type de ressource inconnu.")},
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        groups = contributor_groups(user)
        self.fields["groupe"].queryset = groups
        # one group: nothing to choose, so it is chosen (no empty « --------- » first)
        only = list(groups[:2])
        if len(only) == 1:
            self.fields["groupe"].initial = only[0].pk
            self.fields["groupe"].empty_label = None


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list:
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


def _attribute_field(name: str, spec: dict[str, Any]) -> forms.Field:
    label = spec.get("title", name)
    if "enum" in spec:
        choices = [("", "—")] + [(v, v.replace("_", " ")) for v in spec["enum"]]
        return forms.ChoiceField(label=label, choices=choices, required=False)
    if spec.get("type") == "integer":
        return forms.IntegerField(
            label=label,
            required=False,
            min_value=spec.get("minimum"),
            max_value=spec.get("maximum"),
        )
    if spec.get("type") == "number":
        return forms.FloatField(label=label, required=False, min_value=spec.get("minimum"))
    if spec.get("format") == "uri":
        return forms.URLField(label=label, required=False, assume_scheme="https")
    return forms.CharField(label=label, required=False, max_length=spec.get("maxLength"))


def parse_geometry(geojson: str, lon: float | None, lat: float | None) -> GEOSGeometry | None:
    """The drawn GeoJSON geometry, else a point from typed coordinates, else None. A drawn
    point that the typed coordinates contradict gives way to them: without the map's script
    (which keeps both in step), typing new coordinates is the way to move the point."""
    if geojson.strip():
        try:
            data = json.loads(geojson)
            if data.get("type") == "Feature":
                data = data.get("geometry") or {}
            drawn = GEOSGeometry(json.dumps(data), srid=4326)
        except (ValueError, TypeError, AttributeError, GEOSException) as exc:
            raise ValidationError(_("La géométrie dessinée n'est pas un GeoJSON lisible.")) from exc
        typed = Point(lon, lat, srid=4326) if lon is not None and lat is not None else None
        if typed is not None and drawn.geom_type == "Point" and drawn.distance(typed) > 1e-6:
            return typed
        return drawn
    if lon is not None and lat is not None:
        return Point(lon, lat, srid=4326)
    if (lon is None) != (lat is None):
        raise ValidationError(_("Indiquez la longitude et la latitude, ou aucune des deux."))
    return None


class IdListField(forms.Field):
    """Ids of resources, one value per checkbox (``name="links"``), as integers."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        values = value if isinstance(value, list | tuple) else ([value] if value else [])
        try:
            return list(dict.fromkeys(int(v) for v in values if str(v).strip()))
        except (TypeError, ValueError) as exc:
            raise ValidationError(_("Identifiants de ressources attendus (nombres).")) from exc


class ResourceForm(forms.Form):
    """Step 2: the resource itself; ``attr_*`` fields come from the kind's JSON schema."""

    title = forms.CharField(label=_l("Titre"), max_length=255)
    summary = forms.CharField(
        label=_l("Résumé"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    description = forms.CharField(
        label=_l("Description"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    themes = forms.CharField(
        label=_l("Thèmes"),
        required=False,
        help_text=_l("Séparés par des virgules, par exemple : patrimoine, paysage."),
    )
    date_start = forms.DateField(
        label=_l("Date (début)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_end = forms.DateField(
        label=_l("Date (fin)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    geom = forms.CharField(
        label=_l("Géométrie (GeoJSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_l("Remplie par la carte ; vous pouvez aussi coller un GeoJSON."),
    )
    longitude = forms.FloatField(
        label=_l("Longitude"), required=False, min_value=-180, max_value=180
    )
    latitude = forms.FloatField(label=_l("Latitude"), required=False, min_value=-90, max_value=90)
    level = forms.ChoiceField(
        label=_l("Niveau de partage"),
        choices=Level.choices,
        initial=Level.UTILISATEUR,
        widget=forms.RadioSelect,
    )
    files = MultipleFileField(
        label=_l("Photos et documents"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ",".join(ACCEPTED_EXTENSIONS)}),
    )

    def __init__(self, kind: str, *args: Any, with_level: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        if not with_level:
            del self.fields["level"]
        self.attribute_names = []
        for name, spec in KIND_SCHEMAS.get(kind, {}).get("properties", {}).items():
            self.fields[f"attr_{name}"] = _attribute_field(name, spec)
            self.attribute_names.append(name)
            if name in TERRITORY_ATTRIBUTES:  # suggestions by name (static/js)
                self.fields[f"attr_{name}"].widget.attrs.update(
                    {"data-territoires": reverse_lazy("geo:territories"), "autocomplete": "off"}
                )
        if BASE_OF_KIND.get(kind) == Base.ACTIVITE:
            self.fields["links"] = IdListField(label=_l("Ressources liées"), required=False)

    @classmethod
    def initial_from(cls, resource: Resource) -> dict[str, Any]:
        initial = {
            name: getattr(resource, name)
            for name in ("title", "summary", "description", "date_start", "date_end", "level")
        }
        initial["themes"] = ", ".join(resource.themes)
        initial["geom"] = resource.geom.geojson if resource.geom else ""
        if resource.geom is not None and resource.geom.geom_type == "Point":
            # the keyboard alternative to the map shows the point it would change
            initial["longitude"], initial["latitude"] = resource.geom.x, resource.geom.y
        for name, value in resource.attributes.items():
            initial[f"attr_{name}"] = value
        return initial

    def clean_attr_territoire(self) -> str:
        """A territory chosen by name in the suggestions (« Lille (59350) ») → its code."""
        return self._territory_code("attr_territoire")

    def clean_attr_commune_insee(self) -> str:
        return self._territory_code("attr_commune_insee")

    def _territory_code(self, name: str) -> str:
        text = (self.cleaned_data.get(name) or "").strip()
        if not text:
            return ""
        try:
            return resolve_territory(text)
        except UnknownTerritory as exc:
            raise ValidationError(str(exc)) from exc

    def level_choices(self) -> list[dict[str, Any]]:
        return [{"value": v, "label": lbl, "help": LEVEL_HELP[v]} for v, lbl in Level.choices]

    def attribute_fields(self) -> list[forms.BoundField]:
        return [self[f"attr_{name}"] for name in self.attribute_names]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        try:
            data["geometry"] = parse_geometry(
                data.get("geom") or "", data.get("longitude"), data.get("latitude")
            )
        except ValidationError as exc:
            self.add_error("geom", exc)
        return data

    def resource_fields(self, previous: dict[str, Any] | None = None) -> dict[str, Any]:
        """Arguments for the services: plain fields, geometry and the attributes object."""
        data = self.cleaned_data
        attributes = dict(previous or {})
        for name in self.attribute_names:
            value = data.get(f"attr_{name}")
            if value in (None, ""):
                attributes.pop(name, None)
            else:
                attributes[name] = value
        links = {"links": data.get("links") or []} if "links" in self.fields else {}
        return {
            **links,
            "title": data["title"],
            "summary": data["summary"],
            "description": data["description"],
            "themes": [t.strip() for t in data["themes"].split(",") if t.strip()],
            "date_start": data["date_start"],
            "date_end": data["date_end"],
            "geom": data.get("geometry"),
            "attributes": attributes,
        }

    def add_service_errors(self, error: ValidationError) -> None:
        """Show the services' errors next to their field (the whole form otherwise)."""
        mapping = {
            "geom": "geom",
            "attributes": None,
            "level": "level" if "level" in self.fields else None,
        }
        for name, messages in error.message_dict.items():
            field = mapping.get(name, name if name in self.fields else None)
            for message in messages:
                self.add_error(field, message)
