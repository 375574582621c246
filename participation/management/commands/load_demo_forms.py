from django.core.management.base import BaseCommand

from participation.demo import load_demo_forms


class Command(BaseCommand):
    help = (
        "Crée sur demo-nord le formulaire participatif « signaler-un-patrimoine » et quelques "
        "contributions, publiées ou en attente (après load_demo ; relancer n'ajoute rien)."
    )

    def handle(self, *args, **options) -> None:
        count = load_demo_forms()
        if count:
            self.stdout.write(self.style.SUCCESS(f"Contributions de démonstration : {count}."))
        else:
            self.stdout.write("Formulaire de démonstration déjà chargé (ou load_demo absent).")
