from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from importers.cli import user_named
from importers.models import ImportJob
from importers.undo import UndoRefused, plan_undo, undo_import
from workgroups.errors import NotAllowed


class Command(BaseCommand):
    help = (
        "Annule un import : supprime les ressources qu'il a créées et rend aux ressources qu'il "
        "a mises à jour leurs valeurs précédentes, tout ou rien (refusé si une ressource a été "
        "modifiée depuis)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("job", type=int, help=_("Numéro de l'import."))
        parser.add_argument(
            "--as", dest="username", required=True, help=_("Animateur du groupe de l'import.")
        )
        parser.add_argument(
            "--dry-run", action="store_true", help=_("Dire ce qui serait fait, sans rien changer.")
        )

    def handle(self, *args, **options) -> None:
        actor = user_named(options["username"])
        job = ImportJob.objects.select_related("group").filter(pk=options["job"]).first()
        if job is None:
            raise CommandError(_("Import inconnu : n° %(n)s.") % {"n": options["job"]})
        try:
            plan = (plan_undo if options["dry_run"] else undo_import)(actor, job)
        except (NotAllowed, UndoRefused) as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"deleted={plan.deleted} restored={plan.restored}")
