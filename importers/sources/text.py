"""Small text helpers shared by the sources: header keys, multi-values, delimited files."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterator

from django.utils.translation import gettext as _

from ..base import Record
from ..files import ImportFileError


def header_key(name: str) -> str:
    """``Référence`` → ``reference``, ``Code département`` → ``code_departement``."""
    text = unicodedata.normalize("NFKD", str(name).strip().lstrip("\ufeff"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def split_values(value: str) -> list[str]:
    """Multi-values joined by ``;``, `` ; ``, ``;;`` or ``|``, without empty parts."""
    if not value or (";" not in value and "|" not in value):
        value = (value or "").strip()
        return [value] if value else []
    return [part.strip() for part in re.split(r"\s*[;|]+\s*", value or "") if part.strip()]


def delimited_records(text: str) -> Iterator[Record]:
    """Records of a ``;`` or ``|`` separated file, keyed by ``header_key``.

    A ``|`` file whose data is not quoted (the 2017 Mérimée export) is read without quoting,
    since some of its values begin with a literal ``"``; other files are RFC 4180 CSV.
    Rows with a wrong number of columns are yielded with ``data=None``.
    """
    first_line, _sep, rest = text.partition("\n")
    delimiter = "|" if first_line.count("|") > first_line.count(";") else ";"
    if delimiter == "|" and not rest.lstrip().startswith('"'):
        reader = csv.reader(io.StringIO(text, newline=""), delimiter="|", quoting=csv.QUOTE_NONE)
    else:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [header_key(h) for h in next(reader)]
    except StopIteration as exc:
        raise ImportFileError(_("Le fichier est vide.")) from exc
    if len(header) < 2:
        raise ImportFileError(
            _("En-tête illisible : ni « ; » ni « | » comme séparateur de colonnes.")
        )
    number = 0
    for values in reader:
        if not values or (len(values) == 1 and not values[0].strip()):
            continue
        number += 1
        values = [v.rstrip("\r") for v in values]
        if len(values) != len(header):
            yield Record(number, {"__columns__": len(values), "__expected__": len(header)})
            continue
        yield Record(number, dict(zip(header, values, strict=True)))
