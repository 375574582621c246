"""Uploads of a carnet: photos judged by Pillow opening them (not by their name), videos by
their first bytes (MP4/MOV ``ftyp``, WebM/Matroska EBML, Ogg) and a size limit, so that a
renamed executable or a page of HTML never becomes a « photo »."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from workgroups.errors import NotAllowed
from workgroups.models import User
from workgroups.sharing import may_edit

from .models import Carnet, CarnetMedia

#: Largest video (bytes) unless ``SPASS["PUBLICATION_VIDEO_MAX_BYTES"]`` says otherwise: a
#: few minutes of 720p, what a carnet plays inline; longer films belong on a video host.
VIDEO_MAX_BYTES = 50 * 1024 * 1024
#: Largest side of a photo in pixels (beyond, Pillow's decompression-bomb guard is near).
IMAGE_MAX_PIXELS = 40_000_000
IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}


def image_max_bytes() -> int:
    return settings.SPASS["MAX_UPLOAD_BYTES"]


def video_max_bytes() -> int:
    return int(settings.SPASS.get("PUBLICATION_VIDEO_MAX_BYTES", VIDEO_MAX_BYTES))


@dataclass(frozen=True)
class Checked:
    kind: str
    content_type: str
    width: int | None = None
    height: int | None = None


def _video_type(head: bytes) -> str | None:
    if head[4:8] == b"ftyp":
        return "video/quicktime" if head[8:10] == b"qt" else "video/mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "video/webm"
    if head.startswith(b"OggS"):
        return "video/ogg"
    return None


def check_upload(upload: UploadedFile) -> Checked:
    """The upload's nature, type and size, or a French ``ValidationError`` on ``file``."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    video = _video_type(head)
    if video:
        if upload.size > video_max_bytes():
            raise ValidationError(
                {
                    "file": _("La vidéo dépasse la taille maximale (%(max)s) : %(size)s.")
                    % {
                        "max": filesizeformat(video_max_bytes()),
                        "size": filesizeformat(upload.size),
                    }
                }
            )
        return Checked(CarnetMedia.Kind.VIDEO, video)
    if upload.size > image_max_bytes():
        raise ValidationError(
            {
                "file": _("L'image dépasse la taille maximale (%(max)s) : %(size)s.")
                % {"max": filesizeformat(image_max_bytes()), "size": filesizeformat(upload.size)}
            }
        )
    try:
        with Image.open(upload) as image:
            image.verify()
            fmt, (width, height) = image.format, image.size
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(
            {
                "file": _(
                    "Ce fichier n'est ni une image (JPEG, PNG, WebP, GIF) ni une vidéo "
                    "(MP4, WebM, Ogg) lisible."
                )
            }
        ) from None
    finally:
        upload.seek(0)
    if fmt not in IMAGE_TYPES:
        raise ValidationError(
            {
                "file": _("Format d'image non accepté (%(fmt)s) : JPEG, PNG, WebP ou GIF.")
                % {"fmt": fmt}
            }
        )
    if width * height > IMAGE_MAX_PIXELS:
        raise ValidationError(
            {
                "file": _("L'image est trop grande (%(w)d × %(h)d pixels).")
                % {"w": width, "h": height}
            }
        )
    return Checked(CarnetMedia.Kind.IMAGE, IMAGE_TYPES[fmt], width, height)


@transaction.atomic
def add_media(actor: User, carnet: Carnet, upload: UploadedFile) -> CarnetMedia:
    """Store ``upload`` in ``carnet`` (whoever may edit the carnet), checked first."""
    if not may_edit(actor, carnet):
        raise NotAllowed(_("Seuls les auteurs du carnet et les animateurs y déposent des médias."))
    checked = check_upload(upload)
    return CarnetMedia.objects.create(
        carnet=carnet,
        kind=checked.kind,
        file=upload,
        name=(upload.name or "fichier")[:255],
        content_type=checked.content_type,
        size=upload.size,
        width=checked.width,
        height=checked.height,
        uploaded_by=actor,
    )
