"""The declarative interface of an importer.

A ``Source`` reads a file into ``Record``s and maps each record onto resource fields; the
engine (``engine.run_import``) validates every mapped row with the model's own rules, then
upserts the valid ones in one transaction on (``source``, ``source_id``). A source reports
problems of a row by raising ``RowError`` (the row is rejected) or calling ``warn``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from workgroups.roles import Level

ERROR = "erreur"
WARNING = "avertissement"
#: A row whose key belongs to a resource the importer may not edit: reported, never written.
CONFLICT = "conflit"
#: A row of a harvest's earlier runs missing from its source now: kept, flagged, reported.
REMOVED = "retiree"


@dataclass
class Issue:
    """One line of the report; ``row`` 0 concerns the whole file."""

    row: int
    source_id: str
    field: str
    level: str
    message: str


class RowError(Exception):
    """Rejects the current row; ``field`` names the column or resource field at fault."""

    def __init__(self, field: str, message: str, source_id: str = "") -> None:
        super().__init__(message)
        self.field = field
        self.message = message
        self.source_id = source_id


@dataclass
class Record:
    """A raw record as read from the file, numbered from 1."""

    row: int
    data: dict[str, Any]


@dataclass
class Mapped:
    """A record turned into resource fields, ready for validation and upsert."""

    source_id: str
    fields: dict[str, Any]
    warnings: list[tuple[str, str]] = field(default_factory=list)

    def warn(self, field_name: str, message: str) -> None:
        self.warnings.append((field_name, message))


class Source:
    """Base class of the importers: subclasses declare what they write and how to read."""

    #: provenance written in ``Resource.source`` (the upsert key space)
    name: ClassVar[str]
    base: ClassVar[str]
    kind: ClassVar[str]
    default_level: ClassVar[str] = Level.GROUPE
    #: suffixes of the data file looked for inside a zip
    suffixes: ClassVar[tuple[str, ...]] = ()

    def __init__(self, path: Path | str, **options: Any) -> None:
        self.path = Path(path)
        self.options = options
        #: issues about the whole file (encoding, built keys…), filled while reading
        self.file_issues: list[Issue] = []

    def file_warning(self, message: str, field_name: str = "") -> None:
        self.file_issues.append(Issue(0, "", field_name, WARNING, message))

    def records(self) -> Iterator[Record]:
        """Yield the records of the file; raise ``ImportFileError`` when it is unreadable."""
        raise NotImplementedError

    def map(self, record: Record) -> Mapped:
        """Turn one record into resource fields; raise ``RowError`` to reject it."""
        raise NotImplementedError
