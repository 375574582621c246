# Run by bench/ogc/run.sh through `manage.py shell -c`: 50 groups and one author with a key.
from workgroups.auth import create_feed_key
from workgroups.models import Group, User

for i in range(1, 51):
    Group.objects.get_or_create(
        pk=i,
        defaults={
            "name": f"Groupe {i}",
            "slug": f"groupe-{i}",
            "family": "projet",
            "join_mode": "demande",
        },
    )
author, _ = User.objects.get_or_create(username="bench")
create_feed_key(author, "bench")
