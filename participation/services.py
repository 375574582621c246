"""Submitting, confirming and moderating contributions of the public.

Views and the REST API only parse and render; every rule is here. A submission is checked
whole (anti-abuse, fields, place, photos) before anything is written, then written in one
transaction, so that refused input leaves nothing behind but the rate counter. Accepting
turns it into an ordinary resource through :mod:`observatoire.services`: from then on the
one visibility rule, the OGC API, the tiles and the search treat it like any other.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.gis.geos import GEOSException, GEOSGeometry, Point
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from geo.territories import commune_by_name
from geo.validation import geometry_error
from observatoire import attachments
from observatoire import services as resources
from observatoire.kinds import BASE_OF_KIND
from observatoire.schemas import KIND_SCHEMAS, attribute_errors
from workgroups import events
from workgroups.errors import InvalidState, NotAllowed
from workgroups.models import Membership, User
from workgroups.permissions import can
from workgroups.roles import Capability, Level, Role

from . import abuse, tasks
from .models import Form, Place, Submission, SubmissionPhoto, system_account
from .photos import CleanPhoto, clean_photo

#: Levels an animateur may publish a contribution at (never private: only the system
#: account would see it).
PUBLISH_LEVELS = (Level.PUBLIC, Level.COMMUNAUTE, Level.GROUPE)
SOURCE = "participation"
MAX_TITLE = 255
MAX_TEXT = 5000
MAX_PSEUDONYM = 80
MAX_REASON = 2000
_COMMUNE_WITH_DEP = re.compile(r"^(?P<name>.+?)\s*\((?P<dep>[0-9AB]{2,3})\)\s*$")


@dataclass
class Submitted:
    submission: Submission
    #: The place read from the first photo's EXIF, when none was given (a suggestion).
    suggested: tuple[float, float] | None = None


def _text(data: Mapping, name: str, limit: int, errors: dict, *, required: bool = False) -> str:
    value = str(data.get(name, "") or "").strip()
    if required and not value:
        errors[name] = _("Ce champ est obligatoire.")
    elif len(value) > limit:
        errors[name] = _("%(n)d caractères au plus (vous en avez saisi %(m)d).") % {
            "n": limit,
            "m": len(value),
        }
    return value


def _number(raw: str) -> float | None:
    try:
        return float(raw.replace(",", ".").strip())
    except ValueError:
        return None


def _place(form: Form, data: Mapping, errors: dict) -> tuple[GEOSGeometry | None, str]:
    """The contribution's geometry and commune code, from the map (coordinates or GeoJSON
    drawn) or a commune typed by name; errors keyed ``lieu``."""
    commune_name = str(data.get("commune", "") or "").strip()
    lon, lat = str(data.get("longitude", "") or ""), str(data.get("latitude", "") or "")
    drawn = str(data.get("geometrie", "") or "").strip()
    geom = None
    insee = ""
    if form.place != Place.COMMUNE and drawn:
        try:
            geom = GEOSGeometry(drawn, srid=4326)
        except (GEOSException, ValueError, TypeError):
            errors["lieu"] = _("Le tracé reçu n'est pas une géométrie GeoJSON lisible.")
            return None, ""
        wanted = {Place.POINT: "Point", Place.LINE: "LineString", Place.POLYGON: "Polygon"}
        if geom.geom_type != wanted[form.place]:
            errors["lieu"] = _("Le tracé doit être : %(what)s.") % {"what": Place(form.place).label}
            return None, ""
    elif form.place != Place.COMMUNE and (lon.strip() or lat.strip()):
        x, y = _number(lon), _number(lat)
        if x is None or y is None:
            errors["lieu"] = _(
                "Longitude et latitude : deux nombres en degrés décimaux (ex. 3.0573 et 50.6292)."
            )
            return None, ""
        geom = Point(x, y, srid=4326)
    elif commune_name:
        match = _COMMUNE_WITH_DEP.match(commune_name)
        name, dep = (match["name"], match["dep"]) if match else (commune_name, None)
        commune = commune_by_name(name[:200], dep)
        if commune is None or commune.point is None:
            errors["lieu"] = _(
                "Commune « %(name)s » introuvable ou ambiguë : précisez le département "
                "entre parenthèses, par ex. « Saint-Amand (59) »."
            ) % {"name": commune_name[:200]}
            return None, ""
        geom, insee = commune.point, commune.insee
    else:
        errors["lieu"] = _("Indiquez le lieu : sur la carte, par ses coordonnées ou sa commune.")
        return None, ""
    message = geometry_error(geom)
    if message:
        errors["lieu"] = message
        return None, ""
    area = form.allowed_area()
    if area is not None and not area.contains(geom):
        errors["lieu"] = _(
            "Ce lieu est en dehors de la zone de ce formulaire : choisissez un lieu à "
            "l'intérieur de la zone indiquée."
        )
        return None, ""
    return geom, insee


def _attributes(form: Form, data: Mapping, errors: dict) -> dict[str, Any]:
    """The kind's attributes the form asks, typed as the kind's JSON schema says."""
    schema = KIND_SCHEMAS.get(form.kind, {}).get("properties", {})
    values: dict[str, Any] = {}
    for field in form.fields:
        name = field["name"]
        key = f"attr_{name}"
        raw = str(data.get(key, "") or "").strip()
        if not raw:
            if field.get("required"):
                errors[key] = _("Ce champ est obligatoire.")
            continue
        kind = schema.get(name, {}).get("type")
        if kind in ("integer", "number"):
            number = _number(raw)
            if number is None or (kind == "integer" and not number.is_integer()):
                errors[key] = _("Un nombre est attendu.")
                continue
            values[name] = int(number) if kind == "integer" else number
        else:
            values[name] = raw[:MAX_TEXT]
    for name, message in attribute_errors(form.kind, values).items():
        errors[f"attr_{name}" if name else "__all__"] = message
    return values


def _photos(form: Form, files: list[UploadedFile], errors: dict) -> list[CleanPhoto]:
    if len(files) > form.max_photos:
        errors["photos"] = (
            _("Ce formulaire n'accepte pas de photo.")
            if form.max_photos == 0
            else _("%(n)d photo(s) au plus.") % {"n": form.max_photos}
        )
        return []
    try:
        return [clean_photo(upload) for upload in files]
    except ValidationError as error:
        errors.update({k: v[0] for k, v in error.message_dict.items()})
        return []


def check_open(form: Form) -> None:
    if not form.is_open():
        raise abuse.Refused(
            _("Ce formulaire est fermé : il n'accepte pas de contribution en ce moment."),
            status=403,
        )


@dataclass
class Cleaned:
    """A contribution whose every field passed: ready to be written."""

    title: str
    description: str
    pseudonym: str
    email: str
    attributes: dict[str, Any]
    geom: GEOSGeometry
    photos: list[CleanPhoto]
    suggested: tuple[float, float] | None


def clean(form: Form, data: Mapping, files: Iterable[UploadedFile]) -> Cleaned:
    """Every field of a contribution checked at once.

    :raises ValidationError: French messages keyed by field.
    """
    errors: dict[str, str] = {}
    pseudonym = _text(data, "pseudonyme", MAX_PSEUDONYM, errors, required=True)
    title = _text(data, "titre", MAX_TITLE, errors, required=True)
    description = _text(data, "description", MAX_TEXT, errors)
    email = _text(data, "email", 254, errors) if form.ask_email else ""
    if email and "email" not in errors:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("Adresse e-mail invalide (ex. prenom@exemple.fr).")
    if str(data.get("consentement", "")) not in ("on", "1", "true", "oui"):
        errors["consentement"] = _("Cochez la case pour accepter les conditions d'utilisation.")
    attributes = _attributes(form, data, errors)
    photos = _photos(form, list(files), errors)
    suggested = next((p.position for p in photos if p.position), None)
    place_given = any(data.get(k) for k in ("longitude", "latitude", "commune", "geometrie"))
    if suggested and not place_given and form.place == Place.POINT:
        data = {"longitude": str(suggested[0]), "latitude": str(suggested[1])}
    geom, insee = _place(form, data, errors)
    if errors:
        raise ValidationError(errors)
    if insee and "commune_insee" in KIND_SCHEMAS.get(form.kind, {}).get("properties", {}):
        attributes.setdefault("commune_insee", insee)
    return Cleaned(title, description, pseudonym, email, attributes, geom, photos, suggested)


@transaction.atomic
def store(form: Form, cleaned: Cleaned) -> Submission:
    """Write a cleaned contribution and its photos (within the form's daily cap)."""
    abuse.count_for_form(form)
    waits = form.confirm_email and bool(cleaned.email)
    submission = Submission.objects.create(
        form=form,
        state=Submission.State.UNCONFIRMED if waits else Submission.State.PENDING,
        title=cleaned.title,
        description=cleaned.description,
        attributes=cleaned.attributes,
        geom=cleaned.geom,
        pseudonym=cleaned.pseudonym,
        email=cleaned.email,
    )
    for photo in cleaned.photos:
        stored = SubmissionPhoto(submission=submission, name=photo.name, size=len(photo.data))
        stored.file.save(photo.name, ContentFile(photo.data), save=False)
        stored.save()
    if waits:
        pk = submission.pk
        transaction.on_commit(lambda: tasks.send_confirmation.defer(submission_id=pk))
    return submission


def submit(form: Form, data: Mapping, files: Iterable[UploadedFile], *, address: str) -> Submitted:
    """A contribution of the public to ``form``: open, human, within the limits, clean.

    :raises abuse.Refused: closed form, robot, too fast, too many (nothing written but the
        counters).
    :raises ValidationError: French messages keyed by field (nothing written).
    """
    check_open(form)
    abuse.check_human(form, data)
    abuse.count_attempt(form, address)
    cleaned = clean(form, data, files)
    return Submitted(store(form, cleaned), cleaned.suggested)


@transaction.atomic
def confirm(secret: str) -> Submission | None:
    """The contributor clicked the link of the confirmation mail: the contribution joins
    the moderation queue."""
    submission = Submission.objects.select_for_update().filter(secret=secret).first()
    if submission is not None and submission.state == Submission.State.UNCONFIRMED:
        submission.state = Submission.State.PENDING
        submission.save(update_fields=["state"])
    return submission


def may_moderate(user: User, form: Form) -> bool:
    return can(user, form.group, Capability.VALIDATE)


def _member_system_account(form: Form) -> User:
    """The system account, contributeur of the form's group (it writes, never signs in)."""
    account = system_account()
    Membership.objects.update_or_create(
        user=account,
        group=form.group,
        defaults={"role": Role.CONTRIBUTEUR, "state": Membership.State.ACTIVE},
    )
    return account


def _moderated(actor: User, submission: Submission) -> Submission:
    """The submission locked for moderation by an animateur of its group."""
    locked = (
        Submission.objects.select_for_update().select_related("form__group").get(pk=submission.pk)
    )
    if not may_moderate(actor, locked.form):
        raise NotAllowed(_("Seuls les animateurs du groupe modèrent ses contributions."))
    if locked.state not in (Submission.State.PENDING, Submission.State.UNCONFIRMED):
        raise InvalidState(
            _("Cette contribution est déjà modérée (%(state)s).")
            % {"state": locked.get_state_display()}
        )
    return locked


@transaction.atomic
def accept(
    actor: User,
    submission: Submission,
    *,
    level: str = Level.PUBLIC,
    title: str | None = None,
    description: str | None = None,
) -> Submission:
    """Publish the contribution as a resource of the group at ``level``, validated by
    ``actor``, authored by the system account, the pseudonym kept in its attributes and its
    provenance (source ``participation``, form and submission ids) recorded."""
    submission = _moderated(actor, submission)
    if level not in PUBLISH_LEVELS:
        raise ValidationError(
            {
                "level": _("Niveau « %(level)s » impossible ici (possibles : %(choices)s).")
                % {"level": level, "choices": ", ".join(PUBLISH_LEVELS)}
            }
        )
    form = submission.form
    account = _member_system_account(form)
    files = [
        SimpleUploadedFile(photo.name, photo.file.read(), content_type="image/jpeg")
        for photo in submission.photos.all()
    ]
    attributes = {
        **submission.attributes,
        "contributeur": submission.pseudonym,
        "formulaire": form.slug,
    }
    with events.quiet():  # the moderation is the news, not the system account's steps
        resource = attachments.create_with_files(
            account,
            form.group,
            kind=form.kind,
            level=level,
            files=files,
            title=(title or submission.title).strip()[:MAX_TITLE],
            description=(submission.description if description is None else description)[:MAX_TEXT],
            geom=submission.geom,
            attributes=attributes,
        )
        if level != Level.GROUPE:
            resources.validate(actor, resource)
    type(resource).objects.filter(pk=resource.pk).update(
        source=SOURCE, source_id=f"formulaire-{form.pk}/contribution-{submission.pk}"
    )
    submission.state = Submission.State.ACCEPTED
    submission.resource = resource
    submission.moderated_by = actor
    submission.moderated_at = timezone.now()
    submission.save(update_fields=["state", "resource", "moderated_by", "moderated_at"])
    for photo in submission.photos.all():  # the resource's attachment holds it now
        photo.file.delete(save=False)
        photo.delete()
    return submission


@transaction.atomic
def refuse(actor: User, submission: Submission, reason: str) -> Submission:
    """Refuse with a reason, mailed to the contributor when they gave an e-mail; the
    photos are deleted (nothing refused is kept that is not needed for the follow-up)."""
    submission = _moderated(actor, submission)
    reason = (reason or "").strip()
    if len(reason) > MAX_REASON:
        raise ValidationError({"reason": _("%(n)d caractères au plus.") % {"n": MAX_REASON}})
    submission.state = Submission.State.REFUSED
    submission.reason = reason
    submission.moderated_by = actor
    submission.moderated_at = timezone.now()
    submission.save(update_fields=["state", "reason", "moderated_by", "moderated_at"])
    for photo in submission.photos.all():
        photo.file.delete(save=False)
        photo.delete()
    if submission.email:
        pk = submission.pk
        transaction.on_commit(lambda: tasks.send_refusal.defer(submission_id=pk))
    return submission


@dataclass
class BulkOutcome:
    done: int = 0
    refused: list[str] | None = None


def moderate_many(
    actor: User, ids: Iterable[int], *, action: str, level: str = Level.PUBLIC, reason: str = ""
) -> BulkOutcome:
    """Accept or refuse the checked contributions one by one (each in its own transaction:
    one that is already moderated does not stop the others); only those ``actor`` moderates
    are reached."""
    outcome = BulkOutcome(refused=[])
    rows = Submission.objects.moderable_by(actor).filter(pk__in=list(ids)[:200])
    for submission in rows:
        try:
            if action == "accept":
                accept(actor, submission, level=level)
            else:
                refuse(actor, submission, reason)
            outcome.done += 1
        except (NotAllowed, InvalidState, ValidationError) as error:
            message = getattr(error, "message", None) or "; ".join(
                m for ms in getattr(error, "message_dict", {}).values() for m in ms
            )
            outcome.refused.append(f"{submission.title} : {message}")
    return outcome


def base_of(form: Form) -> str:
    return BASE_OF_KIND.get(form.kind, "")
