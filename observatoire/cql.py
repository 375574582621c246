"""CQL2 (text or JSON) → Django ``Q``: the one filter language of maps, REST, OGC API and tiles.

pygeofilter parses; its Django backend translates the AST; this module adds what our model
needs (queryable names → model lookups, from the one field table :mod:`observatoire.fields`;
the ``BBOX()`` function; JSON attributes) and turns every failure into a
:class:`FilterError` with a French message naming what is wrong. The result is meant to be
combined with ``Resource.objects.visible_to(user)``, never to replace it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from django.contrib.gis.geos import GEOSGeometry, Polygon
from django.core.exceptions import ValidationError
from django.db import DataError, transaction
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _
from pygeofilter import ast, values
from pygeofilter.backends.django.evaluate import DjangoFilterEvaluator
from pygeofilter.backends.evaluator import handle

from observatoire.fields import array_lookups
from observatoire.fields import queryables as resource_queryables
from observatoire.heritage import MAX_METRES, near_heritage_q

#: Array-valued lookups: ``themes IN ('a', 'b')`` means "has at least one of them".
ARRAY_LOOKUPS = array_lookups()

#: CQL2 array functions in text (``A_CONTAINS(communes, ('59350', '59009'))``): the text
#: parser we use (pygeofilter) has no grammar for them, so they are rewritten before parsing
#: into what it parses — A_OVERLAPS as ``IN`` (any of), A_CONTAINS as one ``IN`` per value
#: (all of). Values are quoted codes; CQL2 JSON's ``a_contains``… are parsed natively.
_ARRAY_FUNCTION = re.compile(
    r"\bA_(CONTAINS|OVERLAPS)\s*\(\s*([A-Za-z_][\w.]*)\s*,\s*\(((?:\s*'[^']*'\s*,?)+)\)\s*\)",
    re.IGNORECASE,
)


def _rewrite_array_functions(text: str) -> str:
    def replace(match: re.Match) -> str:
        op, name, values = match[1].upper(), match[2], re.findall(r"'[^']*'", match[3])
        if op == "OVERLAPS":
            return f"{name} IN ({', '.join(values)})"
        return "(" + " AND ".join(f"{name} IN ({v})" for v in values) + ")"

    return _ARRAY_FUNCTION.sub(replace, text)


#: ``heritage_distance <= 500``: within 500 m of a public Mérimée monument
#: (:func:`observatoire.heritage.near_heritage_q`), so the map panel's « patrimoine à N m »
#: is part of the one CQL2 string like every other condition.
HERITAGE_DISTANCE = "heritage_distance"

#: Prefix of per-kind attributes (``attributes.annee_livraison > 2000``).
ATTRIBUTE_PREFIX = "attributes."

FILTER_LANGUAGES = ("cql2-text", "cql2-json")


class FilterError(ValueError):
    """A filter that cannot be applied; ``message`` is French and names the culprit."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class _CaseInsensitive(F):
    """A property wrapped in CQL2 ``CASEI()``: compared without regard to case."""


def like_to_regex(pattern: str) -> str:
    """A CQL2 LIKE pattern (``%`` any run, ``_`` one character, ``\\`` escapes) as an
    anchored PostgreSQL regular expression, so the match is exact whatever the pattern.
    """
    parts: list[str] = []
    escaped = False
    for char in pattern:
        if escaped:
            parts.append(re.escape(char))
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "%":
            parts.append(".*")
        elif char == "_":
            parts.append(".")
        else:
            parts.append(re.escape(char))
    if escaped:
        parts.append(re.escape("\\"))
    return "^" + "".join(parts) + "$"


class _HeritageDistance:
    """The distance to the nearest public monument: only « closer than N metres » is asked
    (an index answers it; a distance to every row would not be)."""

    def within(self, op: str, metres: Any) -> Q:
        if (
            op not in ("<", "<=")
            or isinstance(metres, bool)
            or not isinstance(metres, int | float)
            or not 0 < metres <= MAX_METRES
        ):
            raise FilterError(
                _(
                    "%(name)s se compare avec < ou <= à une distance en mètres "
                    "(de 1 à %(max)s) : %(name)s <= 500."
                )
                % {"name": HERITAGE_DISTANCE, "max": MAX_METRES}
            )
        return near_heritage_q(metres)


class _Evaluator(DjangoFilterEvaluator):
    """pygeofilter's Django evaluator, strict about names and with our functions."""

    @handle(ast.Attribute)
    def attribute(self, node: ast.Attribute) -> F | _HeritageDistance:
        name = node.name
        if name in self.field_mapping:
            return F(self.field_mapping[name])
        if name == HERITAGE_DISTANCE and "base" in self.field_mapping:  # resources only
            return _HeritageDistance()
        if name.startswith(ATTRIBUTE_PREFIX) and name[len(ATTRIBUTE_PREFIX) :].isidentifier():
            return F("attributes__" + name[len(ATTRIBUTE_PREFIX) :])
        raise FilterError(
            _(
                "Propriété inconnue dans le filtre : « %(name)s ». Propriétés possibles : "
                "%(names)s, ou attributes.<nom>."
            )
            % {"name": name, "names": ", ".join(sorted(self.field_mapping))}
        )

    @handle(ast.Like)
    def like(self, node: ast.Like, lhs: Any) -> Q:
        pattern, nocase = node.pattern, node.nocase or isinstance(lhs, _CaseInsensitive)
        if isinstance(pattern, ast.Function) and pattern.name == "lower":  # CASEI('motif')
            pattern, nocase = (pattern.arguments or [None])[0], True
        if not isinstance(lhs, F) or not isinstance(pattern, str):
            raise FilterError(_("LIKE compare une propriété à un motif texte entre apostrophes."))
        lookup = "iregex" if nocase else "regex"
        condition = Q(**{f"{lhs.name}__{lookup}": like_to_regex(pattern)})
        return ~condition if node.not_ else condition

    @handle(ast.Comparison, subclasses=True)
    def comparison(self, node: ast.Comparison, lhs: Any, rhs: Any) -> Q:
        if isinstance(lhs, _HeritageDistance):
            return lhs.within(node.op.value, rhs)
        if isinstance(lhs, _CaseInsensitive) and node.op.value in ("=", "<>"):
            condition = Q(**{f"{lhs.name}__iexact": rhs})
            return ~condition if node.op.value == "<>" else condition
        return super().comparison(node, lhs, rhs)

    @handle(ast.In)
    def in_(self, node: ast.In, lhs: Any, *options: Any) -> Q:
        if isinstance(lhs, _HeritageDistance):
            return lhs.within("IN", None)  # refused with the message that says how
        if isinstance(lhs, F) and lhs.name in ARRAY_LOOKUPS:
            overlap = Q(**{f"{lhs.name}__overlap": [str(o) for o in options]})
            return ~overlap if node.not_ else overlap
        return super().in_(node, lhs, *options)

    @handle(ast.ArrayContains, ast.ArrayOverlaps, ast.ArrayContainedBy, ast.ArrayEquals)
    def array(self, node: ast.ArrayPredicate, lhs: Any, rhs: Any) -> Q:
        if not isinstance(lhs, F) or lhs.name not in ARRAY_LOOKUPS or not isinstance(rhs, list):
            raise FilterError(
                _("Les fonctions A_… comparent une propriété liste (%(names)s) à une liste.")
                % {"names": ", ".join(sorted(ARRAY_LOOKUPS))}
            )
        lookup = {
            ast.ArrayContains: "contains",
            ast.ArrayOverlaps: "overlap",
            ast.ArrayContainedBy: "contained_by",
            ast.ArrayEquals: "exact",
        }[type(node)]
        return Q(**{f"{lhs.name}__{lookup}": [str(v) for v in rhs]})

    @handle(ast.Function)
    def function(self, node: ast.Function, *arguments: Any) -> Any:
        name = node.name.lower()
        if name == "lower" and len(arguments) == 1:  # the parser's name for CQL2 CASEI()
            (argument,) = arguments
            return _CaseInsensitive(argument.name) if isinstance(argument, F) else argument
        if name == "bbox" and len(arguments) in (4, 6):
            coords = [float(getattr(a, "value", a)) for a in arguments]
            if len(coords) == 6:
                coords = [coords[0], coords[1], coords[3], coords[4]]
            box = Polygon.from_bbox(tuple(coords))
            box.srid = 4326
            return box
        raise FilterError(
            _("Fonction non prise en charge dans le filtre : %(name)s().") % {"name": node.name}
        )

    @handle(*values.LITERALS)
    def literal(self, node: Any) -> Any:
        # plain values (not ``Value()``) let Django adapt them, e.g. to jsonb for attributes
        return node

    @handle(values.Geometry)
    def geometry(self, node: values.Geometry) -> GEOSGeometry:
        geom = GEOSGeometry(json.dumps(node.__geo_interface__))
        geom.srid = 4326
        return geom

    def adopt(self, node: Any, *sub_args: Any) -> Any:
        raise FilterError(
            _("Opérateur non pris en charge dans le filtre : %(op)s.") % {"op": type(node).__name__}
        )


def parse_filter(expression: str | dict, lang: str = "cql2-text") -> ast.AstType:
    """Parse CQL2 text or JSON; raise FilterError with the parser's position on failure."""
    if lang not in FILTER_LANGUAGES:
        raise FilterError(
            _("Langage de filtre inconnu : « %(lang)s » (possibles : %(langs)s).")
            % {"lang": lang, "langs": ", ".join(FILTER_LANGUAGES)}
        )
    if isinstance(expression, str) and not expression.strip():
        raise FilterError(_("Le filtre est vide."))
    # The parsers build their Lark grammars when imported (0.2 s): web workers load them at
    # boot (config/wsgi.py), management commands that never filter do not.
    from pygeofilter.parsers.cql2_json import parse as parse_cql2_json
    from pygeofilter.parsers.cql2_text import parse as parse_cql2_text

    try:
        if lang == "cql2-json":
            return parse_cql2_json(expression)
        return parse_cql2_text(_rewrite_array_functions(expression))
    except Exception as exc:  # lark and json raise many types; all mean "bad syntax"
        raise FilterError(
            _("Filtre %(lang)s invalide : %(detail)s") % {"lang": lang, "detail": _syntax(exc)}
        ) from exc


def _syntax(exc: Exception) -> str:
    """What the parser found wrong, in French with its line and column when it gives them
    (lark's ``UnexpectedInput``), else its own first line."""
    line, column = getattr(exc, "line", None), getattr(exc, "column", None)
    if not (isinstance(line, int) and isinstance(column, int) and line > 0 and column > 0):
        return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    token, char = getattr(exc, "token", None), getattr(exc, "char", None)
    if token is not None and token.type == "$END":
        what = _("le texte s'arrête avant la fin de la condition")
    elif token is not None:
        what = _("« %(token)s » inattendu") % {"token": token.value}
    else:
        what = _("caractère « %(char)s » inattendu") % {"char": char}
    return _("%(what)s (ligne %(line)s, colonne %(column)s).") % {
        "what": what,
        "line": line,
        "column": column,
    }


def cql2_to_q(
    expression: str | dict,
    lang: str = "cql2-text",
    queryables: Mapping[str, str] | None = None,
) -> Q:
    """Translate a CQL2 expression to a ``Q`` over the model described by ``queryables``
    (CQL2 name → lookup; by default the queryables of :mod:`observatoire.fields`)."""
    if queryables is None:
        queryables = resource_queryables()
    root = parse_filter(expression, lang)
    try:
        result = _Evaluator(dict(queryables), None).evaluate(root)
    except FilterError:
        raise
    except Exception as exc:  # pygeofilter raises ValueError/AssertionError/KeyError
        raise FilterError(
            _("Filtre impossible à appliquer : %(detail)s") % {"detail": exc}
        ) from exc
    if not isinstance(result, Q):
        raise FilterError(_("Le filtre doit être une condition (comparaison, prédicat…)."))
    return result


def apply_filter(queryset: QuerySet, text: str) -> QuerySet:
    """``queryset`` narrowed by the CQL2 ``text``; every way the filter can be wrong — syntax,
    a value of the wrong type for its property (Django or PostgreSQL refusing it) — becomes a
    :class:`FilterError`, checked before any response starts streaming."""
    if not text.strip():
        return queryset
    try:
        narrowed = queryset.filter(cql2_to_q(text))
        with transaction.atomic():
            narrowed.exists()
    except FilterError:
        raise
    except (ValidationError, DataError, ValueError, TypeError) as exc:
        detail = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        raise FilterError(
            _("valeur incompatible avec la propriété filtrée (%(detail)s).")
            % {"detail": detail.splitlines()[0] if detail else type(exc).__name__}
        ) from exc
    return narrowed
