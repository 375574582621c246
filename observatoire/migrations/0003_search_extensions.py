"""unaccent (accent-insensitive ``q``) and pg_trgm, also in databases not made by bin/spass-db
(the test database, a DATABASE_URL server)."""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("observatoire", "0002_initial")]

    operations = [UnaccentExtension(), TrigramExtension()]
