"""The simple filter fields (a form's bases, kinds, groups, themes, dates, territory, text,
heritage nearby) ⇄ CQL2 text. The territory (a commune, an EPCI or a département) filters the
territories the database derives from each resource's geometry (``communes IN ('59350')``).

One CQL2 string drives the map, the list, the downloads, the tiles and the uMap layer; forms
edit it through these fields. :meth:`SimpleFilter.to_cql2` composes; :func:`from_cql2` reads
back what it composed (clauses it does not recognise are kept, untouched, as ``advanced``).
Dates mean what they mean in every channel: the resource's period overlaps them
(:func:`observatoire.catalogue.period_cql2`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from observatoire.catalogue import period_cql2
from observatoire.cql import cql2_to_q

_QUOTED = r"'([^']*)'"
_PATTERNS: dict[str, re.Pattern] = {
    "bases": re.compile(rf"^base IN \(({_QUOTED}(?:, {_QUOTED})*)\)$"),
    "kinds": re.compile(rf"^kind IN \(({_QUOTED}(?:, {_QUOTED})*)\)$"),
    "groups": re.compile(rf"^group IN \(({_QUOTED}(?:, {_QUOTED})*)\)$"),
    "themes": re.compile(rf"^themes IN \(({_QUOTED}(?:, {_QUOTED})*)\)$"),
    # the overlap of :func:`observatoire.catalogue.period_cql2`, and the ``date_start >=`` that
    # filters composed before it still hold (bookmarked viewer URLs)
    "date_from": re.compile(
        r"^\(date_end >= DATE\('(\d{4}-\d{2}-\d{2})'\) "
        r"OR \(date_end IS NULL AND date_start >= DATE\('\1'\)\)\)$"
        r"|^date_start >= DATE\('(\d{4}-\d{2}-\d{2})'\)$"
    ),
    "date_to": re.compile(r"^date_start <= DATE\('(\d{4}-\d{2}-\d{2})'\)$"),
    # the territory derived from the geometry (observatoire.territories), and the typed
    # INSEE code that filters composed before it still hold (bookmarked viewer URLs)
    "commune": re.compile(
        r"^communes IN \('([0-9][0-9AB][0-9]{3})'\)$|^attributes\.commune_insee = '([0-9AB]{5})'$"
    ),
    "epci": re.compile(r"^epcis IN \('([0-9]{9})'\)$"),
    "departement": re.compile(
        r"^departements IN \('([0-9AB]{2,3})'\)$"
        r"|^attributes\.commune_insee LIKE '([0-9AB]{2,3})%'$"
    ),
    "text": re.compile(rf"^title LIKE {_QUOTED}$"),
    "heritage": re.compile(r"^heritage_distance <= (\d+)$"),
}


def territory_column(code: str) -> str:
    """The derived column a territory code names by its shape: 9 digits an EPCI (SIREN),
    5 characters a commune (INSEE), else a département (59, 2A, 974)."""
    if len(code) == 9:
        return "epcis"
    return "communes" if len(code) == 5 else "departements"


def quote(value: str) -> str:
    """A CQL2 string literal (the CQL2 text parser has no escape for a quote: slugs and codes
    never hold one, so it is dropped)."""
    return "'" + value.replace("'", "") + "'"


def _unquote_all(text: str) -> list[str]:
    return re.findall(_QUOTED, text)


def _like_pattern(text: str) -> str:
    """``%text%``. Quotes and LIKE wildcards cannot be escaped in our CQL2 stack, so each one
    becomes the ``%`` wildcard (« l'eau » → ``'%l%eau%'``)."""
    parts = [p for p in re.split(r"['%_\\]+", text) if p]
    return "'%" + "%".join(parts) + "%'"


def _text_of_pattern(pattern: str) -> str:
    return "'".join(p for p in pattern.split("%") if p)


@dataclass
class SimpleFilter:
    bases: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    date_from: date | None = None
    date_to: date | None = None
    territory: str = ""
    text: str = ""
    #: Within this many metres of a public Mérimée monument (« patrimoine à N m »).
    heritage: int | None = None
    advanced: str = ""

    def clauses(self) -> list[str]:
        out: list[str] = []
        for name, values in (
            ("base", self.bases),
            ("kind", self.kinds),
            ("group", self.groups),
            ("themes", self.themes),
        ):
            if values:
                out.append(f"{name} IN (" + ", ".join(quote(v) for v in values) + ")")
        out.extend(period_cql2(self.date_from, self.date_to))
        territory = self.territory.strip().upper()
        if territory:
            column = territory_column(territory)
            out.append(f"{column} IN ('{territory}')")
        if self.text.strip():
            out.append(f"title LIKE {_like_pattern(self.text.strip())}")
        if self.heritage:
            out.append(f"heritage_distance <= {int(self.heritage)}")
        if self.advanced.strip():
            out.append(self.advanced.strip())
        return out

    def to_cql2(self) -> str:
        """The CQL2 text of these fields; empty when nothing is filtered."""
        clauses = self.clauses()
        if len(clauses) > 1:
            clauses = [c if _is_atomic(c) else f"({c})" for c in clauses]
        return " AND ".join(clauses)


def _is_atomic(clause: str) -> bool:
    """True when ``clause`` has no top-level AND/OR (so it needs no parentheses)."""
    return len(split_top_level(clause, "OR")) == 1 and len(split_top_level(clause, "AND")) == 1


def split_top_level(text: str, keyword: str) -> list[str]:
    """Split ``text`` on ``keyword`` where it is outside quotes and parentheses."""
    parts: list[str] = []
    depth, quoted, start, i = 0, False, 0, 0
    token = f" {keyword} "
    upper = text.upper()
    while i < len(text):
        char = text[i]
        if char == "'":
            quoted = not quoted
        elif not quoted and char == "(":
            depth += 1
        elif not quoted and char == ")":
            depth -= 1
        elif not quoted and depth == 0 and upper.startswith(token, i):
            parts.append(text[start:i].strip())
            i += len(token)
            start = i
            continue
        i += 1
    parts.append(text[start:].strip())
    return [p for p in parts if p]


def from_cql2(text: str) -> SimpleFilter:
    """Read back the fields :meth:`SimpleFilter.to_cql2` composed; the rest goes to
    ``advanced``. The text must already be valid CQL2 (call :func:`cql2_to_q` first)."""
    result = SimpleFilter()
    rest: list[str] = []
    for clause in split_top_level(text.strip(), "AND") if text.strip() else []:
        if not _read_clause(result, clause):
            rest.append(clause)
    result.advanced = " AND ".join(rest)
    return result


def _read_clause(result: SimpleFilter, clause: str) -> bool:
    for name, pattern in _PATTERNS.items():
        match = pattern.match(clause)
        if not match:
            continue
        if name in ("bases", "kinds", "groups", "themes"):
            setattr(result, name, _unquote_all(match.group(1)))
        elif name in ("date_from", "date_to"):
            day = next(group for group in match.groups() if group)
            setattr(result, name, date.fromisoformat(day))
        elif name in ("commune", "epci", "departement"):
            result.territory = next(group for group in match.groups() if group)
        elif name == "heritage":
            result.heritage = int(match.group(1))
        else:
            result.text = _text_of_pattern(match.group(1))
        return True
    return False


def combine(*expressions: str) -> str:
    """AND of the non-empty CQL2 expressions, each parenthesised."""
    parts = [e.strip() for e in expressions if e and e.strip()]
    if len(parts) == 1:
        return parts[0]
    return " AND ".join(f"({p})" for p in parts)


def validate(text: str) -> None:
    """Raise :class:`observatoire.cql.FilterError` when ``text`` is not applicable CQL2."""
    if text.strip():
        cql2_to_q(text)
