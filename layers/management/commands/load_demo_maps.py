from django.core.management.base import BaseCommand

from layers.demo import load_demo_maps


class Command(BaseCommand):
    help = "Ajoute les fonds de carte et les trois cartes de démonstration (idempotent)."

    def handle(self, *args, **options) -> None:
        count = load_demo_maps()
        self.stdout.write(self.style.SUCCESS(f"Cartes de démonstration ajoutées : {count}."))
