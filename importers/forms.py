"""The web import form: group, source, file and options, checked before anything is written."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from observatoire.kinds import Base, Kind
from workgroups.permissions import can
from workgroups.roles import Capability, Level

from .web import WEB_SOURCES, importable_groups


class WebImportForm(forms.Form):
    group = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Groupe destinataire"))
    source = forms.ChoiceField(
        label=gettext_lazy("Source"),
        choices=[(name, label) for name, (label, _suffixes) in WEB_SOURCES.items()],
    )
    file = forms.FileField(label=gettext_lazy("Fichier (ou archive .zip le contenant)"))
    base = forms.ChoiceField(
        label=gettext_lazy("Base (fichier géographique)"),
        choices=[("", "—"), *Base.choices],
        required=False,
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Type de ressource (fichier géographique)"),
        choices=[("", "—"), *Kind.choices],
        required=False,
    )
    layer = forms.CharField(
        label=gettext_lazy("Couche (GeoPackage à plusieurs couches)"), required=False
    )
    id_column = forms.CharField(
        label=gettext_lazy("Colonne identifiant (clé de mise à jour ; défaut : numéro de ligne)"),
        required=False,
    )
    level = forms.ChoiceField(
        label=gettext_lazy("Niveau de partage"),
        choices=[("", gettext_lazy("Par défaut de la source")), *Level.choices],
        required=False,
    )
    validate = forms.BooleanField(
        label=gettext_lazy("Valider les ressources importées (vous en serez le validateur)"),
        help_text=gettext_lazy("Réservé aux animateurs du groupe destinataire."),
        required=False,
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Essai à blanc : tout vérifier, ne rien écrire"), required=False
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["group"].queryset = importable_groups(user)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("source") == "geodata":
            for name in ("base", "kind"):
                if not data.get(name):
                    self.add_error(name, _("Obligatoire pour un fichier géographique."))
        group = data.get("group")
        if data.get("validate") and group and not can(self.user, group, Capability.VALIDATE):
            self.add_error(
                "validate",
                _(
                    "Vous n'êtes pas animateur du groupe « %(group)s » : vous ne pouvez pas "
                    "valider ses ressources à l'import."
                )
                % {"group": group.name},
            )
        return data

    def options(self) -> dict:
        data = self.cleaned_data
        options = {"level": data["level"], "dry_run": data["dry_run"], "validate": data["validate"]}
        if data["source"] == "geodata":
            options.update(
                base=data["base"],
                kind=data["kind"],
                layer=data["layer"],
                id_column=data["id_column"].strip(),
            )
        return options
