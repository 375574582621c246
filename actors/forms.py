"""The profile form and its inline formset of experiences. The forms only read the fields'
types; every rule (SIRET, territories, years, images, Markdown, rights) is the services', whose
errors are put back on the fields they name (:func:`attach_errors`)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from workgroups.models import Group, Membership
from workgroups.roles import Capability, roles_with

from . import territories as territories_mod
from .models import ContactChoice, Context, Kind, Profile, Visibility
from .services import ExperienceInput, ProfileInput

_RESOURCE_ID = re.compile(r"(\d+)/?$")


class ProfileForm(forms.Form):
    name = forms.CharField(label=_("Nom de l'organisation ou de la personne"), max_length=200)
    is_person = forms.BooleanField(label=_("C'est le profil d'une personne"), required=False)
    kind = forms.ChoiceField(label=_("Type d'acteur"), choices=Kind.choices)
    summary = forms.CharField(
        label=_("Description courte"),
        max_length=300,
        required=False,
        help_text=_("Une phrase, montrée dans l'annuaire."),
    )
    services = forms.CharField(
        label=_("Description des services"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("En Markdown : titres (##), listes (-), liens. Pas de code HTML."),
    )
    about = forms.CharField(
        label=_("Qui sommes-nous ?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("En Markdown."),
    )
    clients = forms.CharField(
        label=_("Accompagnements réalisés"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Les structures accompagnées, séparées par des points-virgules."),
    )
    contexts = forms.MultipleChoiceField(
        label=_("Contextes d'intervention"),
        choices=Context.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    territories = forms.CharField(
        label=_("Territoires d'intervention"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Communes, intercommunalités (EPCI), départements ou régions, séparés par des "
            "points-virgules : « Lille (59350) ; Métropole Européenne de Lille (200093201) ; "
            "Pas-de-Calais (62) ». Tapez le début d'un nom pour voir les suggestions."
        ),
    )
    logo = forms.FileField(label=_("Logo"), required=False, help_text=_("JPEG, PNG ou WebP."))
    remove_logo = forms.BooleanField(label=_("Retirer le logo"), required=False)
    email = forms.EmailField(label=_("Courriel"), required=False)
    phone = forms.CharField(label=_("Téléphone"), max_length=30, required=False)
    website = forms.URLField(label=_("Site web"), required=False, assume_scheme="https")
    address = forms.CharField(label=_("Adresse"), max_length=300, required=False)
    siret = forms.CharField(
        label=_("SIRET"), max_length=20, required=False, help_text=_("Facultatif, 14 chiffres.")
    )
    contact_choice = forms.ChoiceField(
        label=_("Coordonnées visibles par"),
        choices=ContactChoice.choices,
        initial=ContactChoice.COMPTES,
    )
    visibility = forms.ChoiceField(
        label=_("Profil visible par"),
        choices=Visibility.choices,
        initial=Visibility.PUBLIC,
        help_text=_("« Comptes seulement » : jamais montré aux visiteurs anonymes."),
    )
    group = forms.ChoiceField(
        label=_("Groupe"),
        required=False,
        help_text=_("Le profil paraît sur le portail de ce groupe (facultatif)."),
    )
    editors = forms.CharField(
        label=_("Autres éditeurs"),
        required=False,
        max_length=500,
        help_text=_("Identifiants de comptes, séparés par des virgules."),
    )

    def __init__(self, *args: Any, user: Any, profile: Profile | None = None, **kwargs: Any):
        if profile is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_of(profile)
        super().__init__(*args, **kwargs)
        groups = Group.objects.filter(
            memberships__user=user,
            memberships__state=Membership.State.ACTIVE,
            memberships__role__in=roles_with(Capability.CREATE),
        ).order_by("name")[:100]
        choices = [("", _("Aucun"))] + [(g.slug, g.name) for g in groups]
        if profile is not None and profile.group and profile.group.slug not in dict(choices):
            choices.append((profile.group.slug, profile.group.name))
        self.fields["group"].choices = choices
        if profile is None or not profile.logo:
            del self.fields["remove_logo"]

    def to_input(self, experiences: list[ExperienceInput] | None) -> ProfileInput:
        data = dict(self.cleaned_data)
        return ProfileInput(
            fields={
                name: data[name]
                for name in (
                    *("name", "is_person", "kind", "summary", "services", "about"),
                    *("clients", "contexts", "email", "phone", "website", "address"),
                    *("siret", "contact_choice", "visibility"),
                )
            },
            territories=data["territories"],
            editors=[n for n in data["editors"].split(",") if n.strip()],
            group=data["group"] or "",
            logo=data.get("logo") or None,
            remove_logo=bool(data.get("remove_logo")),
            experiences=experiences,
        )


def initial_of(profile: Profile) -> dict[str, Any]:
    initial = {
        name: getattr(profile, name)
        for name in (
            *("name", "is_person", "kind", "summary", "services", "about", "clients"),
            *("contexts", "email", "phone", "website", "address", "siret"),
            *("contact_choice", "visibility"),
        )
    }
    initial["territories"] = " ; ".join(territories_mod.labels(profile.territory_codes))
    initial["group"] = profile.group.slug if profile.group else ""
    initial["editors"] = ", ".join(profile.editors.values_list("username", flat=True))
    return initial


class ExperienceForm(forms.Form):
    pk = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("Titre"), max_length=200, required=False)
    client = forms.CharField(label=_("Client"), max_length=200, required=False)
    year_start = forms.IntegerField(label=_("Année (début)"), required=False, min_value=0)
    year_end = forms.IntegerField(label=_("Année (fin)"), required=False, min_value=0)
    commune = forms.CharField(
        label=_("Commune"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"list": "communes-suggestions"}),
        help_text=_("Par son nom, ou un point sur la carte ci-dessous."),
    )
    latitude = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(
        label=_("Longitude"), required=False, min_value=-180, max_value=180
    )
    place_name = forms.CharField(label=_("Nom du lieu"), max_length=200, required=False)
    text = forms.CharField(
        label=_("Texte"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    photo = forms.FileField(
        label=_("Ajouter une photo"), required=False, help_text=_("JPEG, PNG ou WebP.")
    )
    remove_photos = forms.BooleanField(label=_("Retirer les photos déjà ajoutées"), required=False)
    resources = forms.CharField(
        label=_("Ressources liées"),
        required=False,
        max_length=500,
        help_text=_(
            "Numéros ou adresses de ressources de la plateforme, séparés par des virgules."
        ),
    )

    def has_content(self) -> bool:
        data = self.cleaned_data
        return any(
            data.get(n) not in (None, "")
            for n in ("title", "client", "year_start", "year_end", "commune", "latitude", "text")
        ) or bool(data.get("pk"))

    def to_input(self) -> ExperienceInput:
        data = self.cleaned_data
        place = None
        if data.get("latitude") is not None and data.get("longitude") is not None:
            place = Point(data["longitude"], data["latitude"], srid=4326)
        ids = []
        for part in (data.get("resources") or "").split(","):
            match = _RESOURCE_ID.search(part.strip())
            if match:
                ids.append(int(match[1]))
        return ExperienceInput(
            pk=data.get("pk"),
            title=data.get("title") or "",
            client=data.get("client") or "",
            year_start=data.get("year_start"),
            year_end=data.get("year_end"),
            place=place,
            commune=data.get("commune") or "",
            place_name=data.get("place_name") or "",
            text=data.get("text") or "",
            photo=data.get("photo") or None,
            resource_ids=ids,
            delete=bool(data.get("DELETE")),
            remove_photos=bool(data.get("remove_photos")),
        )


ExperienceFormSet = forms.formset_factory(
    ExperienceForm, extra=1, can_delete=True, max_num=50, absolute_max=60
)


def experience_initial(profile: Profile) -> list[dict[str, Any]]:
    from geo.models import Commune

    rows = []
    names = dict(
        Commune.objects.filter(
            insee__in=[e.commune_insee for e in profile.experiences.all() if e.commune_insee],
            type="COM",
        ).values_list("insee", "name")
    )
    for e in profile.experiences.all():
        rows.append(
            {
                "pk": e.pk,
                "title": e.title,
                "client": e.client,
                "year_start": e.year_start,
                "year_end": e.year_end,
                "commune": f"{names[e.commune_insee]} ({e.commune_insee})"
                if e.commune_insee in names
                else "",
                "latitude": e.place.y if e.place and not e.commune_insee else None,
                "longitude": e.place.x if e.place and not e.commune_insee else None,
                "place_name": e.place_name,
                "text": e.text,
                "resources": ", ".join(str(pk) for pk in e.resources.values_list("pk", flat=True)),
            }
        )
    return rows


def attach_errors(
    exc: ValidationError, form: ProfileForm, formset: Any, indexes: list[int]
) -> None:
    """Put the services' errors on the fields they name (``experiences[i].year_start`` on
    the i-th experience sent, that is the form ``indexes[i]`` of the formset)."""
    for name, messages in exc.message_dict.items():
        match = re.fullmatch(r"experiences\[(\d+)\]\.(\w+)", name)
        for message in messages:
            if match:
                sub = formset.forms[indexes[int(match[1])]]
                field = match[2] if match[2] in sub.fields else None
                sub.add_error(field, message)
            elif name in form.fields:
                form.add_error(name, message)
            else:
                form.add_error(None, message)
