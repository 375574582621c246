"""Photos of the public: judged by their content (Pillow decodes them), limited in size and
pixels, their EXIF GPS read to suggest the place, then re-encoded as JPEG with **no** EXIF at
all (camera serial numbers, dates and positions are personal data), before anything is
stored."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from observatoire.attachments import max_upload_bytes

#: Decoding bombs are refused: a phone photo has ~12–50 Mpx.
MAX_PIXELS = 60_000_000
#: Longest side kept: enough for a resource page, small enough to store thousands.
MAX_SIDE = 2048
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "MPO"}
GPS_IFD = 0x8825


@dataclass(frozen=True)
class CleanPhoto:
    name: str
    data: bytes
    #: ``(lon, lat)`` read from the EXIF GPS, or None.
    position: tuple[float, float] | None


def _rational(value) -> float:
    return float(value[0]) / float(value[1]) if isinstance(value, tuple) else float(value)


def _gps_position(image: Image.Image) -> tuple[float, float] | None:
    try:
        gps = image.getexif().get_ifd(GPS_IFD)
        lat = sum(_rational(v) / 60**i for i, v in enumerate(gps[2]))
        lon = sum(_rational(v) / 60**i for i, v in enumerate(gps[4]))
    except (KeyError, TypeError, ValueError, ZeroDivisionError, IndexError):
        return None
    if gps.get(1) == "S":
        lat = -lat
    if gps.get(3) == "W":
        lon = -lon
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
        return None
    return round(lon, 6), round(lat, 6)


def clean_photo(upload: UploadedFile) -> CleanPhoto:
    """The photo re-encoded without metadata, or a French ``ValidationError`` on ``photos``."""
    name = (upload.name or "photo")[:200]
    limit = max_upload_bytes()
    if upload.size > limit:
        raise ValidationError(
            {
                "photos": _("« %(name)s » pèse %(size)s : la limite est de %(limit)s par photo.")
                % {
                    "name": name,
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(limit),
                }
            }
        )
    not_image = ValidationError(
        {
            "photos": _(
                "« %(name)s » n'est pas une photo lisible (formats acceptés : JPEG, PNG, WebP)."
            )
            % {"name": name}
        }
    )
    try:
        upload.seek(0)
        image = Image.open(upload)
        if image.format not in ACCEPTED_FORMATS:
            raise not_image
        if image.width * image.height > MAX_PIXELS:
            raise ValidationError({"photos": _("« %(name)s » a trop de pixels.") % {"name": name}})
        position = _gps_position(image)
        image = ImageOps.exif_transpose(image)  # keep the orientation the EXIF gave
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise not_image from None
    image = image.convert("RGB")
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, optimize=True)  # no exif= : nothing is written
    stem = name.rsplit(".", 1)[0] or "photo"
    return CleanPhoto(f"{stem[:150]}.jpg", out.getvalue(), position)


#: Side of the moderation queue's thumbnails (shown at 64×48 CSS pixels, sharp on a 2× screen).
THUMBNAIL_SIDE = 160


def thumbnail(handle) -> bytes:
    """A small JPEG of a stored (already cleaned) photo, for the moderation queue: a page of
    50 contributions then weighs a few hundred kilobytes, not 50 full photos. JPEG draft mode
    decodes at a fraction of the size, so this stays cheap enough to do on each request."""
    image = Image.open(handle)
    image.draft("RGB", (THUMBNAIL_SIDE * 2, THUMBNAIL_SIDE * 2))
    image = image.convert("RGB")
    image.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()
