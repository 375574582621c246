from django.core.management.base import BaseCommand

from observatoire import demo


class Command(BaseCommand):
    help = "Charge les données de démonstration (une seule fois : relancer n'ajoute rien)."

    def handle(self, *args, **options) -> None:
        if demo.is_loaded():
            self.stdout.write("Données de démonstration déjà chargées : rien à faire.")
            return
        count = demo.load_demo()
        self.stdout.write(
            self.style.SUCCESS(f"Données de démonstration chargées : {count} ressources.")
        )
