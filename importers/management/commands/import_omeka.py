from importers.cli import ImportCommand
from importers.sources.omeka import OmekaSource


class Command(ImportCommand):
    help = (
        "Importe des items Omeka S (export CSV ou JSON-LD de l'API, détecté) de la "
        "bibliothèque numérique Archirès en publications placées à la ville de l'école."
    )
    source_class = OmekaSource
    takes_mapping = True
