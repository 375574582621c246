"""Writing profiles, their experiences and the credits of resources. Every write (pages, REST
API, demo loader) goes through here: checked whole first (SIRET, territories, years, images,
Markdown), then written in one transaction, so a refusal writes nothing. Errors are
``ValidationError`` keyed by field, in French; rights are :class:`NotAllowed`."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from geo.territories import commune_by_insee, commune_by_name
from observatoire.models import Resource
from publications.models import Carnet
from workgroups.errors import NotAllowed
from workgroups.models import Group, User
from workgroups.permissions import can
from workgroups.roles import Capability
from workgroups.slugs import free_slug

from . import territories as territories_mod
from .models import Context, Credit, Experience, ExperiencePhoto, Kind, Profile, Role
from .siret import clean_siret

#: Words the pages of the directory use after ``/acteurs/``.
RESERVED_SLUGS = frozenset({"nouveau", "carte", "territoires", "experiences"})
#: Fields a person writes directly on a profile.
PROFILE_FIELDS = (
    "name",
    "is_person",
    "kind",
    "summary",
    "services",
    "about",
    "clients",
    "contexts",
    "email",
    "phone",
    "website",
    "address",
    "siret",
    "contact_choice",
    "visibility",
)
MARKDOWN_FIELDS = ("services", "about")
#: Code in Markdown is refused rather than silently dropped: the person sees what is wrong.
_CODE = re.compile(
    r"<\s*/?\s*(script|iframe|object|embed|style|form|svg)\b|javascript\s*:|<[^>]*\son\w+\s*=",
    re.IGNORECASE,
)
#: An experience may be announced for next year, not beyond.
FUTURE_YEARS = 1
LOGO_MAX = 600
PHOTO_MAX = 1600
MAX_EXPERIENCES = 50


def check_markdown(name: str, text: str) -> None:
    match = _CODE.search(text or "")
    if match:
        raise ValidationError(
            {
                name: _(
                    "Le texte contient du code (« %(code)s ») : retirez-le. Le Markdown "
                    "accepte titres, listes, liens et images."
                )
                % {"code": match.group(0)[:30]}
            }
        )


def checked_image(upload: UploadedFile, name: str, max_side: int, fmt: str) -> ContentFile:
    """The upload opened by Pillow (judged on its bytes, not its name), reduced to
    ``max_side`` and re-encoded in ``fmt``; raises ValidationError keyed ``name``."""
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            image = image.convert("RGBA" if fmt == "PNG" else "RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError):
        raise ValidationError(
            {
                name: _("« %(file)s » n'est pas une image (JPEG, PNG, WebP ou GIF).")
                % {"file": getattr(upload, "name", "?")}
            }
        ) from None
    image.thumbnail((max_side, max_side))
    out = io.BytesIO()
    image.save(out, fmt, **({"quality": 85} if fmt == "JPEG" else {}))
    return ContentFile(out.getvalue(), name=f"{name}.{fmt.lower().replace('jpeg', 'jpg')}")


@dataclass
class ExperienceInput:
    """One experience as a form or the API sends it; ``pk`` for an existing one."""

    title: str
    client: str = ""
    year_start: int | None = None
    year_end: int | None = None
    place: Point | None = None
    commune: str = ""
    place_name: str = ""
    text: str = ""
    photo: UploadedFile | None = None
    resource_ids: list[int] = field(default_factory=list)
    pk: int | None = None
    delete: bool = False
    remove_photos: bool = False


@dataclass
class _Checked:
    data: ExperienceInput
    commune_insee: str
    place: Point | None
    photo: ContentFile | None
    resources: list[Resource]


def check_experience(actor: User, data: ExperienceInput) -> _Checked:
    """Everything about one experience that can be refused, keyed by its fields."""
    errors: dict[str, str] = {}
    if not (data.title or "").strip():
        errors["title"] = _("Donnez un titre à l'expérience.")
    limit = date.today().year + FUTURE_YEARS
    for name in ("year_start", "year_end"):
        year = getattr(data, name)
        if year is not None and year > limit:
            errors[name] = _(
                "Année %(y)s : une expérience ne peut être datée au-delà de %(limit)s."
            ) % {"y": year, "limit": limit}
        elif year is not None and year < 1800:
            errors[name] = _("Année %(y)s invalide.") % {"y": year}
    if data.year_start and data.year_end and data.year_end < data.year_start:
        errors.setdefault("year_end", _("L'année de fin précède l'année de début."))
    try:
        check_markdown("text", data.text)
    except ValidationError as exc:
        errors["text"] = exc.message_dict["text"][0]
    commune_insee, place = "", data.place
    if (data.commune or "").strip():
        text = data.commune.strip()
        match = re.search(r"\(([0-9][0-9AB][0-9]{3})\)$", text)
        code = match[1] if match else text
        commune = commune_by_insee(code) if re.fullmatch(r"[0-9][0-9AB][0-9]{3}", code) else None
        commune = commune or commune_by_name(re.sub(r"\s*\(.*\)$", "", text))
        if commune is None:
            errors["commune"] = _(
                "Commune introuvable : « %(v)s » (choisissez-la dans la liste, ou donnez son "
                "code INSEE)."
            ) % {"v": text}
        else:
            commune_insee = commune.insee
            place = place or commune.point
    photo = None
    if data.photo:
        try:
            photo = checked_image(data.photo, "photo", PHOTO_MAX, "JPEG")
        except ValidationError as exc:
            errors["photo"] = exc.message_dict["photo"][0]
    resources: list[Resource] = []
    if data.resource_ids:
        resources = list(Resource.objects.visible_to(actor).filter(pk__in=data.resource_ids))
        missing = set(data.resource_ids) - {r.pk for r in resources}
        if missing:
            errors["resources"] = _("Ressource introuvable : %(ids)s.") % {
                "ids": ", ".join(str(i) for i in sorted(missing))
            }
    if errors:
        raise ValidationError(errors)
    return _Checked(data, commune_insee, place, photo, resources)


@dataclass
class ProfileInput:
    """A profile as a form or the API sends it (None: unchanged, on update)."""

    fields: dict[str, Any]
    territories: str | None = None
    editors: list[str] | None = None
    group: str | None = None
    logo: UploadedFile | None = None
    remove_logo: bool = False
    experiences: list[ExperienceInput] | None = None


def _check_profile(actor: User, data: ProfileInput, profile: Profile) -> dict[str, Any]:
    """All checks of the profile's own fields; returns what to write beyond ``fields``."""
    errors: dict[str, Any] = {}
    unknown = set(data.fields) - set(PROFILE_FIELDS)
    if unknown:
        errors.update({name: _("Champ inconnu.") for name in sorted(unknown)})
    out: dict[str, Any] = {}
    if "siret" in data.fields:
        try:
            data.fields["siret"] = clean_siret(data.fields["siret"])
        except ValidationError as exc:
            errors.update(exc.message_dict)
    for name in MARKDOWN_FIELDS:
        if name in data.fields:
            try:
                check_markdown(name, data.fields[name])
            except ValidationError as exc:
                errors.update(exc.message_dict)
    contexts = data.fields.get("contexts")
    if contexts is not None:
        bad = [c for c in contexts if c not in Context.values]
        if bad:
            errors["contexts"] = _("Contexte inconnu : %(v)s.") % {"v": ", ".join(bad)}
    if data.fields.get("kind") is not None and data.fields["kind"] not in Kind.values:
        errors["kind"] = _("Type d'acteur inconnu : « %(v)s ».") % {"v": data.fields["kind"]}
    if data.territories is not None:
        try:
            chosen = territories_mod.resolve(data.territories)
            out["territory_codes"] = [t.key for t in chosen]
            out["territory"] = territories_mod.union(chosen)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if data.editors is not None:
        names = [n.strip() for n in data.editors if n.strip()]
        users = list(get_user_model().objects.filter(username__in=names, is_active=True))
        missing = set(names) - {u.username for u in users}
        if missing:
            errors["editors"] = _("Compte inconnu : %(v)s.") % {"v": ", ".join(sorted(missing))}
        out["editors"] = users
    if data.group is not None:
        group = Group.objects.filter(slug=data.group).first() if data.group else None
        if data.group and (group is None or not can(actor, group, Capability.CREATE)):
            errors["group"] = _(
                "Groupe « %(g)s » : il faut en être contributeur pour y rattacher un profil."
            ) % {"g": data.group}
        out["group"] = group
    if data.logo:
        try:
            out["logo"] = checked_image(data.logo, "logo", LOGO_MAX, "PNG")
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return out


def _check_experiences(actor: User, items: list[ExperienceInput]) -> list[_Checked]:
    if len(items) > MAX_EXPERIENCES:
        raise ValidationError(
            {"experiences": _("Au plus %(n)s expériences.") % {"n": MAX_EXPERIENCES}}
        )
    checked, errors = [], {}
    for i, item in enumerate(items):
        if item.delete:
            checked.append(_Checked(item, "", None, None, []))
            continue
        try:
            checked.append(check_experience(actor, item))
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errors[f"experiences[{i}].{name}"] = messages
    if errors:
        raise ValidationError(errors)
    return checked


def _write_experiences(profile: Profile, checked: list[_Checked]) -> None:
    existing = {e.pk: e for e in profile.experiences.all()}
    for position, item in enumerate(checked):
        data = item.data
        experience = existing.get(data.pk) if data.pk else None
        if data.pk and experience is None:
            raise ValidationError(
                {"experiences": _("Expérience inconnue : %(id)s.") % {"id": data.pk}}
            )
        if data.delete:
            if experience is not None:
                experience.delete()
            continue
        experience = experience or Experience(profile=profile)
        experience.position = position
        _fill(experience, item)


def _apply(actor: User, profile: Profile, data: ProfileInput) -> Profile:
    extra = _check_profile(actor, data, profile)
    checked = _check_experiences(actor, data.experiences) if data.experiences is not None else None
    for name, value in data.fields.items():
        setattr(profile, name, value)
    for name in ("territory", "territory_codes", "group"):
        if name in extra:
            setattr(profile, name, extra[name])
    if data.remove_logo and profile.logo:
        profile.logo.delete(save=False)
    if "logo" in extra:
        profile.logo.save(extra["logo"].name, extra["logo"], save=False)
    profile.full_clean(exclude=["created_by", "slug", "search_vector", "logo"])
    profile.save()
    if "editors" in extra:
        profile.editors.set(extra["editors"])
    if checked is not None:
        _write_experiences(profile, checked)
    return profile


def _must_be_person(actor: Any) -> None:
    if not (actor and actor.is_authenticated and actor.is_active):
        raise NotAllowed(_("Connectez-vous pour créer un profil acteur."))


@transaction.atomic
def create_profile(actor: User, data: ProfileInput) -> Profile:
    """A new profile created by ``actor`` (who edits it, with the editors it names)."""
    _must_be_person(actor)
    if not (data.fields.get("name") or "").strip():
        raise ValidationError({"name": _("Donnez le nom de l'acteur.")})
    slug = free_slug(
        Profile.objects.all(), data.fields["name"], default="acteur", reserved=RESERVED_SLUGS
    )
    profile = Profile(slug=slug, created_by=actor)
    return _apply(actor, profile, data)


def may_edit(user: Any, profile: Profile) -> bool:
    return Profile.objects.editable_by(user).filter(pk=profile.pk).exists()


@transaction.atomic
def update_profile(actor: User, profile: Profile, data: ProfileInput) -> Profile:
    if not may_edit(actor, profile):
        raise NotAllowed(_("Seuls le créateur du profil et ses éditeurs peuvent le modifier."))
    return _apply(actor, profile, data)


@transaction.atomic
def delete_profile(actor: User, profile: Profile) -> None:
    if not may_edit(actor, profile):
        raise NotAllowed(_("Seuls le créateur du profil et ses éditeurs peuvent le supprimer."))
    profile.delete()


@transaction.atomic
def add_experience(actor: User, profile: Profile, data: ExperienceInput) -> Experience:
    """One more experience at the end of the profile's list."""
    if not may_edit(actor, profile):
        raise NotAllowed(_("Seuls le créateur du profil et ses éditeurs peuvent le modifier."))
    checked = check_experience(actor, data)
    experience = Experience(profile=profile, position=profile.experiences.count())
    _fill(experience, checked)
    return experience


def _fill(experience: Experience, item: _Checked) -> None:
    data = item.data
    experience.title = data.title.strip()
    experience.client = data.client
    experience.year_start = data.year_start
    experience.year_end = data.year_end
    experience.place = item.place
    experience.commune_insee = item.commune_insee
    experience.place_name = data.place_name
    experience.text = data.text
    experience.full_clean(exclude=["profile"])
    experience.save()
    experience.resources.set(item.resources)
    if data.remove_photos:
        for old in experience.photos.all():
            old.image.delete(save=False)
            old.delete()
    if item.photo is not None:
        photo = ExperiencePhoto(experience=experience)
        photo.image.save(item.photo.name, item.photo, save=True)


def readable_credits(user: Any) -> QuerySet[Credit]:
    """Credits ``user`` may read: the profile and the credited resource or carnet are both
    visible to them (each side by its own ``visible_to``)."""
    return Credit.objects.visible_to(user).filter(
        Q(resource__in=Resource.objects.visible_to(user))
        | Q(carnet__in=Carnet.objects.visible_to(user))
    )


def _item_field(item: Resource | Carnet) -> str:
    return "carnet" if isinstance(item, Carnet) else "resource"


def may_credit(user: Any, item: Resource | Carnet) -> bool:
    """Who may credit actors on a resource or a carnet: whoever may edit it (the one rule's
    ``editable_by``)."""
    return type(item).objects.editable_by(user).filter(pk=item.pk).exists()


@transaction.atomic
def add_credit(actor: User, item: Resource | Carnet, profile_slug: str, role: str) -> Credit:
    """Credit the visible profile named by ``profile_slug`` (its slug, or its exact name)."""
    if not may_credit(actor, item):
        raise NotAllowed(_("Seules les personnes qui peuvent le modifier le créditent."))
    if role not in Role.values:
        raise ValidationError({"role": _("Rôle inconnu : « %(v)s ».") % {"v": role}})
    visible = Profile.objects.visible_to(actor)
    profile = (
        visible.filter(slug=profile_slug).first()
        or visible.filter(name__iexact=profile_slug.strip()).order_by("id").first()
    )
    if profile is None:
        raise ValidationError(
            {"profile": _("Acteur introuvable : « %(v)s ».") % {"v": profile_slug}}
        )
    credit, _created = Credit.objects.get_or_create(
        **{_item_field(item): item}, profile=profile, role=role, defaults={"created_by": actor}
    )
    return credit


@transaction.atomic
def remove_credit(actor: User, credit: Credit) -> None:
    if not may_credit(actor, credit.resource or credit.carnet):
        raise NotAllowed()
    credit.delete()
