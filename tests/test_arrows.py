"""The arrows between apps point one way (README « Sens des dépendances »):

    config → channels (ogc, tiles, exports, search, layers, basemaps) → importers
           → observatoire → workgroups → geo

A module imports only its own app and the apps below it; channels import no other channel
except where the README says so (layers reads exports and basemaps, ogc reads basemaps).
Imports are read with ``ast`` (inside functions too); migrations are left out.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: Each app's layer: an app may import the apps of strictly lower layers.
LAYER = {
    "geo": 0,
    "workgroups": 1,
    "observatoire": 2,
    "importers": 3,
    "ogc": 4,
    "tiles": 4,
    "exports": 4,
    "search": 4,
    "layers": 4,
    "actualites": 4,
    "portals": 4,
    "basemaps": 4,
    # features: read the channels' models (pins point at resources and maps)
    "pins": 5,
    "participation": 5,
    "history": 5,
    "discussion": 5,
    "accueil": 5,
    "actors": 5,
    # carnets embed maps and resources, register a portal block and a search finder
    "publications": 5,
    # reports count what the features credit (missions per partner: actor profiles)
    "activite": 6,
    "config": 7,
}
#: Sideways arrows the README documents.
ALLOWED_SIDEWAYS = {
    ("layers", "exports"),
    ("layers", "basemaps"),
    ("ogc", "basemaps"),
    ("portals", "layers"),
    ("actualites", "portals"),
    ("portals", "basemaps"),
    ("publications", "discussion"),
    # carnets credit actors: the actors app owns the credit, the profile lists the carnets
    ("actors", "publications"),
}


def _imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found |= {name.split(".")[0] for name in names} & LAYER.keys()
    return found


def _edges() -> dict[tuple[str, str], list[str]]:
    edges: dict[tuple[str, str], list[str]] = {}
    for app in LAYER:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for other in _imported_apps(path) - {app}:
                edges.setdefault((app, other), []).append(str(path.relative_to(ROOT)))
    return edges


def test_the_scan_sees_the_known_arrows() -> None:
    """Positive control: the arrows that exist are found."""
    edges = _edges()
    for edge in [("observatoire", "workgroups"), ("workgroups", "geo"), ("tiles", "observatoire")]:
        assert edge in edges


@pytest.mark.parametrize("app", sorted(LAYER))
def test_arrows_point_down(app: str) -> None:
    wrong = {
        f"{source} → {target}: {', '.join(paths)}"
        for (source, target), paths in _edges().items()
        if source == app
        and LAYER[target] >= LAYER[source]
        and (source, target) not in ALLOWED_SIDEWAYS
    }
    assert not wrong, sorted(wrong)


def test_no_app_level_cycle() -> None:
    edges = set(_edges())
    assert not {(a, b) for a, b in edges if (b, a) in edges}
