from importers.cli import ImportCommand
from importers.sources.archires import ArchiresSource


class Command(ImportCommand):
    help = (
        "Importe des notices UNIMARC ISO 2709 d'Archirès (travaux d'étudiants) : réalisations "
        "au lieu du projet, sinon publications à la ville de l'école."
    )

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--mapping", help="Dossier des tables de correspondance Archirès (CSV)."
        )

    def make_source(self, path, options):
        return ArchiresSource(path, mapping=options["mapping"])
