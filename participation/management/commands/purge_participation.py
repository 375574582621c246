from django.core.management.base import BaseCommand

from participation.retention import purge_expired


class Command(BaseCommand):
    help = (
        "Efface ce que le délai de conservation de chaque formulaire participatif dit d'effacer "
        "(contributions non retenues et leurs photos, adresses e-mail des contributions "
        "publiées), comme la tâche de chaque nuit."
    )

    def handle(self, *args, **options) -> None:
        done = purge_expired()
        self.stdout.write(
            f"Contributions effacées : {done.submissions} ({done.photos} photo(s)) ; "
            f"adresses e-mail effacées : {done.emails} ; compteurs anti-abus : {done.counters}."
        )
