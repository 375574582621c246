from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from importers.cli import user_named
from importers.harvests import add_harvest, harvest_named, run_harvest
from importers.models import Harvest, ImportJob
from observatoire.kinds import Kind
from workgroups.errors import InvalidState, NotAllowed
from workgroups.models import Group


class Command(BaseCommand):
    help = (
        "Moissons : une adresse (GeoJSON, CSV, collection OGC API Features, export Mérimée) "
        "réimportée chaque jour ou chaque semaine dans un groupe par la file de travaux. "
        "« add » l'ajoute, « list » les liste, « run » en lance une tout de suite."
    )

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        add = actions.add_parser("add", help=_("Ajouter une moisson."))
        add.add_argument("name", help=_("Nom de la moisson (unique)."))
        add.add_argument("--url", required=True, help=_("Adresse http(s) de la source."))
        add.add_argument("--group", required=True, help=_("Slug du groupe destinataire."))
        add.add_argument(
            "--as", dest="username", required=True, help=_("Animateur du groupe, auteur.")
        )
        add.add_argument("--kind", required=True, choices=Kind.values)
        add.add_argument(
            "--format",
            choices=Harvest.Format.values,
            help=_("Par défaut : ogc pour …/items, csv pour un .csv, sinon geojson."),
        )
        add.add_argument("--profile", help=_("Profil de correspondance du groupe."))
        add.add_argument("--every", choices=Harvest.Every.values, default=Harvest.Every.DAILY)
        actions.add_parser("list", help=_("Lister les moissons."))
        run = actions.add_parser("run", help=_("Lancer une moisson maintenant."))
        run.add_argument("name", help=_("Nom de la moisson."))

    def handle(self, *args, action: str, **options) -> None:
        try:
            getattr(self, f"handle_{action}")(**options)
        except (InvalidState, NotAllowed) as exc:
            raise CommandError(exc.message) from None

    def handle_add(self, **options) -> None:
        group = Group.objects.filter(slug=options["group"]).first()
        if group is None:
            raise CommandError(_("Groupe inconnu : « %(slug)s ».") % {"slug": options["group"]})
        harvest = add_harvest(
            user_named(options["username"]),
            name=options["name"],
            url=options["url"],
            group=group,
            kind=options["kind"],
            fmt=options["format"],
            profile=options["profile"],
            every=options["every"],
        )
        self.stdout.write(
            _("Moisson « %(name)s » ajoutée (%(format)s, %(every)s) ; première : %(next)s.")
            % {
                "name": harvest.name,
                "format": harvest.format,
                "every": harvest.get_every_display(),
                "next": timezone.localtime(harvest.next_run_at).strftime("%Y-%m-%d %H:%M"),
            }
        )

    def handle_list(self, **options) -> None:
        for harvest in Harvest.objects.select_related("group").order_by("name"):
            last = harvest.jobs.order_by("-id").first()
            self.stdout.write(
                "\t".join(
                    (
                        harvest.name,
                        harvest.group.slug,
                        harvest.format,
                        harvest.every,
                        harvest.url,
                        _("dernière : %(state)s") % {"state": _last_run(last)},
                        _("prochaine : %(when)s") % {"when": _when(harvest.next_run_at)},
                    )
                )
            )

    def handle_run(self, **options) -> None:
        job = run_harvest(harvest_named(options["name"]))
        self.stdout.write(f"{job.summary_line()} removed={job.removed}")
        self.stdout.write(_("Import n° %(n)s.") % {"n": job.pk})
        if job.status == ImportJob.Status.FAILED:
            raise CommandError(job.error)


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "—"


def _last_run(job: ImportJob | None) -> str:
    if job is None:
        return _("jamais")
    return f"{_when(job.finished_at or job.started_at)} {job.get_status_display()} (n° {job.pk})"
