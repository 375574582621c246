"""What every ``import_*`` command shares: options, actor, progress bar, summary line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from workgroups.models import Group, Membership, User
from workgroups.roles import Capability, Level, roles_with

from .base import Source
from .engine import ImportAborted, run_import
from .heartbeat import Heartbeat


def default_actor(group: Group) -> User | None:
    """The group's first member who may import there (an animateur): the author of imported
    resources unless ``--as``."""
    membership = (
        Membership.objects.filter(
            group=group, role__in=roles_with(Capability.VALIDATE), state=Membership.State.ACTIVE
        )
        .select_related("user")
        .order_by("id")
        .first()
    )
    return membership.user if membership else None


def user_named(username: str) -> User:
    """The account of ``--as``, or the command's French error."""
    user = User.objects.filter(username=username).first()
    if user is None:
        raise CommandError(_("Utilisateur inconnu : « %(u)s ».") % {"u": username})
    return user


class ImportCommand(BaseCommand):
    """Base of the import commands: subclasses name their ``source_class`` (and set
    ``takes_mapping`` for the Archirès code lists), or build their ``Source`` in ``make_source``."""

    #: The source the command reads its file with.
    source_class: type[Source] | None = None
    #: Whether the command takes ``--mapping`` (the folder of the Archirès code lists).
    takes_mapping = False
    #: The command line, when run from one: kept on the job to run an interrupted import again.
    argv: list[str] | None = None
    #: Django's system checks load every URL module (1.5 s) for nothing an import reads; they
    #: run where they belong, before serving and testing (``manage.py check`` in the Makefile).
    requires_system_checks: list[str] = []

    def run_from_argv(self, argv: list[str]) -> None:
        self.argv = argv
        super().run_from_argv(argv)

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help=_("Fichier à importer (ou archive .zip le contenant)."))
        parser.add_argument("--group", required=True, help=_("Slug du groupe destinataire."))
        parser.add_argument(
            "--as", dest="username", help=_("Auteur (par défaut : premier animateur).")
        )
        parser.add_argument("--level", choices=Level.values, help=_("Niveau de partage."))
        parser.add_argument(
            "--dry-run", action="store_true", help=_("Tout vérifier, ne rien écrire.")
        )
        parser.add_argument(
            "--validate",
            action="store_true",
            help=_(
                "Valider les ressources importées : l'auteur de l'import (animateur) les valide."
            ),
        )
        parser.add_argument("--limit", type=int, help=_("Ne lire que les N premières lignes."))
        parser.add_argument(
            "--max-errors",
            type=int,
            help=_("Échouer au-delà de N lignes rejetées (défaut : sans limite)."),
        )
        if self.takes_mapping:
            parser.add_argument(
                "--mapping", help=_("Dossier des tables de correspondance Archirès (CSV).")
            )

    def make_source(self, path: Path, options: dict[str, Any]) -> Source:
        if self.source_class is None:
            raise NotImplementedError
        if self.takes_mapping:
            return self.source_class(path, mapping=options["mapping"])
        return self.source_class(path)

    def handle(self, *args, **options) -> None:
        try:
            group = Group.objects.get(slug=options["group"])
        except Group.DoesNotExist:
            raise CommandError(
                _("Groupe inconnu : « %(slug)s ».") % {"slug": options["group"]}
            ) from None
        if options["username"]:
            actor = user_named(options["username"])
        else:
            actor = default_actor(group)
            if actor is None:
                raise CommandError(_("Le groupe n'a pas d'animateur : précisez --as."))
        source = self.make_source(Path(options["file"]), options)
        with (
            tqdm(desc=source.name, unit=" lignes", disable=options["verbosity"] < 1) as bar,
            Heartbeat(),
        ):
            try:
                job, report = run_import(
                    source,
                    actor=actor,
                    group=group,
                    level=options["level"],
                    dry_run=options["dry_run"],
                    limit=options["limit"],
                    max_errors=options["max_errors"],
                    progress=bar.update,
                    validator=actor if options["validate"] else None,
                    command=self.argv,
                )
            except ImportAborted as exc:
                bar.close()
                if exc.job is not None:
                    self.stdout.write(exc.job.summary_line())
                    self.stdout.write(str(exc.report))
                raise CommandError(exc.message) from None
        self.stdout.write(job.summary_line())
        self.stdout.write(str(report))
