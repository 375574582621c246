"""The viewer's filter panel: simple fields that compose the map's CQL2 ``filter`` parameter."""

from __future__ import annotations

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from geo.codes import UnknownTerritory, resolve_territory, territory_label
from observatoire.cql import FilterError
from observatoire.heritage import MAX_METRES
from observatoire.kinds import BASE_OF_KIND, Base, Kind
from workgroups.models import Group

from .filters import SimpleFilter, validate


class FilterForm(forms.Form):
    bases = forms.MultipleChoiceField(
        label=_("Bases"), choices=Base.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    kinds = forms.MultipleChoiceField(
        label=_("Types"), choices=Kind.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    groups = forms.MultipleChoiceField(
        label=_("Groupes"), required=False, widget=forms.SelectMultiple(attrs={"size": 4})
    )
    themes = forms.CharField(
        label=_("Thèmes (séparés par des virgules)"),
        required=False,
        max_length=300,
        help_text=_("Objets ayant au moins un de ces thèmes."),
    )
    date_from = forms.DateField(
        label=_("Date de début, à partir du"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label=_("jusqu'au"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    territory = forms.CharField(
        label=_("Commune, EPCI ou département"),
        required=False,
        max_length=250,
        help_text=_("Tapez un nom (Lille, Métropole Européenne de Lille) ou un code."),
        widget=forms.TextInput(
            attrs={"data-territoires": reverse_lazy("geo:territories"), "autocomplete": "off"}
        ),
    )
    text = forms.CharField(label=_("Texte dans le titre"), required=False, max_length=100)
    heritage = forms.IntegerField(
        label=_("Près d'un monument historique (à moins de … mètres)"),
        required=False,
        min_value=1,
        max_value=MAX_METRES,
        help_text=_("Objets à cette distance au plus d'un monument de la base Mérimée."),
        widget=forms.NumberInput(attrs={"step": "50", "placeholder": "500"}),
    )
    advanced = forms.CharField(
        label=_("Filtre avancé (CQL2)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, bases: set[str] | None = None, **kwargs) -> None:
        """``bases``: the map's bases, so the panel offers only kinds the map can show."""
        super().__init__(*args, **kwargs)
        self.fields["groups"].choices = list(Group.objects.values_list("slug", "name"))
        if bases:
            self.fields["bases"].choices = [(v, label) for v, label in Base.choices if v in bases]
            self.fields["kinds"].choices = [
                (value, label) for value, label in Kind.choices if BASE_OF_KIND[value] in bases
            ]

    def clean_territory(self) -> str:
        """A code, or a name chosen in the suggestions (« Lille (59350) »): the code."""
        text = self.cleaned_data["territory"].strip()
        if not text:
            return ""
        try:
            return resolve_territory(text)
        except UnknownTerritory as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean_themes(self) -> list[str]:
        return [t.strip() for t in self.cleaned_data["themes"].split(",") if t.strip()]

    def clean_advanced(self) -> str:
        text = self.cleaned_data["advanced"].strip()
        try:
            validate(text)
        except FilterError as exc:
            raise forms.ValidationError(exc.message) from exc
        return text

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("La date de fin précède la date de début."))
        return data

    def to_cql2(self) -> str:
        return SimpleFilter(**self.cleaned_data).to_cql2()

    @classmethod
    def initial_from(cls, simple: SimpleFilter) -> dict:
        initial = {name: getattr(simple, name) for name in cls.base_fields}
        initial["themes"] = ", ".join(simple.themes)
        initial["territory"] = territory_label(simple.territory)
        return initial
