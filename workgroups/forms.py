"""Account and group forms (French labels, help texts)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _l

from .models import Group, User
from .roles import Role


class SignUpForm(UserCreationForm):
    """Free sign-up: a username, a confirmed e-mail address and a password."""

    email = forms.EmailField(
        label=_l("Adresse e-mail"),
        help_text=_l("Un lien de confirmation y sera envoyé pour activer le compte."),
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_l("Un compte utilise déjà cette adresse e-mail."))
        return email


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ("first_name", "last_name", "email")
        labels = {
            "first_name": _l("Prénom"),
            "last_name": _l("Nom"),
            "email": _l("Adresse e-mail"),
        }

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if not email:
            raise forms.ValidationError(_l("L'adresse e-mail est obligatoire."))
        if User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_l("Un compte utilise déjà cette adresse e-mail."))
        return email


class InviteForm(forms.Form):
    person = forms.CharField(
        label=_l("Identifiant ou adresse e-mail"),
        max_length=254,
        help_text=_l(
            "La personne doit avoir un compte ; elle accepte l'invitation depuis la page du groupe."
        ),
    )
    role = forms.ChoiceField(label=_l("Rôle"), choices=Role.choices, initial=Role.LECTEUR)

    def clean_person(self) -> User:
        value = self.cleaned_data["person"].strip()
        user = (
            User.objects.filter(email__iexact=value).first()
            if "@" in value
            else User.objects.filter(username=value).first()
        )
        if user is None:
            raise forms.ValidationError(
                _l("Aucun compte ne correspond à « %(v)s ».") % {"v": value}
            )
        return user


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_l("Rôle"), choices=Role.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].error_messages["invalid_choice"] = _l("Rôle inconnu.")


class GroupForm(forms.Form):
    """A group's settings, as its founder gives them and its animateurs change them."""

    name = forms.CharField(label=_l("Nom du groupe"), max_length=200)
    family = forms.ChoiceField(
        label=_l("Famille"),
        choices=Group.Family.choices,
        widget=forms.RadioSelect,
        help_text=_l(
            "Acteur : des personnes d'un même métier ou rôle. Thème : un sujet partagé. "
            "Projet : un projet territorial concret."
        ),
    )
    join_mode = forms.ChoiceField(
        label=_l("Comment rejoindre le groupe"),
        choices=Group.JoinMode.choices,
        initial=Group.JoinMode.DEMANDE,
        widget=forms.RadioSelect,
    )
    description = forms.CharField(
        label=_l("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    territory = forms.CharField(
        label=_l("Territoire (facultatif)"),
        required=False,
        max_length=200,
        help_text=_l(
            "Une commune, un EPCI ou un département, par son nom (choisissez-le dans la liste) "
            "ou son code : 59350 pour Lille, 200093201 pour la Métropole Européenne de Lille, "
            "59 pour le Nord. Ou dessinez-le sur la carte. Vide : le territoire ne change pas "
            "(aucun pour un nouveau groupe)."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "data-territoires": reverse_lazy("geo:territories")}
        ),
    )
    #: The polygon drawn on the map (GeoJSON), written by the page's script.
    territory_shape = forms.CharField(required=False, widget=forms.HiddenInput)
    clear_territory = forms.BooleanField(label=_l("Retirer le territoire"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.initial.get("has_territory"):
            del self.fields["clear_territory"]

    @staticmethod
    def initial_of(group: Group) -> dict[str, Any]:
        return {
            "name": group.name,
            "family": group.family,
            "join_mode": group.join_mode,
            "description": group.description,
            "has_territory": group.territory is not None,
        }

    def group_fields(self, keep_territory=None) -> dict[str, Any]:
        """The values :mod:`workgroups.founding` takes; the territory's outline from the
        territory named or drawn (a ``ValidationError`` on ``territory`` says what is wrong)."""
        from .founding import territory_of

        data = self.cleaned_data
        given = data["territory"] or data["territory_shape"]
        territory = (
            territory_of(data["territory"], data["territory_shape"]) if given else keep_territory
        )
        if data.get("clear_territory"):
            territory = None
        return {
            "name": data["name"],
            "family": data["family"],
            "join_mode": data["join_mode"],
            "description": data["description"],
            "territory": territory,
        }


class HandOverForm(InviteForm):
    """Share the animateur role with a member, or hand it over (stepping down)."""

    SHARE, HAND_OVER = "partager", "transmettre"

    mode = forms.ChoiceField(
        label=_l("Vous"),
        choices=[
            (SHARE, _l("restez animateur (le rôle est partagé)")),
            (HAND_OVER, _l("devenez contributeur (le rôle est transmis)")),
        ],
        initial=SHARE,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["role"]
        self.fields["person"].label = _l("Membre qui devient animateur")
        self.fields["person"].help_text = _l("Son identifiant ou son adresse e-mail.")
