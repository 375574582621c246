from django.core.management.base import BaseCommand

from actors.demo import load_demo_actors


class Command(BaseCommand):
    help = (
        "Crée les profils acteurs de démonstration : un CAUE, un atelier de paysage, un "
        "collectif de la participation (après load_demo ; relancer n'ajoute rien)."
    )

    def handle(self, *args, **options) -> None:
        count = load_demo_actors()
        if count:
            self.stdout.write(self.style.SUCCESS(f"Profils acteurs créés : {count}."))
        else:
            self.stdout.write(
                "Profils acteurs de démonstration déjà chargés (ou load_demo absent)."
            )
