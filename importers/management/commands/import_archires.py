from importers.cli import ImportCommand
from importers.sources.archires import ArchiresSource


class Command(ImportCommand):
    help = (
        "Importe des notices UNIMARC ISO 2709 d'Archirès (travaux d'étudiants) : réalisations "
        "au lieu du projet, sinon publications à la ville de l'école."
    )
    source_class = ArchiresSource
    takes_mapping = True
