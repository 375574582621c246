from django.core.management.base import BaseCommand

from pins.demo import load_demo_pins


class Command(BaseCommand):
    help = (
        "Accroche au portail de demo-nord des ressources publiques d'autres groupes "
        "(après load_demo ; relancer n'ajoute rien)."
    )

    def handle(self, *args, **options) -> None:
        count = load_demo_pins()
        if count:
            self.stdout.write(self.style.SUCCESS(f"Éléments accrochés : {count}."))
        else:
            self.stdout.write("Accroches de démonstration déjà chargées (ou load_demo absent).")
