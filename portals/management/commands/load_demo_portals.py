from django.core.management.base import BaseCommand

from portals.demo import load_demo_portals


class Command(BaseCommand):
    help = "Ajoute les portails de démonstration (bannière de demo-nord comprise ; idempotent)."

    def handle(self, *args, **options) -> None:
        count = load_demo_portals()
        self.stdout.write(self.style.SUCCESS(f"Portails de démonstration ajoutés : {count}."))
