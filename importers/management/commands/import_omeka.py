from importers.cli import ImportCommand
from importers.sources.omeka import OmekaSource


class Command(ImportCommand):
    help = (
        "Importe des items Omeka S (export CSV ou JSON-LD de l'API, détecté) de la "
        "bibliothèque numérique Archirès en publications placées à la ville de l'école."
    )

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--mapping", help="Dossier des tables de correspondance Archirès (CSV)."
        )

    def make_source(self, path, options):
        return OmekaSource(path, mapping=options["mapping"])
