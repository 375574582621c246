"""Map and check each record of a source: the one loop the import and its preview share,
so that the rows a preview shows as created or rejected are those the import will create
or reject, for the same reasons."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from django.utils.translation import gettext as _

from .base import RowError, Source
from .validation import RowValidator


@dataclass
class CheckedRow:
    """One record of the file, mapped onto resource fields and checked.

    ``fields`` holds the row as it will be written (dates converted) when ``problems`` is
    empty; otherwise the row is rejected and ``problems`` says why, keyed by field.
    """

    row: int
    source_id: str
    fields: dict[str, Any] | None
    problems: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)


def check_rows(
    source: Source,
    validator: RowValidator,
    seen: dict[str, int],
    limit: int | None = None,
) -> Iterator[CheckedRow]:
    """The checked rows of ``source`` (its first ``limit`` records); ``seen`` collects the
    source id → row number of the accepted rows, which refuses duplicates within the file."""
    for record in islice(source.records(), limit):
        sid = ""
        try:
            mapped = source.map(record)
            sid = mapped.source_id
            if not sid:
                raise RowError("source_id", _("Identifiant absent : ligne ignorée."))
            if sid in seen:
                raise RowError(
                    "source_id",
                    _("Identifiant « %(id)s » en double dans le fichier (déjà ligne %(row)s).")
                    % {"id": sid, "row": seen[sid]},
                )
            fields = {"base": source.base, "kind": source.kind, **mapped.fields}
            problems = validator.problems(sid, fields)
        except RowError as exc:
            yield CheckedRow(record.row, sid or exc.source_id, None, [(exc.field, exc.message)])
            continue
        if problems:
            yield CheckedRow(record.row, sid, None, problems)
            continue
        seen[sid] = record.row
        yield CheckedRow(record.row, sid, fields, warnings=mapped.warnings)
