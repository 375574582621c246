from django.core.management.base import BaseCommand

from activite.demo import load


class Command(BaseCommand):
    help = "Charge les missions de démonstration du rapport d'activité (demo-nord). Idempotent."

    def handle(self, *args, **options) -> None:
        count = load()
        self.stdout.write(self.style.SUCCESS(f"Missions de démonstration créées : {count}."))
