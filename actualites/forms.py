"""The create and edit forms of the portal pages: a news item, an event."""

from __future__ import annotations

from django import forms
from django.contrib.gis.geos import Point
from django.utils.translation import gettext_lazy as _

from workgroups.roles import Level

from .models import Event, NewsItem, web_url

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs) -> None:
        super().__init__(format=DATETIME_FORMAT, **kwargs)


class _Shared(forms.ModelForm):
    level = forms.ChoiceField(
        label=_("Niveau de partage"),
        choices=Level.choices,
        initial=Level.GROUPE,
        help_text=_(
            "Au-delà du groupe (communauté, public), la première diffusion attend la "
            "validation d'un animateur."
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # editing: the item's own level (only its author changes it)
            self.fields["level"].initial = self.instance.level

    def service_fields(self) -> dict:
        return dict(self.cleaned_data)


class NewsItemForm(_Shared):
    class Meta:
        model = NewsItem
        fields = ("title", "body", "published_at")
        widgets = {"published_at": DateTimeInput(), "body": forms.Textarea(attrs={"rows": 12})}


class EventForm(_Shared):
    registration_url = forms.URLField(
        label=_("Lien d'inscription"),
        required=False,
        max_length=500,
        assume_scheme="https",
        validators=[web_url],
    )
    latitude = forms.FloatField(
        label=_("Latitude du lieu"), required=False, min_value=-90, max_value=90
    )
    longitude = forms.FloatField(
        label=_("Longitude du lieu"), required=False, min_value=-180, max_value=180
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        place = self.instance.place
        if place is not None:
            self.fields["latitude"].initial = place.y
            self.fields["longitude"].initial = place.x

    class Meta:
        model = Event
        fields = ("title", "description", "start", "end", "place_name", "registration_url")
        widgets = {
            "start": DateTimeInput(),
            "end": DateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 10}),
        }

    def clean(self) -> dict:
        data = super().clean()
        lat, lon = data.get("latitude"), data.get("longitude")
        if (lat is None) != (lon is None):
            raise forms.ValidationError(
                _("Indiquez la latitude et la longitude du lieu, ou aucune des deux.")
            )
        return data

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        lat, lon = data.pop("latitude", None), data.pop("longitude", None)
        data["place"] = Point(lon, lat, srid=4326) if lat is not None else None
        return data
