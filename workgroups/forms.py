"""Account and group forms (French labels, help texts)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _l

from .models import User
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
