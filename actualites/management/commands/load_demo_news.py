from django.core.management.base import BaseCommand

from actualites.demo import load_demo_news


class Command(BaseCommand):
    help = (
        "Charge les actualités et l'agenda de démonstration de demo-nord (après load_demo ; "
        "relancer n'ajoute rien)."
    )

    def handle(self, *args, **options) -> None:
        count = load_demo_news()
        if count:
            self.stdout.write(self.style.SUCCESS(f"Actualités et manifestations : {count}."))
        else:
            self.stdout.write("Actualités de démonstration déjà chargées (ou load_demo absent).")
