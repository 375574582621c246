"""CQL2 → Q: what the filter of maps, REST, OGC API and tiles selects, on real PostGIS."""

import pytest
from django.contrib.gis.geos import Point

from observatoire.cql import FilterError, cql2_to_q, like_to_regex
from observatoire.models import Resource

from ..factories import GroupFactory, ResourceFactory

#: name → (title, group slug, kind, (lon, lat), attributes)
SAMPLE = {
    "lille": ("Beffroi de Lille", "nord", "marqueur", (3.06, 50.63), {"epoque": "XVIIe"}),
    "roubaix": (
        "Médiathèque de Roubaix",
        "nord",
        "realisation",
        (3.17, 50.69),
        {"annee_livraison": 2012},
    ),
    "grenoble": (
        "Caserne de Bonne",
        "alpes",
        "realisation",
        (5.72, 45.18),
        {"annee_livraison": 2010},
    ),
}


@pytest.fixture
def sample(db):
    groups = {slug: GroupFactory(slug=slug) for slug in ("nord", "alpes")}
    return {
        name: ResourceFactory(
            title=title,
            group=groups[slug],
            kind=kind,
            geom=Point(*lonlat, srid=4326),
            attributes=attributes,
        )
        for name, (title, slug, kind, lonlat, attributes) in SAMPLE.items()
    }


def _titles(expression, lang="cql2-text"):
    return sorted(
        Resource.objects.filter(cql2_to_q(expression, lang)).values_list("title", flat=True)
    )


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("kind = 'realisation'", ["Caserne de Bonne", "Médiathèque de Roubaix"]),
        ("group IN ('nord')", ["Beffroi de Lille", "Médiathèque de Roubaix"]),
        ("kind = 'realisation' AND group = 'alpes'", ["Caserne de Bonne"]),
        ("title LIKE 'Beffroi%'", ["Beffroi de Lille"]),
        ("title LIKE '%de%'", ["Beffroi de Lille", "Caserne de Bonne", "Médiathèque de Roubaix"]),
        ("title LIKE 'Caserne_de%'", ["Caserne de Bonne"]),
        ("title LIKE '%e%d%R%'", ["Médiathèque de Roubaix"]),
        ("title LIKE 'beffroi%'", []),
        ("CASEI(title) LIKE CASEI('BEFFROI%')", ["Beffroi de Lille"]),
        ("CASEI(title) = CASEI('caserne DE bonne')", ["Caserne de Bonne"]),
        ("title NOT LIKE '%de B%'", ["Beffroi de Lille", "Médiathèque de Roubaix"]),
        ("S_INTERSECTS(geometry, BBOX(2.5, 50, 3.1, 51))", ["Beffroi de Lille"]),
        ("S_WITHIN(geometry, POLYGON((5 45, 6 45, 6 46, 5 46, 5 45)))", ["Caserne de Bonne"]),
        ("attributes.annee_livraison > 2011", ["Médiathèque de Roubaix"]),
        ("NOT (kind = 'realisation')", ["Beffroi de Lille"]),
    ],
)
def test_cql2_text_selects(sample, expression, expected):
    """Each CQL2 text expression selects exactly the matching resources."""
    assert _titles(expression) == expected


def test_cql2_json_selects(sample):
    """The JSON encoding selects the same features as the text one."""
    expression = {
        "op": "and",
        "args": [
            {"op": "=", "args": [{"property": "kind"}, "realisation"]},
            {"op": "=", "args": [{"property": "group"}, "nord"]},
        ],
    }
    assert _titles(expression, "cql2-json") == ["Médiathèque de Roubaix"]


@pytest.mark.parametrize(
    ("expression", "lang", "named"),
    [
        ("colour = 'red'", "cql2-text", "colour"),
        ("kind = ", "cql2-text", "invalide"),
        ("kind = 'x'", "ecql", "ecql"),
        ("", "cql2-text", "vide"),
        ("{not json", "cql2-json", "invalide"),
    ],
)
def test_bad_filters_raise_a_named_error(db, expression, lang, named):
    """Unknown properties, syntax errors and languages are refused with a French message."""
    with pytest.raises(FilterError) as error:
        cql2_to_q(expression, lang)
    assert named in error.value.message


@pytest.mark.parametrize(
    "pattern,regex",
    [("a%", "^a.*$"), ("_b", "^.b$"), ("100\\%", "^100%$"), ("a.b", "^a\\.b$"), ("%", "^.*$")],
)
def test_like_pattern_is_exact(pattern, regex):
    """LIKE patterns keep CQL2's meaning: % any run, _ one character, backslash escapes."""
    assert like_to_regex(pattern) == regex
