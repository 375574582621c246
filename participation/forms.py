"""The animateur's form definition (what the public form asks and accepts)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.gis.geos import MultiPolygon
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from geo.validation import drawn_area
from observatoire.kinds import BASE_OF_KIND, BASES_WITHOUT_REQUIRED_GEOMETRY
from observatoire.schemas import KIND_SCHEMAS
from workgroups.slugs import free_slug

from .models import Form

MAX_PHOTOS = 5
#: Words of ``/participer/<word>/…`` addresses that are not forms.
RESERVED_SLUGS = frozenset({"suivi", "confirmer", "photos", "oembed"})


def default_consent(group_name: str) -> str:
    """The consent text a new form starts with: the three things the RGPD asks to say (purpose,
    retention, contact), for the animateur to adjust rather than to write from nothing."""
    return _(
        "Vos contributions sont recueillies par le groupe « %(group)s » pour connaître et faire "
        "connaître le cadre de vie. Une contribution acceptée est publiée avec votre pseudonyme ; "
        "votre adresse e-mail, si vous la donnez, ne sert qu'à vous informer de la suite et "
        "n'est jamais publiée. Les contributions non retenues et les adresses sont effacées au "
        "plus tard un an après. Pour toute question ou pour faire retirer une contribution : "
        "écrivez aux animateurs du groupe."
    ) % {"group": group_name}


class FormDefinition(forms.ModelForm):
    """Title, texts, kind, place, photos, e-mail, consent, dates, area and anti-abuse limits;
    the asked attributes come as ``champ_<name>_*`` rows (see :func:`asked_fields`)."""

    area_geojson = forms.CharField(
        label=gettext_lazy("Zone acceptée dessinée (GeoJSON, facultatif)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Un polygone en longitude/latitude ; vide : pas de limite."),
    )

    class Meta:
        model = Form
        fields = [
            "title",
            "slug",
            "introduction",
            "kind",
            "place",
            "max_photos",
            "ask_email",
            "confirm_email",
            "consent",
            "retention_days",
            "opens_at",
            "closes_at",
            "use_group_territory",
            "min_seconds",
            "per_address_daily",
            "daily_cap",
        ]
        widgets = {
            "opens_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "closes_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "introduction": forms.Textarea(attrs={"rows": 4}),
            "consent": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _(
            "L'adresse du formulaire : /participer/<identifiant>/. Vide : faite à partir du titre."
        )
        if self.instance.pk is None and not self.initial.get("consent"):
            self.initial["consent"] = default_consent(self.instance.group.name)
        self.fields["kind"].choices = [
            (k, label)
            for k, label in self.fields["kind"].choices
            if BASE_OF_KIND.get(k) not in BASES_WITHOUT_REQUIRED_GEOMETRY
        ]
        if self.instance.area is not None:
            self.fields["area_geojson"].initial = self.instance.area.geojson

    def clean_max_photos(self) -> int:
        value = self.cleaned_data["max_photos"]
        if value > MAX_PHOTOS:
            raise forms.ValidationError(_("%(n)d photos au plus.") % {"n": MAX_PHOTOS})
        return value

    def clean_area_geojson(self) -> MultiPolygon | None:
        raw = self.cleaned_data["area_geojson"].strip()
        if not raw:
            return None
        try:
            return drawn_area(raw)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(
                _("« %(slug)s » est réservé par le site : choisissez un autre identifiant.")
                % {"slug": slug}
            )
        return slug

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("slug") and data.get("title") and "slug" not in self.errors:
            data["slug"] = free_slug(
                Form.objects.exclude(pk=self.instance.pk),
                data["title"],
                default="formulaire",
                reserved=RESERVED_SLUGS,
            )
            self.instance.slug = data["slug"]
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes < opens:
            self.add_error("closes_at", _("La fermeture précède l'ouverture."))
        return data

    def save(self, commit: bool = True) -> Form:
        self.instance.area = self.cleaned_data.get("area_geojson")
        return super().save(commit)


#: Attributes the public is never asked: the INSEE code comes from the place.
NOT_ASKED = frozenset({"commune_insee"})


def _askable(kind: str) -> list[tuple[str, dict[str, Any]]]:
    properties = KIND_SCHEMAS.get(kind, {}).get("properties", {})
    return [(name, spec) for name, spec in properties.items() if name not in NOT_ASKED]


def field_rows(kind: str, asked: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per attribute of ``kind``'s schema, with what the form asks of it."""
    by_name = {f["name"]: (i, f) for i, f in enumerate(asked)}
    rows = []
    for name, spec in _askable(kind):
        position, field = by_name.get(name, (None, {}))
        rows.append(
            {
                "name": name,
                "title": spec.get("title", name),
                "asked": position is not None,
                "order": (position + 1) if position is not None else "",
                "label": field.get("label", ""),
                "required": bool(field.get("required")),
            }
        )
    return rows


def asked_fields(kind: str, data) -> list[dict[str, Any]]:
    """The ``champ_<name>_*`` rows of the POST, ordered, for the kind's known attributes."""
    picked = []
    for index, (name, spec) in enumerate(_askable(kind)):
        if not data.get(f"champ_{name}_demande"):
            continue
        order = str(data.get(f"champ_{name}_ordre", "")).strip()
        label = str(data.get(f"champ_{name}_libelle", "")).strip()[:200] or spec.get("title", name)
        picked.append(
            (
                int(order) if order.isdigit() else 100 + index,
                {
                    "name": name,
                    "label": label,
                    "required": bool(data.get(f"champ_{name}_obligatoire")),
                },
            )
        )
    return [field for _, field in sorted(picked, key=lambda p: p[0])]
