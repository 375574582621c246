"""Reading an uploaded or given file safely: size limits, zip archives, text encodings."""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

#: A zip member inflating more than this many times is refused as a likely bomb.
MAX_ZIP_RATIO = 200


class ImportFileError(Exception):
    """The file as a whole cannot be imported; ``message`` is French, for people."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def max_bytes() -> int:
    return settings.SPASS["IMPORT_MAX_BYTES"]


def checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def zip_member(path: Path, suffixes: Iterable[str]) -> zipfile.ZipInfo:
    """The data member of a zip: the only file, or the only one with an expected suffix."""
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise ImportFileError(_("Archive zip illisible : %(err)s.") % {"err": exc}) from exc
    with archive:
        members = [
            m
            for m in archive.infolist()
            if not m.is_dir() and not m.filename.startswith("__MACOSX/")
        ]
    suffixes = tuple(s.lower() for s in suffixes)
    wanted = [m for m in members if m.filename.lower().endswith(suffixes)] or members
    if len(wanted) != 1:
        raise ImportFileError(
            _("L'archive doit contenir un seul fichier de données (%(n)s trouvés).")
            % {"n": len(wanted)}
        )
    member = wanted[0]
    limit = max_bytes()
    if member.file_size > limit or (
        member.compress_size
        and member.file_size > MAX_ZIP_RATIO * member.compress_size
        and member.file_size > 10 * 1024 * 1024
    ):
        raise ImportFileError(
            _(
                "Le fichier « %(name)s » décompressé ferait %(size)s octets : "
                "refusé (limite %(limit)s)."
            )
            % {"name": member.filename, "size": member.file_size, "limit": limit}
        )
    return member


def read_bytes(path: Path, suffixes: Iterable[str] = ()) -> tuple[str, bytes]:
    """(name, content) of a plain file or of the data file inside a zip, within the size limit."""
    path = Path(path)
    if not path.is_file():
        raise ImportFileError(_("Fichier introuvable : %(name)s.") % {"name": path.name})
    limit = max_bytes()
    if zipfile.is_zipfile(path):
        member = zip_member(path, suffixes)
        with zipfile.ZipFile(path) as archive, archive.open(member) as fh:
            data = fh.read(limit + 1)
        name = member.filename
    else:
        if path.stat().st_size > limit:
            raise ImportFileError(
                _("Fichier trop volumineux (limite %(limit)s octets).") % {"limit": limit}
            )
        data = path.read_bytes()
        name = path.name
    if len(data) > limit:
        raise ImportFileError(
            _("Fichier trop volumineux (limite %(limit)s octets).") % {"limit": limit}
        )
    if not data.strip():
        raise ImportFileError(_("Le fichier est vide."))
    return name, data


def decode_text(data: bytes) -> tuple[str, list[int]]:
    """Text of a UTF-8 or Latin-1 file; lines of a mixed file are decoded one by one.

    Returns the text and the (1-based) numbers of the Latin-1 lines when the file mixes both
    encodings, so that the importer can warn about them.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    lines = data.split(b"\n")
    out: list[str] = []
    latin: list[int] = []
    utf8_seen = False
    for number, line in enumerate(lines, start=1):
        try:
            text = line.decode("utf-8")
            utf8_seen = utf8_seen or not line.isascii()
        except UnicodeDecodeError:
            text = line.decode("cp1252", errors="replace")
            latin.append(number)
        out.append(text)
    return "\n".join(out), latin if utf8_seen else []
