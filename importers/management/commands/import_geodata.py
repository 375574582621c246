from django.core.management.base import CommandError

from importers.cli import ImportCommand
from importers.mapping import ColumnMapping, MappingError
from importers.profiles import profile_named
from importers.sources.ogr_file import GeodataSource
from observatoire.kinds import BASE_OF_KIND, Base, Kind
from workgroups.errors import InvalidState
from workgroups.models import Group


class Command(ImportCommand):
    help = (
        "Importe un fichier géographique (GeoPackage, Shapefile zippé, GeoJSON, FlatGeobuf, "
        "KML, CSV lon/lat ou WKT) en ressources d'un type donné ; les colonnes aux noms connus "
        "(codes POP de Mérimée et de l'Inventaire, champs Omeka S et Archirès, titre, nom, "
        "commune, insee…) sont associées d'elles-mêmes."
    )

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--kind", required=True, choices=Kind.values)
        parser.add_argument(
            "--base", choices=Base.values, help="Base (par défaut : celle du type)."
        )
        parser.add_argument("--layer", help="Couche à lire (GeoPackage…).")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="CIBLE=COLONNE",
            help=(
                "Associe une colonne à une cible : title, summary, description, date_start, "
                "date_end, source_id, themes, commune_insee, attributes.<nom> ou ignore. "
                "L'emporte sur les associations reconnues d'après les noms de colonnes."
            ),
        )
        parser.add_argument(
            "--profile",
            metavar="NOM",
            help=(
                "Profil de correspondance du groupe (--group), enregistré sur la page d'import : "
                "sa correspondance s'applique telle quelle, --map l'emporte colonne par colonne."
            ),
        )
        parser.add_argument("--srid", type=int, help="Code EPSG des coordonnées du fichier.")
        parser.add_argument("--source", help="Nom de la provenance (clé de mise à jour).")

    def make_source(self, path, options):
        try:
            mapping = ColumnMapping.parse(options["map"])
            if options["profile"]:
                group = Group.objects.get(slug=options["group"])
                saved = profile_named(group, options["profile"]).mapping
                mapping = ColumnMapping.from_json(saved).overridden_by(mapping)
        except (MappingError, InvalidState) as exc:
            raise CommandError(exc.message) from None
        return GeodataSource(
            path,
            base=options["base"] or BASE_OF_KIND[options["kind"]],
            kind=options["kind"],
            layer=options["layer"],
            mapping=mapping,
            srid=options["srid"],
            source_name=options["source"],
            complete=not options["profile"],
        )
