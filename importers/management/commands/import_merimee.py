from importers.cli import ImportCommand
from importers.sources.merimee import MerimeeSource


class Command(ImportCommand):
    help = "Importe un fichier Mérimée (tous millésimes) en marqueurs publics et validés."

    def make_source(self, path, options):
        return MerimeeSource(path)
