from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .palette import PALETTE
from .sections import KNOWN, available


class PortalForm(forms.Form):
    title = forms.CharField(label=_("Titre du portail"), max_length=200)
    tagline = forms.CharField(label=_("Accroche"), max_length=300, required=False)
    introduction = forms.CharField(
        label=_("Introduction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("En Markdown : **gras**, *italique*, [lien](https://…), listes, titres ##."),
    )
    accent = forms.ChoiceField(
        label=_("Couleur d'accent"),
        choices=PALETTE,
        widget=forms.RadioSelect,
        help_text=_("Toutes les couleurs proposées restent lisibles (contraste AA)."),
    )
    sections = forms.MultipleChoiceField(
        label=_("Rubriques affichées"), required=False, widget=forms.CheckboxSelectMultiple
    )
    banner = forms.FileField(
        label=_("Bannière (JPEG, PNG ou WebP)"),
        required=False,
        help_text=_("Redimensionnée à 1600 pixels de large au plus."),
    )
    banner_alt = forms.CharField(
        label=_("Texte alternatif de la bannière"),
        max_length=300,
        required=False,
        help_text=_("Obligatoire avec une bannière : ce qu'elle montre, en une phrase."),
    )
    remove_banner = forms.BooleanField(label=_("Retirer la bannière"), required=False)
    featured = forms.CharField(
        label=_("Ressources à la une"),
        required=False,
        help_text=_("Numéros des ressources, dans l'ordre, séparés par des virgules."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        ready = set(available())
        self.fields["sections"].choices = [
            (k, label if k in ready else _("%(label)s (bientôt)") % {"label": label})
            for k, label in KNOWN.items()
        ]

    def clean_featured(self) -> list[int]:
        text = self.cleaned_data["featured"].replace(";", ",")
        try:
            return [int(p) for p in text.split(",") if p.strip()]
        except ValueError:
            raise forms.ValidationError(
                _("Indiquez des numéros de ressources séparés par des virgules.")
            ) from None
