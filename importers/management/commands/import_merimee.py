from importers.cli import ImportCommand
from importers.sources.merimee import MerimeeSource


class Command(ImportCommand):
    help = "Importe un fichier Mérimée (tous millésimes) en marqueurs publics et validés."
    source_class = MerimeeSource
