"""Photos and documents attached to resources: checks of size and type, then storage.

The type is judged on the file's first bytes, not on its name or the browser's claim, so a
renamed executable is refused. Every file is checked before any is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from workgroups.errors import NotAllowed
from workgroups.models import Group, User

from .kinds import BASE_OF_KIND
from .models import Attachment, Resource
from .permissions import can_edit
from .services import create_resource, update_resource


@dataclass(frozen=True)
class FileType:
    extensions: tuple[str, ...]
    magic: tuple[bytes, ...]
    content_type: str
    category: str


FILE_TYPES: tuple[FileType, ...] = (
    FileType((".jpg", ".jpeg"), (b"\xff\xd8\xff",), "image/jpeg", Attachment.Category.PHOTO),
    FileType((".png",), (b"\x89PNG\r\n\x1a\n",), "image/png", Attachment.Category.PHOTO),
    FileType((".webp",), (b"RIFF",), "image/webp", Attachment.Category.PHOTO),
    FileType((".pdf",), (b"%PDF-",), "application/pdf", Attachment.Category.DOCUMENT),
    FileType(
        (".odt",),
        (b"PK\x03\x04",),
        "application/vnd.oasis.opendocument.text",
        Attachment.Category.DOCUMENT,
    ),
    FileType(
        (".docx",),
        (b"PK\x03\x04",),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Attachment.Category.DOCUMENT,
    ),
)

ACCEPTED_EXTENSIONS = tuple(ext for t in FILE_TYPES for ext in t.extensions)


def max_upload_bytes() -> int:
    return settings.SPASS["MAX_UPLOAD_BYTES"]


def file_type_of(upload: UploadedFile) -> FileType:
    """The accepted type of ``upload``, judged by its extension and first bytes.

    :raises ValidationError: keyed ``files``, in French, naming the file.
    """
    name = upload.name or ""
    limit = max_upload_bytes()
    if upload.size > limit:
        raise ValidationError(
            {
                "files": _("« %(name)s » pèse %(size)s : la limite est de %(limit)s par fichier.")
                % {
                    "name": name,
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(limit),
                }
            }
        )
    lower = name.lower()
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for file_type in FILE_TYPES:
        if lower.endswith(file_type.extensions) and head.startswith(file_type.magic):
            if file_type.content_type == "image/webp" and head[8:12] != b"WEBP":
                continue
            return file_type
    raise ValidationError(
        {
            "files": _("« %(name)s » n'est pas un type de fichier accepté (acceptés : %(types)s).")
            % {"name": name, "types": ", ".join(ACCEPTED_EXTENSIONS)}
        }
    )


def check_files(files: Iterable[UploadedFile]) -> list[tuple[UploadedFile, FileType]]:
    """Check every file; raise on the first bad one so that nothing is written."""
    return [(upload, file_type_of(upload)) for upload in files]


@transaction.atomic
def attach(actor: User, resource: Resource, files: Iterable[UploadedFile]) -> list[Attachment]:
    """Attach checked files to a resource the actor may edit."""
    if not can_edit(actor, resource):
        raise NotAllowed()
    checked = check_files(files)
    return [
        Attachment.objects.create(
            resource=resource,
            file=upload,
            category=file_type.category,
            name=(upload.name or "")[:255],
            content_type=file_type.content_type,
            size=upload.size,
            uploaded_by=actor,
        )
        for upload, file_type in checked
    ]


@transaction.atomic
def detach(actor: User, attachment: Attachment) -> None:
    if not can_edit(actor, attachment.resource):
        raise NotAllowed()
    attachment.file.delete(save=False)
    attachment.delete()


@transaction.atomic
def create_with_files(
    actor: User, group: Group, *, kind: str, level: str, files: Iterable[UploadedFile], **fields
) -> Resource:
    """Create a resource and its attachments together: all is written, or nothing."""
    files = list(files)
    check_files(files)
    resource = create_resource(
        actor, group, level=level, base=BASE_OF_KIND.get(kind, ""), kind=kind, **fields
    )
    attach(actor, resource, files)
    return resource


@transaction.atomic
def update_with_files(
    actor: User, resource: Resource, *, files: Iterable[UploadedFile], **changes
) -> Resource:
    """Update a resource and add attachments together: all is written, or nothing."""
    files = list(files)
    check_files(files)
    resource = update_resource(actor, resource, **changes)
    attach(actor, resource, files)
    return resource
