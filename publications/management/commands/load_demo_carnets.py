from django.core.management.base import BaseCommand

from publications.demo import load_demo_carnets


class Command(BaseCommand):
    help = (
        "Charge le carnet de démonstration « Les beffrois du Nord » de demo-nord (après "
        "load_demo ; relancer n'ajoute rien)."
    )

    def handle(self, *args, **options) -> None:
        if load_demo_carnets():
            self.stdout.write(self.style.SUCCESS("Carnet de démonstration : 1."))
        else:
            self.stdout.write("Carnet de démonstration déjà chargé (ou load_demo absent).")
