from django.core.management.base import CommandError

from importers.cli import ImportCommand
from importers.sources.ogr_file import GeodataSource
from observatoire.kinds import Base, Kind


class Command(ImportCommand):
    help = (
        "Importe un fichier géographique (GeoPackage, Shapefile zippé, GeoJSON, FlatGeobuf, "
        "KML, CSV lon/lat ou WKT) en ressources d'une base et d'un type donnés."
    )

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--base", required=True, choices=Base.values)
        parser.add_argument("--kind", required=True, choices=Kind.values)
        parser.add_argument("--layer", help="Couche à lire (GeoPackage…).")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="CHAMP=COLONNE",
            help="Associe une colonne à un champ (title, source_id, date_start…) ou un attribut.",
        )
        parser.add_argument("--srid", type=int, help="Code EPSG des coordonnées du fichier.")
        parser.add_argument("--source", help="Nom de la provenance (clé de mise à jour).")

    def make_source(self, path, options):
        mapping = {}
        for item in options["map"]:
            target, sep, column = item.partition("=")
            if not sep or not target or not column:
                raise CommandError(f"--map attend CHAMP=COLONNE, pas « {item} ».")
            mapping[target.strip()] = column.strip()
        return GeodataSource(
            path,
            base=options["base"],
            kind=options["kind"],
            layer=options["layer"],
            mapping=mapping,
            srid=options["srid"],
            source_name=options["source"],
        )
